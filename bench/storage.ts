/**
 * `npm run bench -- --storage`: what issue 16's storage costs, on both adapters in one run — a
 * SQLite file in a temporary folder and a real embedded PostgreSQL (dev/postgres):
 *
 * - a server's settings read per interaction: the cache hit serving does (`peek`, then `get`),
 *   beside the database read the cache saves;
 * - the daily claim: a fresh claim (the one that posts) and a lost one (another process holds it);
 * - an interaction's latency, `/search query:kafka` answered in process as the endpoint answers
 *   it (payload → callback body): without storage (as before issue 16), with SQLite settings, with
 *   PostgreSQL settings (whose cooldown turn is a shared database round trip), and with PostgreSQL
 *   settings and no cooldown, interleaved round by round so that load falls on all alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { APIInteraction } from 'discord.js';
import { settingsServices } from '../src/app.js';
import { commands } from '../src/commands/index.js';
import { loadConfig } from '../src/config.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { silentLogger } from '../src/logger.js';
import { SettingsCache } from '../src/serve/settings-cache.js';
import { openStorage } from '../src/storage/open-storage.js';
import type { Storage } from '../src/storage/storage.js';
import { FAKE_IDS } from '../dev/fake-discord/fake-discord.js';
import { commandInteraction } from '../dev/fake-discord/interactions.js';
import { startPostgres } from '../dev/postgres/embedded-postgres.js';
import { seedLinkdex } from '../test/helpers.js';
import { percentile } from './percentile.js';

const CACHE_READS = 200_000;
const DB_READS = 500;
const CLAIMS = 300;
const ROUNDS = 7;
const PER_ROUND = 300;

export interface Timing {
  p50: number;
  p99: number;
  mean: number;
}

export interface AdapterResult {
  adapter: 'sqlite' | 'postgres';
  /** Nanoseconds per read from the settings cache: `peek` (what the cooldown does) and `get`. */
  cachePeekNs: number;
  cacheGetNs: number;
  /** Milliseconds per read from the database (what the cache saves). */
  databaseRead: Timing;
  /** Milliseconds per daily claim: won (a new server-day) and lost (already claimed). */
  claimWon: Timing;
  claimLost: Timing;
  /** Milliseconds per shared cooldown turn (`takeCooldown`; serving uses it on PostgreSQL only). */
  cooldownTurn: Timing;
}

export interface StorageBenchResult {
  adapters: AdapterResult[];
  /** Milliseconds per interaction, by variant, from the same interleaved rounds. */
  interaction: { variant: string; timing: Timing; p50VsNone: number; meanVsNone: number }[];
}

function timing(samples: readonly number[]): Timing {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
  };
}

async function timeEach(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

/** The median over 5 passes of `n` calls: nanoseconds per call. */
async function nsPerCall(n: number, op: () => unknown): Promise<number> {
  const passes: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) await op();
    passes.push(((performance.now() - t) * 1e6) / n);
  }
  return percentile(passes, 50);
}

const GUILD = FAKE_IDS.guild;

async function benchAdapter(storage: Storage): Promise<AdapterResult> {
  await storage.saveSettings({
    guildId: GUILD,
    daily: { channelId: FAKE_IDS.channel, time: '09:00', timezone: 'Europe/Paris' },
    updatedAt: new Date().toISOString(),
  });
  const cache = new SettingsCache(storage, silentLogger());
  try {
    await cache.get(GUILD);
    const cachePeekNs = await nsPerCall(CACHE_READS, () => cache.peek(GUILD));
    const cacheGetNs = await nsPerCall(CACHE_READS, () => cache.get(GUILD));
    const databaseRead = timing(await timeEach(DB_READS, () => storage.settings(GUILD)));
    const now = new Date();
    const staleMs = 5 * 60_000;
    const claimWon = timing(await timeEach(CLAIMS, (i) => storage.claimDaily(`bench-${i}`, '2026-06-01', now, staleMs)));
    const claimLost = timing(await timeEach(CLAIMS, (i) => storage.claimDaily(`bench-${i}`, '2026-06-01', now, staleMs)));
    const cooldownTurn = timing(await timeEach(CLAIMS, (i) => storage.takeCooldown(`bench:${i % 20}`, Date.now(), 1_000_000, 60_000)));
    return { adapter: storage.kind, cachePeekNs, cacheGetNs, databaseRead, claimWon, claimLost, cooldownTurn };
  } finally {
    cache.close();
  }
}

interface Variant {
  name: string;
  ask: (payload: APIInteraction) => Promise<unknown>;
}

function variant(name: string, storage: Storage | undefined, cooldown = true): { variant: Variant; close: () => void } {
  // No member is slowed down here: the limit is the highest COOLDOWN_COMMANDS takes, so every turn
  // is counted and granted; 0 turns the cooldown off (no turn is counted).
  const config = loadConfig({ LOG_LEVEL: 'silent', COOLDOWN_COMMANDS: cooldown ? '999999' : '0', COOLDOWN_SECONDS: '60' });
  const logger = silentLogger();
  const linkdex = seedLinkdex();
  // The app's own wiring, so the variants differ only by their storage.
  const { settings, cooldowns, services } = settingsServices(config, storage, logger);
  const ask = (payload: APIInteraction) =>
    answerInteraction(payload, {
      linkdex: () => linkdex,
      commands,
      now: () => new Date(),
      services,
      cooldowns,
      onError: (error) => {
        throw error;
      },
    });
  return { variant: { name, ask }, close: () => settings?.close() };
}

async function benchInteractions(sqlite: Storage, postgres: Storage): Promise<StorageBenchResult['interaction']> {
  const made = [
    variant('none (before issue 16)', undefined),
    variant('SQLite settings', sqlite),
    variant('PostgreSQL settings', postgres),
    variant('PostgreSQL, no cooldown', postgres, false),
  ];
  const variants = made.map((m) => m.variant);
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const payload = commandInteraction('search', { query: 'kafka' }, { guildId: GUILD });
  try {
    // Warm-up: the JIT, the settings caches, the connections.
    for (const v of variants) for (let i = 0; i < 200; i++) await v.ask(payload);
    for (let round = 0; round < ROUNDS; round++) {
      // Each round in another order, so no variant always runs first (or last) after a pause.
      const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
      for (const v of order) samples.get(v.name)?.push(...(await timeEach(PER_ROUND, () => v.ask(payload))));
    }
  } finally {
    for (const m of made) m.close();
  }
  const none = timing(samples.get(variants[0]?.name ?? '') ?? []);
  return variants.map((v) => {
    const t = timing(samples.get(v.name) ?? []);
    return { variant: v.name, timing: t, p50VsNone: t.p50 / none.p50 - 1, meanVsNone: t.mean / none.mean - 1 };
  });
}

export async function benchStorage(progress: (message: string) => void): Promise<StorageBenchResult> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'linkdex-bench-storage-'));
  progress('starting an embedded PostgreSQL');
  const server = await startPostgres();
  const stores: Storage[] = [];
  try {
    const sqlite = await openStorage({ databaseUrl: undefined, stateDir: folder });
    stores.push(sqlite);
    const postgres = await openStorage({ databaseUrl: await server.createDatabase(), stateDir: folder });
    stores.push(postgres);
    progress('storage: settings reads and daily claims, SQLite');
    const adapters = [await benchAdapter(sqlite)];
    progress('storage: settings reads and daily claims, PostgreSQL');
    adapters.push(await benchAdapter(postgres));
    progress('storage: an interaction without and with settings, interleaved');
    const interaction = await benchInteractions(sqlite, postgres);
    return { adapters, interaction };
  } finally {
    for (const storage of stores) await storage.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

const ms = (t: Timing) => `${t.p50.toFixed(3)} / ${t.p99.toFixed(3)}`;
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

export function storageReport(result: StorageBenchResult): string {
  const lines = [
    '== storage (issue 16): SQLite file vs embedded PostgreSQL, same run',
    'adapter     settings cache hit: peek / get (ns)   database read p50 / p99 (ms)   daily claim won p50 / p99 (ms)   claim lost p50 / p99 (ms)   cooldown turn p50 / p99 (ms)',
    ...result.adapters.map(
      (a) =>
        `${a.adapter.padEnd(11)} ${`${a.cachePeekNs.toFixed(0)} / ${a.cacheGetNs.toFixed(0)}`.padEnd(37)} ${ms(a.databaseRead).padEnd(30)} ${ms(a.claimWon).padEnd(32)} ${ms(a.claimLost).padEnd(27)} ${ms(a.cooldownTurn)}`,
    ),
    '',
    `interaction /search query:kafka answered in process, ${ROUNDS} interleaved rounds of ${PER_ROUND} each (ms)`,
    'variant                    p50      p99      mean     p50 vs none   mean vs none',
    ...result.interaction.map(
      (i) =>
        `${i.variant.padEnd(26)} ${i.timing.p50.toFixed(3).padEnd(8)} ${i.timing.p99.toFixed(3).padEnd(8)} ${i.timing.mean.toFixed(3).padEnd(8)} ${pct(i.p50VsNone).padEnd(13)} ${pct(i.meanVsNone)}`,
    ),
    'PostgreSQL settings include the cooldown turn counted in the database (shared by replicas); SQLite counts it in memory;',
    '"PostgreSQL, no cooldown" has COOLDOWN_COMMANDS=0 (no turn taken): the settings read alone.',
  ];
  return lines.join('\n');
}
