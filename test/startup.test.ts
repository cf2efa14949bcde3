/**
 * What the entry points decide before anything runs: their flags, the restart policy of the
 * sharding manager, and how a failure to reach Discord or to listen on a port is explained.
 */
import { createServer, type Server } from 'node:net';
import { REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { explainDiscordFailure } from '../src/discord/explain-failure.js';
import { parseEntryArgs } from '../src/entry-args.js';
import { listenFailure } from '../src/observability/listen-failure.js';
import { cannotListen } from '../src/run-http.js';
import { afterDeath, RESTART_POLICY } from '../src/restart-policy.js';
import { FAKE_IDS, FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';

describe('entry point flags', () => {
  it('set the variable they stand for, the same at every entry point that reads it', () => {
    for (const entry of ['start', 'start:http', 'start:sharded'] as const) {
      expect(parseEntryArgs(entry, ['--content', 'lists', '--drafts'])).toEqual({
        kind: 'run',
        overrides: { CONTENT_DIR: 'lists', INCLUDE_DRAFTS: 'true' },
        flagFor: { CONTENT_DIR: '--content', INCLUDE_DRAFTS: '--drafts' },
      });
      expect(parseEntryArgs(entry, ['--content=lists/a.md'])).toMatchObject({ overrides: { CONTENT_DIR: 'lists/a.md' } });
    }
    expect(parseEntryArgs('start', ['--http'])).toMatchObject({ kind: 'run', overrides: { MODE: 'http' } });
    expect(parseEntryArgs('deploy', [])).toEqual({ kind: 'run', overrides: {}, flagFor: {} });
  });

  it('refuse an unknown flag, a stray argument or a missing value in one line that points to --help', () => {
    expect(parseEntryArgs('start', ['--bogus'])).toEqual({
      kind: 'refused',
      message: 'npm start: unknown flag --bogus; see `npm start -- --help`',
    });
    expect(parseEntryArgs('deploy', ['now'])).toEqual({
      kind: 'refused',
      message: 'npm run deploy: unexpected argument "now"; see `npm run deploy -- --help`',
    });
    // Names of Object's own properties are stray arguments like any other word.
    expect(parseEntryArgs('start', ['constructor'])).toEqual({
      kind: 'refused',
      message: 'npm start: unexpected argument "constructor"; see `npm start -- --help`',
    });
    expect(parseEntryArgs('start', ['__proto__'])).toMatchObject({ kind: 'refused' });
    expect(parseEntryArgs('start:sharded', ['--content'])).toEqual({
      kind: 'refused',
      message: 'npm run start:sharded: --content needs a value: --content DIR; see `npm run start:sharded -- --help`',
    });
    expect(parseEntryArgs('start', ['--content', '--drafts'])).toMatchObject({ kind: 'refused' });
    expect(parseEntryArgs('start', ['--drafts=yes'])).toEqual({
      kind: 'refused',
      message: 'npm start: --drafts takes no value; see `npm start -- --help`',
    });
  });

  it('refuse a flag the entry point would ignore, saying why', () => {
    expect(parseEntryArgs('deploy', ['--content', 'lists'])).toEqual({
      kind: 'refused',
      message:
        'npm run deploy: --content does not apply here: it registers the commands and reads no content; see `npm run deploy -- --help`',
    });
    expect(parseEntryArgs('start:sharded', ['--http'])).toEqual({
      kind: 'refused',
      message:
        'npm run start:sharded: --http does not apply here: shards connect to the gateway; use `npm run start:http` for the HTTP endpoint; see `npm run start:sharded -- --help`',
    });
  });

  it('--help gives a short usage naming the flags and the variables of that entry point', () => {
    const deploy = parseEntryArgs('deploy', ['--help']);
    expect(deploy).toMatchObject({ kind: 'help' });
    const text = deploy.kind === 'help' ? deploy.text : '';
    expect(text.split('\n')[0]).toBe('Usage: npm run deploy -- [flags]');
    expect(text).toContain('DISCORD_TOKEN and DISCORD_CLIENT_ID (required), DISCORD_GUILD_ID, DISCORD_API_URL');
    expect(text).not.toContain('--content');
    const start = parseEntryArgs('start', ['-h']);
    const startText = start.kind === 'help' ? start.text : '';
    expect(startText).toContain('  --content DIR   read the catalog from DIR (a folder or .md file) (as CONTENT_DIR)');
    expect(startText).toContain('  --http          ');
    expect(startText).toMatch(/METRICS_PORT/);
    const sharded = parseEntryArgs('start:sharded', ['--help']);
    expect(sharded.kind === 'help' ? sharded.text : '').not.toContain('--http');
    expect(sharded.kind === 'help' ? sharded.text : '').toContain('SHARD_COUNT');
  });
});

describe('restarting a shard that died', () => {
  const policy = RESTART_POLICY;

  it('backs off after each failed start (1 s, then 2 s), then gives up on the third', () => {
    const first = afterDeath(policy, 0, 1500, 1);
    expect(first).toEqual({ action: 'restart', delayMs: 1000, failures: 1 });
    const second = afterDeath(policy, 1, 1500, 1);
    expect(second).toEqual({ action: 'restart', delayMs: 2000, failures: 2 });
    expect(afterDeath(policy, 2, 1500, 1)).toEqual({ action: 'give-up', failures: 3, reason: '3 failed starts in a row' });
  });

  it('counts a death soon after ready as a failed start (a crash after login would log in again each time)', () => {
    expect(afterDeath(policy, 2, 30_000, null)).toMatchObject({ action: 'give-up' });
  });

  it('restarts a shard that had been running, with its count started over', () => {
    expect(afterDeath(policy, 2, 3_600_000, 1)).toEqual({ action: 'restart', delayMs: 1000, failures: 0 });
  });

  it('gives up at once on exit code 2, a configuration problem that a restart cannot fix', () => {
    expect(afterDeath(policy, 0, 1500, 2)).toEqual({ action: 'give-up', failures: 1, reason: 'a configuration problem' });
  });
});

describe('explaining a failure to reach Discord', () => {
  const fake = new FakeDiscord();
  const strict = new FakeDiscord({ token: 'another.token.entirely' });
  let closedPort = 0;

  beforeAll(async () => {
    await Promise.all([fake.start(), strict.start()]);
    // A loopback port nothing listens on: the connection is refused at once.
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(() => Promise.all([fake.stop(), strict.stop()]));

  async function failureOf(apiUrl: string, route: `/${string}` = Routes.gatewayBot()): Promise<unknown> {
    const rest = new REST({ api: apiUrl, retries: 0 }).setToken(FAKE_TOKEN);
    return rest.get(route).then(
      () => new Error('no failure'),
      (error: unknown) => error,
    );
  }

  it('says Discord is unreachable, naming DISCORD_API_URL, when the connection is refused or the host does not resolve', async () => {
    const refusedUrl = `http://127.0.0.1:${closedPort}/api`;
    const refused = explainDiscordFailure(await failureOf(refusedUrl), { doing: 'cannot connect to Discord', apiUrl: refusedUrl });
    expect(refused).toEqual({
      kind: 'network',
      message: `cannot connect to Discord: ${refusedUrl} is unreachable: the connection was refused (ECONNREFUSED); check DISCORD_API_URL and the network. The token was not checked.`,
    });
    const nowhere = 'http://linkdex-test.invalid/api';
    const dns = explainDiscordFailure(await failureOf(nowhere), { doing: 'cannot connect to Discord' });
    expect(dns.kind).toBe('network');
    expect(dns.message).toBe(
      'cannot connect to Discord: https://discord.com/api is unreachable: the host name does not resolve (ENOTFOUND); check this machine’s network connection (DNS, firewall, proxy). The token was not checked.',
    );
    expect(dns.message).not.toContain('DISCORD_TOKEN');
  });

  it('names DISCORD_TOKEN for a 401 only, and the invite scopes for a 403', async () => {
    const refused = explainDiscordFailure(await failureOf(strict.apiUrl), { doing: 'x', apiUrl: strict.apiUrl });
    expect(refused).toEqual({
      kind: 'token',
      message: 'x: Discord refused the token (401 Unauthorized): check DISCORD_TOKEN (developer portal, Bot, Reset Token gives a new one).',
    });
    const guild = '1310000000000000555';
    const forbidden = await new REST({ api: fake.apiUrl, retries: 0 })
      .setToken(FAKE_TOKEN)
      .put(Routes.applicationGuildCommands(FAKE_IDS.application, guild), { body: [] })
      .catch((error: unknown) => error);
    const access = explainDiscordFailure(forbidden, { doing: 'Could not register the commands', guildId: guild });
    expect(access.kind).toBe('access');
    expect(access.message).toBe(
      `Could not register the commands: Discord refused access (403 Missing Access): invite the bot to the server DISCORD_GUILD_ID (${guild}) with the scopes bot and applications.commands (README, Running it on Discord, step 2), and check DISCORD_CLIENT_ID is this bot's application id.`,
    );
  });

  it('says a DISCORD_API_URL that answers 404 is not Discord’s API', async () => {
    const wrong = `${fake.apiUrl}/v2`;
    expect(explainDiscordFailure(await failureOf(wrong), { doing: 'cannot connect to Discord', apiUrl: wrong })).toEqual({
      kind: 'not-found',
      message: `cannot connect to Discord: ${wrong} answered 404 (Unknown route): check DISCORD_API_URL: it is not Discord's REST API (unset, https://discord.com/api is used).`,
    });
  });

  it('keeps the message of anything else', () => {
    expect(explainDiscordFailure(new Error('boom'), { doing: 'cannot connect to Discord' })).toEqual({
      kind: 'other',
      message: 'cannot connect to Discord: boom',
    });
  });
});

describe('explaining a port that cannot be listened on', () => {
  it('names the port and the variable', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as { port: number }).port;
    const second: Server = createServer();
    const error = await new Promise<unknown>((resolve) => second.once('error', resolve).listen(port));
    holder.close();
    expect(listenFailure(error, port, 'METRICS_PORT')).toBe(
      `METRICS_PORT: port ${port} is already in use; stop what listens there or choose another METRICS_PORT`,
    );
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EACCES' }), 80, 'METRICS_PORT', ' (METRICS_PORT 79 + shard 1)')).toBe(
      'METRICS_PORT: port 80 (METRICS_PORT 79 + shard 1) needs privileges this process does not have; choose a METRICS_PORT above 1023',
    );
  });
});

describe("the HTTP endpoint's line about a port it cannot listen on", () => {
  const failed = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  it('uses the same words as every other server, naming PORT and the address HOST chose', () => {
    expect(cannotListen(failed('EADDRINUSE'), '127.0.0.1', 8080, 'PORT')).toBe(
      'PORT: port 8080 on 127.0.0.1 is already in use; stop what listens there or choose another PORT',
    );
    expect(cannotListen(failed('EACCES'), '0.0.0.0', 80, 'PORT')).toBe(
      'PORT: port 80 on 0.0.0.0 needs privileges this process does not have; choose a PORT above 1023',
    );
    // The metrics server listens everywhere: no address to name, as on the gateway bot.
    expect(cannotListen(failed('EADDRINUSE'), undefined, 9100, 'METRICS_PORT')).toBe(
      listenFailure(failed('EADDRINUSE'), 9100, 'METRICS_PORT'),
    );
  });

  it('names HOST, not the port, when the address is not one of this machine', () => {
    for (const code of ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN'])
      expect(cannotListen(failed(code), '10.9.9.9', 8080, 'PORT')).toBe(
        'HOST: 10.9.9.9 is not an address of this machine; set HOST to one of its addresses (0.0.0.0 for all)',
      );
  });
});

describe('DISCORD_API_URL', () => {
  it('must have a host a connection can be opened to', () => {
    expect(() => loadConfig({ DISCORD_API_URL: 'http://256.1.1.1/api' })).toThrow(
      'DISCORD_API_URL has no valid host name in "http://256.1.1.1/api" (such as https://discord.com/api)',
    );
    expect(() => loadConfig({ DISCORD_API_URL: 'http://disc_ord.com/api' })).toThrow('DISCORD_API_URL has no valid host name');
    expect(() => loadConfig({ DISCORD_API_URL: 'ftp://discord.com/api' })).toThrow(
      'DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, not "ftp://discord.com/api"',
    );
    expect(() => loadConfig({ DISCORD_API_URL: 'https://user:pw@discord.com/api' })).toThrow('without credentials');
    for (const good of ['https://discord.com/api', 'http://127.0.0.1:9/api', 'http://[::1]:8080/api', 'http://proxy:8080/api'])
      expect(loadConfig({ DISCORD_API_URL: good }).discordApiUrl).toBe(good);
  });
});
