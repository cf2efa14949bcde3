/**
 * Running bots for the benchmarks: each in its own process, connected to its own fake Discord on
 * 127.0.0.1, timed from spawn to the READY the fake sends, its memory read from /proc, and
 * autocompletes sent to several bots in turns. Every process and fake is tracked and stopped
 * whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAKE_TOKEN, FakeDiscord, type InteractionReply } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction } from '../dev/fake-discord/interactions.js';
import { percentile } from './percentile.js';
import { treeMemory, type TreeMemory } from './proc-memory.js';

// ---------------------------------------------------------------------------------------------
// Queries: what a member types into /search's query option, keystroke by keystroke

const TYPED_WORDS = [
  'kubernetes',
  'observability',
  'python',
  'prometheus',
  'docker',
  'kafka',
  'monitoring',
  'database',
  'terraform',
  'graphql',
  'postgres',
  'security',
];
const TYPOS = ['kuberntes', 'obsevability', 'pyhton', 'promethues', 'dockr', 'databse', 'montoring'];
const PHRASES = ['machine learning', 'web framework', 'static site', 'command line', 'distributed systems'];
const NONSENSE = ['zzqxv', 'qwpoeiru'];

/** Bursts of typing: a word's prefixes 1–4 letters then the word; a typo, phrase or nonsense alone. */
const BURSTS: readonly (readonly string[])[] = [
  ...TYPED_WORDS.map((w) => [1, 2, 3, 4].map((n) => w.slice(0, n)).concat(w)),
  ...TYPOS.map((t) => [t]),
  ...PHRASES.map((p) => [p]),
  ...NONSENSE.map((n) => [n]),
];
/** Coprime with the number of bursts, so every window of the sequence mixes words, typos and phrases. */
const BURST_STRIDE = 5;
/** The round-trip query mix, in the order it is sent (and then again from the start). */
export const QUERY_CYCLE: readonly string[] = BURSTS.map((_, i) => BURSTS[(i * BURST_STRIDE) % BURSTS.length] ?? []).flat();

// ---------------------------------------------------------------------------------------------
// Processes

const live = new Set<ChildProcess>();
const fakes = new Set<FakeDiscord>();
let logDir: string | null = null;

function logFolder(): string {
  logDir ??= mkdtempSync(path.join(os.tmpdir(), 'linkdex-bench-logs-'));
  return logDir;
}

/** The user's environment without linkdex's own variables (empty means unset, so a developer's .env cannot leak in). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  return {
    ...env,
    HOME: logFolder(),
    NODE_ENV: 'production',
    DISCORD_TOKEN: '',
    DISCORD_API_URL: '',
    DISCORD_CLIENT_ID: '',
    DISCORD_GUILD_ID: '',
    DISCORD_PUBLIC_KEY: '',
    CONTENT_DIR: '',
    INCLUDE_DRAFTS: '',
    LOG_LEVEL: 'info',
    // A developer's .env with MODE=http would otherwise start the bot as an HTTP endpoint.
    MODE: '',
    PORT: '',
    HOST: '',
    METRICS_PORT: '',
    ...extra,
  };
}

export interface BotSpec {
  label: string;
  /** Arguments to `node` (absolute paths: the working directory is `cwd`). */
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  readyTimeoutMs: number;
}

export interface Bot {
  spec: BotSpec;
  fake: FakeDiscord;
  proc: ChildProcess;
  /** performance.now() just before spawn. */
  spawnedAt: number;
  /** Spawn → the fake's READY to this bot, ms. */
  readyMs: number;
  exited: Promise<number | null>;
  /** The last 20 kB of the bot's output. */
  tail: () => string;
}

/**
 * Spawns `node <args>` against a fresh fake Discord and resolves when the fake has sent it READY
 * (its IDENTIFY answered: the same moment for every bot). The output goes to a file, as a deployed
 * bot's logs do: through a pipe, every log line would wake this process, which also plays Discord.
 */
export async function startBot(spec: BotSpec): Promise<Bot> {
  const fake = new FakeDiscord();
  fakes.add(fake);
  await fake.start();
  let readyAt: number | null = null;
  fake.once('identify', () => (readyAt = performance.now()));
  const logFile = path.join(logFolder(), `${spec.label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.log`);
  const out = openSync(logFile, 'w');
  const env = childEnv({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, ...spec.env });
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, spec.args, { cwd: spec.cwd, env, stdio: ['ignore', out, out] });
  closeSync(out);
  live.add(proc);
  let spawnError = '';
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    });
    proc.once('error', (error) => {
      live.delete(proc);
      spawnError = `\nspawn error: ${error.message}`;
      resolve(null);
    });
  });
  const tail = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-20_000) + spawnError;
    } catch {
      return spawnError;
    }
  };
  const bot: Bot = { spec, fake, proc, spawnedAt, readyMs: NaN, exited, tail };
  const deadline = spawnedAt + spec.readyTimeoutMs;
  while (readyAt === null) {
    if (!live.has(proc)) {
      await stopBot(bot);
      throw new BotFailed(spec.label, `exited before READY`, tail());
    }
    if (performance.now() > deadline) {
      await stopBot(bot);
      throw new BotFailed(spec.label, `no READY within ${spec.readyTimeoutMs} ms`, tail());
    }
    await sleep(5);
  }
  bot.readyMs = (readyAt as number) - spawnedAt;
  return bot;
}

export class BotFailed extends Error {
  constructor(
    readonly label: string,
    readonly reason: string,
    readonly output: string,
  ) {
    super(`${label}: ${reason}; output:\n${output}`);
    this.name = 'BotFailed';
  }
}

/** SIGTERM, then SIGKILL after 6 s; then its fake Discord. */
export async function stopBot(bot: Bot): Promise<void> {
  if (live.has(bot.proc)) {
    bot.proc.kill('SIGTERM');
    const timer = setTimeout(() => bot.proc.kill('SIGKILL'), 6_000);
    await bot.exited;
    clearTimeout(timer);
  }
  await bot.fake.stop();
  fakes.delete(bot.fake);
}

/** Kills whatever is still running and removes the logs; for the end of a run, however it ends. */
export async function stopEverything(): Promise<void> {
  for (const proc of live) proc.kill('SIGKILL');
  live.clear();
  for (const fake of fakes) await fake.stop().catch(() => undefined);
  fakes.clear();
  if (logDir) rmSync(logDir, { recursive: true, force: true });
  logDir = null;
}

process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

export function memoryOf(bot: Bot): TreeMemory {
  if (bot.proc.pid === undefined) throw new Error(`${bot.spec.label} has no pid`);
  return treeMemory('/proc', bot.proc.pid);
}

// ---------------------------------------------------------------------------------------------
// Autocomplete

export function choicesOf(reply: InteractionReply): { name: string; value: unknown }[] {
  const data = 'data' in reply.body ? (reply.body.data as { choices?: { name: string; value: unknown }[] } | undefined) : undefined;
  return data?.choices ?? [];
}

function ask(bot: Bot, query: string, timeoutMs: number): Promise<InteractionReply> {
  return bot.fake.dispatchInteraction(autocompleteInteraction('search', { query }, 'query'), { timeoutMs });
}

/**
 * Spawn → the first autocomplete answer that `isReal` accepts, ms: autocompletes for `query` are
 * sent one after another from READY on (a bot that connects before its catalog is loaded answers
 * "loading" or nothing meanwhile).
 */
export async function firstRealAnswer(
  bot: Bot,
  query: string,
  isReal: (choices: { name: string; value: unknown }[]) => boolean,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      // An interaction the bot drops while it loads is given up after Discord's 3 s (and a margin), then asked again.
      const reply = await ask(bot, query, Math.min(5_000, Math.max(100, deadline - performance.now())));
      const at = performance.now();
      if (reply.status < 300 && isReal(choicesOf(reply))) return at - bot.spawnedAt;
    } catch {
      // Not answered in time, or the connection is not there yet: ask again.
    }
    if (!live.has(bot.proc)) throw new BotFailed(bot.spec.label, 'exited before its first answer', bot.tail());
    await sleep(10);
  }
  throw new BotFailed(bot.spec.label, `no real answer to "${query}" within ${timeoutMs} ms`, bot.tail());
}

export interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Timed answers that were not 2xx, or that had no choices. */
  rejected: number;
  empty: number;
}

function latency(samples: readonly number[], rejected: number, empty: number): Latency {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    rejected,
    empty,
  };
}

/** Queries in a row to one bot before the next bot's turn. */
const BLOCK = 100;

/**
 * Autocompletes `queries[i % length]` for i in [0, warmup + timed) to each bot, one at a time, in
 * blocks that take turns between the bots: bots compared with each other are timed over the same
 * minutes, so a machine that drifts (other load, CPU frequency) moves them together rather than
 * the ratio. Round trip = the fake's dispatch of INTERACTION_CREATE → the bot's callback request.
 */
export async function timeInTurns(
  bots: readonly Bot[],
  queries: readonly string[],
  counts: { warmup: number; timed: number; timeoutMs: number },
  progress: (message: string) => void = () => undefined,
): Promise<Latency[]> {
  const state = bots.map(() => ({ samples: [] as number[], rejected: 0, empty: 0 }));
  const total = counts.warmup + counts.timed;
  for (let from = 0; from < total; from += BLOCK) {
    for (const [n, bot] of bots.entries()) {
      const mine = state[n];
      if (!mine) continue;
      for (let i = from; i < Math.min(from + BLOCK, total); i++) {
        const reply = await ask(bot, queries[i % queries.length] ?? '', counts.timeoutMs);
        if (i < counts.warmup) continue;
        mine.samples.push(reply.ms);
        if (reply.status >= 300) mine.rejected++;
        if (choicesOf(reply).length === 0) mine.empty++;
      }
    }
    if (from % 1000 === 0 && from > 0) progress(`${bots.map((b) => b.spec.label).join(' / ')}: ${from} of ${total} queries each`);
  }
  return state.map((s) => latency(s.samples, s.rejected, s.empty));
}
