/**
 * The entry points when something is wrong at start: flags, a content path, a port that is taken,
 * a Discord that cannot be reached or refuses the token. Each is a process: its exit code and the
 * lines it prints are what the user sees.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { finished, startNpm } from './npm-processes.js';
import { startScript } from './processes.js';

const fake = new FakeDiscord();
/** For the tests that must not log in: nothing else talks to it. */
const untouched = new FakeDiscord();
/** Refuses every token but its own: 401 on REST. */
const strict = new FakeDiscord({ token: 'MTMxMDAwMDAwMDAwMDAwMDAwOQ.GfAkEx.another-token' });
/** A loopback port nothing listens on (connections are refused at once), and one held open (busy). */
let closedPort = 0;
let busyPort = 0;
let holder: Server;
/** A catalog of one link, for --content. */
const contentDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-startup-'));
writeFileSync(path.join(contentDir, 'tools.md'), '# Tools\n\n- [Vite](https://vitejs.dev) - Fast builds.\n');

/** Listening on every interface, as the health server does, so that the port is taken for it. */
async function listening(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return server;
}

beforeAll(async () => {
  await Promise.all([fake.start(), strict.start(), untouched.start()]);
  const closed = await listening();
  closedPort = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  holder = await listening();
  busyPort = (holder.address() as { port: number }).port;
});

afterAll(async () => {
  holder.close();
  await Promise.all([fake.stop(), strict.stop(), untouched.stop()]);
});

/** The JSON log lines of an output. */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Generous: a shard process takes 1–2 s to start, and much longer on a loaded machine. */
const PROCESS_MS = 60_000;
const SHARDS_MS = 120_000;

const bot = (env: Record<string, string>, args: string[] = []) => finished(startScript('src/main.ts', env, args), PROCESS_MS);

describe.concurrent('flags at every entry point', { timeout: PROCESS_MS + 5000 }, () => {
  it('npm start -- --help prints the usage with the variables and exits 0', async () => {
    const run = await finished(startNpm('start', {}, ['--help']));
    expect(run.code).toBe(0);
    const lines = run.output.split('\n');
    expect(lines[0]).toBe('Usage: npm start -- [flags]');
    expect(run.output).toContain('  --content DIR   read the catalog from DIR (a folder or .md file) (as CONTENT_DIR)');
    expect(run.output).toContain('DISCORD_TOKEN (none: the local console)');
  });

  it('npm start -- --bogus names the flag in one line, points to --help and exits 2', async () => {
    const run = await finished(startNpm('start', {}, ['--bogus']));
    expect(run.code).toBe(2);
    expect(run.output).toBe('npm start: unknown flag --bogus; see `npm start -- --help`\n');
  });

  it('npm start -- --content DIR serves DIR, as CONTENT_DIR does', async () => {
    const running = startNpm('start', {}, ['--content', contentDir]);
    running.child.stdin?.end('/search vite\n/quit\n');
    const run = await finished(running);
    expect(run.code).toBe(0);
    expect(run.output.split('\n')[0]).toMatch(/^linkdex console: 1 link in 1 category from \S+$/);
    expect(run.output).toContain('Vite');
  });

  it('start:http, start:sharded and deploy refuse what they would ignore, and give their own usage', async () => {
    const [http, sharded, deploy, shardedHelp] = await Promise.all([
      finished(startScript('src/main.ts', {}, ['--http', '--bogus'])),
      finished(startScript('src/shard.ts', { DISCORD_TOKEN: FAKE_TOKEN }, ['--http'])),
      finished(startScript('src/deploy.ts', {}, ['--content', contentDir])),
      finished(startScript('src/shard.ts', {}, ['--help'])),
    ]);
    expect([http.code, http.output]).toEqual([2, 'npm run start:http: unknown flag --bogus; see `npm run start:http -- --help`\n']);
    expect(sharded.code).toBe(2);
    expect(sharded.output).toBe(
      'npm run start:sharded: --http does not apply here: shards connect to the gateway; use `npm run start:http` for the HTTP endpoint; see `npm run start:sharded -- --help`\n',
    );
    expect(deploy.code).toBe(2);
    expect(deploy.output).toBe(
      'npm run deploy: --content does not apply here: it registers the commands and reads no content; see `npm run deploy -- --help`\n',
    );
    expect(shardedHelp.code).toBe(0);
    expect(shardedHelp.output.split('\n')[0]).toBe('Usage: npm run start:sharded -- [flags]');
    expect(shardedHelp.output).toContain('SHARD_COUNT');
  });

  it('start:sharded refuses MODE=http, which its shards would ignore', async () => {
    const run = await finished(
      startScript('src/shard.ts', { DISCORD_TOKEN: FAKE_TOKEN, MODE: 'http', DISCORD_PUBLIC_KEY: 'a'.repeat(64) }),
      PROCESS_MS,
    );
    expect([run.code, run.output]).toEqual([
      2,
      'MODE=http does not apply to npm run start:sharded: shards connect to the gateway; use npm run start:http\n',
    ]);
  });

  it('a content path that does not exist names CONTENT_DIR, or --content when the flag set it, and exits 2', async () => {
    const [fromVariable, fromFlag] = await Promise.all([
      bot({ CONTENT_DIR: '/nope' }),
      bot({ CONTENT_DIR: contentDir }, ['--content', '/nope']),
    ]);
    expect([fromVariable.code, fromVariable.output]).toEqual([
      2,
      'cannot read content at /nope: no such file or folder; check CONTENT_DIR\n',
    ]);
    expect([fromFlag.code, fromFlag.output]).toEqual([2, 'cannot read content at /nope: no such file or folder; check --content\n']);
  });
});

describe.concurrent('the bot cannot reach Discord', { timeout: PROCESS_MS + 5000 }, () => {
  it('a refused connection says Discord is unreachable and names DISCORD_API_URL, not the token; exit 1', async () => {
    const api = `http://127.0.0.1:${closedPort}/api`;
    const run = await bot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: api });
    expect(run.code).toBe(1);
    const fatal = logLines(run.output).filter((l) => l['level'] === 60);
    expect(fatal.map((l) => l['msg'])).toEqual([
      `cannot connect to Discord: ${api} is unreachable: the connection was refused (ECONNREFUSED); check DISCORD_API_URL and the network. The token was not checked.`,
    ]);
  });

  it('a host that does not resolve says so; exit 1', async () => {
    const api = 'http://linkdex-test.invalid/api';
    const run = await bot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: api });
    expect(run.code).toBe(1);
    expect(logLines(run.output).find((l) => l['level'] === 60)?.['msg']).toBe(
      `cannot connect to Discord: ${api} is unreachable: the host name does not resolve (ENOTFOUND); check DISCORD_API_URL and the network. The token was not checked.`,
    );
  });

  it('a DISCORD_API_URL that answers 404 is named as not being Discord’s API; exit 1', async () => {
    const api = `${fake.apiUrl}/v9`;
    const run = await bot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: api });
    expect(run.code).toBe(1);
    expect(logLines(run.output).find((l) => l['level'] === 60)?.['msg']).toBe(
      `cannot connect to Discord: ${api} answered 404 (Unknown route): check DISCORD_API_URL: it is not Discord's REST API (unset, https://discord.com/api is used).`,
    );
  });

  it('a refused token names DISCORD_TOKEN; exit 1', async () => {
    const run = await bot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: strict.apiUrl });
    expect(run.code).toBe(1);
    expect(logLines(run.output).find((l) => l['level'] === 60)?.['msg']).toBe(
      'cannot connect to Discord: Discord refused the token (401 Unauthorized): check DISCORD_TOKEN (developer portal, Bot, Reset Token gives a new one).',
    );
    expect(run.output).not.toContain(FAKE_TOKEN);
  });

  it('an invalid host in DISCORD_API_URL is refused by the configuration; exit 2', async () => {
    const run = await bot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: 'http://256.1.1.1/api' });
    expect([run.code, run.output]).toEqual([
      2,
      'Invalid configuration:\n  - DISCORD_API_URL has no valid host name in "http://256.1.1.1/api" (such as https://discord.com/api)\n',
    ]);
  });
});

describe.concurrent('npm run deploy when Discord refuses', { timeout: PROCESS_MS + 5000 }, () => {
  const deploy = (env: Record<string, string>) =>
    finished(startScript('src/deploy.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_CLIENT_ID: '1310000000000000001', ...env }));

  it('a bad token names DISCORD_TOKEN; exit 1', async () => {
    const run = await deploy({ DISCORD_API_URL: strict.apiUrl });
    expect([run.code, run.output]).toEqual([
      1,
      'Could not register the commands: Discord refused the token (401 Unauthorized): check DISCORD_TOKEN (developer portal, Bot, Reset Token gives a new one).\n',
    ]);
  });

  it('a server the bot was not invited to names the invite scopes and DISCORD_GUILD_ID; exit 1', async () => {
    const guild = '1310000000000000555';
    const run = await deploy({ DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: guild });
    expect(run.code).toBe(1);
    expect(run.output).toBe(
      `Could not register the commands: Discord refused access (403 Missing Access): invite the bot to the server DISCORD_GUILD_ID (${guild}) with the scopes bot and applications.commands (README, Running it on Discord, step 2), and check DISCORD_CLIENT_ID is this bot's application id.\n`,
    );
  });
});

describe.concurrent('a port that is taken, and shards that cannot start', { timeout: SHARDS_MS + 5000 }, () => {
  it('the bot names METRICS_PORT and the port in one line and exits 1 before logging in', async () => {
    const run = await bot({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: untouched.apiUrl, METRICS_PORT: String(busyPort) });
    expect(run.code).toBe(1);
    expect(run.output).not.toContain('EADDRINUSE:');
    expect(logLines(run.output).filter((l) => typeof l['level'] === 'number' && l['level'] >= 50)).toEqual([
      expect.objectContaining({
        level: 60,
        port: busyPort,
        msg: `METRICS_PORT: port ${busyPort} is already in use; stop what listens there or choose another METRICS_PORT`,
      }),
    ]);
  });

  it('start:sharded backs off from a shard whose port is taken, gives up after 3 starts in one line, never logging in', async () => {
    const run = await finished(
      startScript('src/shard.ts', {
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_API_URL: untouched.apiUrl,
        SHARD_COUNT: '1',
        METRICS_PORT: String(busyPort),
      }),
      SHARDS_MS,
    );
    expect(run.code).toBe(1);
    const lines = logLines(run.output);
    const busy = `METRICS_PORT: port ${busyPort} is already in use; stop what listens there or choose another METRICS_PORT`;
    expect(lines.filter((l) => l['msg'] === busy)).toHaveLength(3);
    const restarts = lines.filter((l) => l['level'] === 40);
    expect(restarts.map((l) => String(l['msg']).replace(/ [\d.]+ s after/, ' … after'))).toEqual([
      'shard 0 exited with code 1 … after starting (failed start 1 of 3); restarting it in 1.0 s',
      'shard 0 exited with code 1 … after starting (failed start 2 of 3); restarting it in 2.0 s',
    ]);
    // The pauses were waited out: each start comes at least 1 s, then 2 s, after the death before it.
    const times = (msg: string) => lines.filter((l) => l['msg'] === msg).map((l) => Number(l['time']));
    const [first, second, third] = times(busy);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(2000);
    const gaveUp = lines.filter((l) => l['level'] === 60 && l['msg'] !== busy);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.['msg']).toMatch(
      /^shard 0 exited with code 1 [\d.]+ s after starting: 3 failed starts in a row, so it is not restarted; stopping all shards \(the shard's own lines above say why\)$/,
    );
    // No shard ever logged in.
    expect(untouched.requests).toEqual([]);
    expect(untouched.identifies).toEqual([]);
  });

  it('start:sharded with no network gives up as soon as the third start fails, not after the 60 s ready timeout', async () => {
    const run = await finished(
      startScript('src/shard.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api`, SHARD_COUNT: '1' }),
      SHARDS_MS,
    );
    expect(run.code).toBe(1);
    const lines = logLines(run.output);
    const failures = lines.filter((l) => String(l['msg']).includes('is unreachable: the connection was refused'));
    expect(failures).toHaveLength(3);
    const gaveUp = lines.find((l) => String(l['msg']).includes('3 failed starts in a row, so it is not restarted'));
    // The manager notices the shard's exit, rather than waiting for it to be ready: well under a second apart, loaded machine or not.
    expect(Number(gaveUp?.['time']) - Number(failures[2]?.['time'])).toBeLessThan(5000);
  });

  it('start:sharded passes --content to its shards, and gives up at once on a shard’s configuration error', async () => {
    const run = await finished(
      startScript('src/shard.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl }, ['--content', '/nope']),
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain('cannot read content at /nope: no such file or folder; check --content\n');
    const lines = logLines(run.output);
    expect(lines.filter((l) => l['msg'] === 'starting shard 0 of 1')).toHaveLength(1);
    expect(lines.find((l) => l['level'] === 60)?.['msg']).toMatch(
      /^shard 0 exited with code 2 \d+\.\d s after starting: a configuration problem, so it is not restarted; stopping all shards/,
    );
  });
});
