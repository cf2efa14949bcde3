/**
 * The running bot, end to end: a bare discord.js bot (bench/bare-bot.ts) and the real bot
 * (src/main.ts, as `npm start` runs it), each against its own fake Discord on 127.0.0.1; the bare
 * bot and the real bot on the seed and on an empty catalog side by side, timed in turns.
 * For each: resident memory after ready, and autocomplete round trips (gateway dispatch → the
 * callback request, as the fake measures them) on the seed catalog, an empty one and generated
 * catalogs of 10,000 and 100,000 entries; then a few probe processes that split the real bot's
 * memory into node, tsx, discord.js, its own code and the catalog.
 *
 *   npm run bench:e2e                 table on stdout, progress on stderr
 *   npm run bench:e2e -- --json       one JSON object on stdout instead
 *   npm run bench:e2e -- --quick      without the 100,000-entry catalog
 *
 * Misses are reported, not failed: the process exits 0 unless something crashed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction } from '../dev/fake-discord/interactions.js';
import { percentile } from './percentile.js';
import { generateCatalogFiles } from './generate-catalog.js';

// ---------------------------------------------------------------------------------------------
// Settings

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const MB = 1_000_000;
/** Time between the ready line and the memory reading (no gc is available in the child). */
const SETTLE_MS = 1_000;
/**
 * A bot runs for months, so the targets are about its steady state: both bots get the same long
 * warm-up before timing. (With 30 warm-up queries the real bot looked 1.4-1.7x slower, with 500
 * 1.2-1.6x; only past a couple of thousand do both settle, the bare bot at about 0.35 ms.)
 */
const WARMUP = 2000;
const TIMED = 2000;
/** 100,000 entries cost about 15 ms a query: a smaller sample. */
const BIG_WARMUP = 100;
const BIG_TIMED = 1000;
const TARGETS = { seedP50VsBare: 1.5, tenKP99Ms: 20, seedRssVsBare: 1.25 } as const;

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
const QUERY_CYCLE: readonly string[] = BURSTS.map((_, i) => BURSTS[(i * BURST_STRIDE) % BURSTS.length] ?? []).flat();

function query(i: number): string {
  return QUERY_CYCLE[i % QUERY_CYCLE.length] ?? '';
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked, and killed whatever happens

interface Child {
  label: string;
  proc: ChildProcess;
  startedAt: number;
  readyAt: number | null;
  exited: Promise<number | null>;
  tail: () => string;
}

const live = new Set<ChildProcess>();
const fakes = new Set<FakeDiscord>();
let tempDir: string | null = null;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  return {
    ...env,
    HOME: tempDir ?? os.tmpdir(),
    DISCORD_TOKEN: '',
    DISCORD_API_URL: '',
    DISCORD_CLIENT_ID: '',
    DISCORD_GUILD_ID: '',
    CONTENT_DIR: '',
    INCLUDE_DRAFTS: '',
    LOG_LEVEL: 'info',
    // A developer's .env with MODE=http would otherwise start the real bot as an HTTP endpoint.
    MODE: '',
    PORT: '',
    DISCORD_PUBLIC_KEY: '',
    ...extra,
  };
}

/**
 * `node <args>` in the repository; `readyMarker` in its output marks it ready. The output goes to
 * a file, as a deployed bot's logs do: through a pipe, every log line would wake this process,
 * which also plays Discord, and its reading would be timed as the bot's latency.
 */
function launch(label: string, args: string[], env: Record<string, string>, readyMarker: string): Child {
  const logFile = path.join(tempDir ?? os.tmpdir(), `${label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.log`);
  const out = openSync(logFile, 'w');
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: childEnv(env), stdio: ['ignore', out, out] });
  closeSync(out);
  live.add(proc);
  const read = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-20_000);
    } catch {
      return '';
    }
  };
  let extra = '';
  const child: Child = {
    label,
    proc,
    startedAt: performance.now(),
    readyAt: null,
    exited: new Promise((resolve) => {
      proc.once('exit', (code) => {
        live.delete(proc);
        resolve(code);
      });
      proc.once('error', (error) => {
        live.delete(proc);
        extra += `\nspawn error: ${error.message}`;
        resolve(null);
      });
    }),
    tail: () => read() + extra,
  };
  // Polled, not streamed, for the reason above; readiness is only waited for before timing starts.
  const poll = setInterval(() => {
    if (child.readyAt === null && read().includes(readyMarker)) child.readyAt = performance.now();
    if (child.readyAt !== null || !live.has(proc)) clearInterval(poll);
  }, 10);
  return child;
}

async function waitReady(child: Child, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (child.readyAt === null) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null || !live.has(child.proc)) {
      throw new Error(`${child.label} exited before it was ready; output:\n${child.tail()}`);
    }
    if (performance.now() > deadline) throw new Error(`${child.label} not ready within ${timeoutMs} ms; output:\n${child.tail()}`);
    await sleep(10);
  }
  return child.readyAt - child.startedAt;
}

/** SIGTERM, then SIGKILL after 6 s. */
async function stopChild(child: Child): Promise<void> {
  if (!live.has(child.proc)) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 6_000);
  await child.exited;
  clearTimeout(timer);
}

function killEverything(): void {
  for (const proc of live) proc.kill('SIGKILL');
  live.clear();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}

process.once('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killEverything();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Memory {
  /** VmRSS, VmHWM (peak resident), RssAnon (heap and other private memory), RssFile (mapped code), in MB. */
  rss: number;
  hwm: number;
  anon: number;
  file: number;
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return (Number(match[1]) * 1024) / MB;
  };
  return { rss: kB('VmRSS'), hwm: kB('VmHWM'), anon: kB('RssAnon'), file: kB('RssFile') };
}

interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function latency(samples: number[]): Latency {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

// ---------------------------------------------------------------------------------------------
// One bot, one catalog

interface BotSpec {
  key: string;
  label: string;
  kind: 'bare' | 'real';
  /** CONTENT_DIR for the real bot; '' is the shipped content/programming.md. */
  contentDir?: string;
  warmup: number;
  timed: number;
  readyTimeoutMs: number;
  queryTimeoutMs: number;
}

interface BotResult {
  key: string;
  label: string;
  kind: 'bare' | 'real';
  /** Links the real bot said it serves in its ready line. */
  links: number | null;
  readyMs: number;
  afterReady: Memory;
  afterQueries: Memory;
  latency: Latency;
  /** Timed answers that were not 204, or that had no choices. */
  rejected: number;
  empty: number;
}

interface Started {
  spec: BotSpec;
  fake: FakeDiscord;
  child: Child;
  readyMs: number;
  afterReady: Memory;
  links: number | null;
}

/** The bot's process connected to its own fake Discord, settled, its memory read. */
async function startBot(spec: BotSpec): Promise<Started> {
  const fake = new FakeDiscord();
  fakes.add(fake);
  await fake.start();
  const env = { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, CONTENT_DIR: spec.contentDir ?? '' };
  const script = spec.kind === 'bare' ? 'bench/bare-bot.ts' : 'src/main.ts';
  const child = launch(spec.label, ['--import', 'tsx', script], env, '"msg":"ready as');
  const started: Started = { spec, fake, child, readyMs: 0, afterReady: { rss: 0, hwm: 0, anon: 0, file: 0 }, links: null };
  try {
    started.readyMs = await waitReady(child, spec.readyTimeoutMs);
    const links = /serving ([\d,]+) links?/.exec(child.tail())?.[1];
    started.links = links === undefined ? null : Number(links.replaceAll(',', ''));
    progress(`${spec.label}: ready in ${(started.readyMs / 1000).toFixed(1)} s; settling`);
    await sleep(SETTLE_MS);
    started.afterReady = memoryOf(pidOf(child));
    progress(`${spec.label}: RSS ${started.afterReady.rss.toFixed(0)} MB`);
    return started;
  } catch (error) {
    await stopBot(started);
    throw error;
  }
}

async function stopBot(bot: Started): Promise<void> {
  await stopChild(bot.child);
  await bot.fake.stop();
  fakes.delete(bot.fake);
}

function pidOf(child: Child): number {
  if (child.proc.pid === undefined) throw new Error(`${child.label} has no pid`);
  return child.proc.pid;
}

/** Queries in a row to one bot before the next bot's turn. */
const BLOCK = 100;

/**
 * Autocompletes to each bot, one at a time, in blocks that take turns between the bots: bots
 * compared with each other are timed over the same minutes, so a machine that drifts (other
 * load, CPU frequency) moves them together rather than the ratio.
 */
async function timeBots(bots: Started[]): Promise<BotResult[]> {
  const state = bots.map(() => ({ samples: [] as number[], rejected: 0, empty: 0 }));
  const rounds = Math.max(...bots.map((b) => b.spec.warmup + b.spec.timed));
  for (let from = 0; from < rounds; from += BLOCK) {
    for (const [n, bot] of bots.entries()) {
      const { warmup, timed, queryTimeoutMs } = bot.spec;
      const mine = state[n];
      if (!mine) continue;
      for (let i = from; i < Math.min(from + BLOCK, warmup + timed); i++) {
        const reply = await bot.fake.dispatchInteraction(autocompleteInteraction('search', { query: query(i) }, 'query'), {
          timeoutMs: queryTimeoutMs,
        });
        if (i < warmup) continue;
        mine.samples.push(reply.ms);
        if (reply.status !== 204) mine.rejected++;
        const data = 'data' in reply.body ? (reply.body.data as { choices?: unknown[] } | undefined) : undefined;
        if (!data?.choices?.length) mine.empty++;
      }
    }
    if (from % 1000 === 0) progress(`${bots.map((b) => b.spec.label).join(' / ')}: ${from} of ${rounds} queries each`);
  }
  return bots.map((bot, n) => ({
    key: bot.spec.key,
    label: bot.spec.label,
    kind: bot.spec.kind,
    links: bot.links,
    readyMs: bot.readyMs,
    afterReady: bot.afterReady,
    afterQueries: memoryOf(pidOf(bot.child)),
    latency: latency(state[n]?.samples ?? []),
    rejected: state[n]?.rejected ?? 0,
    empty: state[n]?.empty ?? 0,
  }));
}

/** Starts the bots side by side, times them in turns, stops them. */
async function runTogether(specs: BotSpec[]): Promise<BotResult[]> {
  const started: Started[] = [];
  try {
    for (const spec of specs) started.push(await startBot(spec));
    return await timeBots(started);
  } finally {
    for (const bot of started) await stopBot(bot);
  }
}

// ---------------------------------------------------------------------------------------------
// Memory probes: what each layer under the real bot costs, idle

interface ProbeResult {
  key: string;
  label: string;
  memory: Memory;
}

const IDLE = `console.log('probe-ready'); setInterval(() => {}, 1 << 30);`;
/** Every module src/main.ts imports, without loading a catalog or connecting. */
const BOT_MODULES = [
  './commands/index.ts',
  './src/catalog/load-catalog.ts',
  './src/catalog/read-files.ts',
  './src/config.ts',
  './src/discord/bot.ts',
  './src/logger.ts',
  './src/console/run-console.ts',
  './src/linkdex.ts',
  './src/text.ts',
];

const PROBES: { key: string; label: string; args: string[] }[] = [
  { key: 'node', label: 'node, nothing loaded', args: ['-e', IDLE] },
  { key: 'tsx', label: 'node --import tsx', args: ['--import', 'tsx', '-e', IDLE] },
  {
    key: 'discordjs',
    label: '+ import discord.js',
    args: ['--import', 'tsx', '--input-type=module', '-e', `await import('discord.js'); ${IDLE}`],
  },
  {
    key: 'markdown',
    label: '+ import discord.js and the markdown stack',
    args: [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `for (const m of ['discord.js', 'unified', 'remark-parse', 'remark-gfm', 'gray-matter']) await import(m); ${IDLE}`,
    ],
  },
  {
    key: 'botCode',
    label: "+ import the real bot's modules",
    args: ['--import', 'tsx', '--input-type=module', '-e', `${BOT_MODULES.map((m) => `await import('${m}');`).join(' ')} ${IDLE}`],
  },
];

async function runProbe(probe: (typeof PROBES)[number]): Promise<ProbeResult> {
  const child = launch(probe.label, probe.args, {}, 'probe-ready');
  try {
    await waitReady(child, 30_000);
    await sleep(SETTLE_MS);
    if (child.proc.pid === undefined) throw new Error(`${probe.label} has no pid`);
    return { key: probe.key, label: probe.label, memory: memoryOf(child.proc.pid) };
  } finally {
    await stopChild(child);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface Target {
  name: string;
  value: number;
  limit: number;
  unit: string;
  pass: boolean;
}

function targets(byKey: Map<string, BotResult>): Target[] {
  const bare = byKey.get('bare');
  const seed = byKey.get('seed');
  const tenK = byKey.get('10k');
  const list: Target[] = [];
  if (bare && seed) {
    const ratio = seed.latency.p50 / bare.latency.p50;
    list.push({
      name: 'seed autocomplete p50 ≤ 1.5× bare p50',
      value: ratio,
      limit: TARGETS.seedP50VsBare,
      unit: '×',
      pass: ratio <= TARGETS.seedP50VsBare,
    });
  }
  if (tenK) {
    list.push({
      name: '10k autocomplete p99 ≤ 20 ms',
      value: tenK.latency.p99,
      limit: TARGETS.tenKP99Ms,
      unit: 'ms',
      pass: tenK.latency.p99 <= TARGETS.tenKP99Ms,
    });
  }
  if (bare && seed) {
    const ratio = seed.afterReady.rss / bare.afterReady.rss;
    list.push({
      name: 'seed RSS ≤ 1.25× bare RSS',
      value: ratio,
      limit: TARGETS.seedRssVsBare,
      unit: '×',
      pass: ratio <= TARGETS.seedRssVsBare,
    });
  }
  return list;
}

interface BreakdownLine {
  what: string;
  mb: number;
}

/** Differences between successive layers, all RSS after ready/settle. */
function breakdown(probes: Map<string, ProbeResult>, bots: Map<string, BotResult>): BreakdownLine[] {
  const rss = (m: Memory | undefined) => m?.rss ?? NaN;
  const p = (k: string) => rss(probes.get(k)?.memory);
  const b = (k: string) => rss(bots.get(k)?.afterReady);
  const lines: BreakdownLine[] = [
    { what: 'node itself', mb: p('node') },
    { what: 'tsx loader (--import tsx)', mb: p('tsx') - p('node') },
    { what: 'discord.js modules', mb: p('discordjs') - p('tsx') },
    { what: 'bare bot: connected client, REST, gateway (bare − discord.js probe)', mb: b('bare') - p('discordjs') },
    { what: "real bot's own modules over discord.js", mb: p('botCode') - p('discordjs') },
    { what: '  of which unified, remark-parse, remark-gfm, gray-matter', mb: p('markdown') - p('discordjs') },
    { what: '  of which the rest (fuse.js, pino, zod, dotenv, src/ and commands/ through tsx)', mb: p('botCode') - p('markdown') },
    { what: 'real bot connected, empty catalog, over its modules', mb: b('empty') - p('botCode') },
    { what: 'seed catalog + index (seed − empty)', mb: b('seed') - b('empty') },
    { what: '10k catalog + index (10k − empty)', mb: b('10k') - b('empty') },
  ];
  if (bots.has('100k')) lines.push({ what: '100k catalog + index (100k − empty)', mb: b('100k') - b('empty') });
  return lines;
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function report(bots: BotResult[], probes: ProbeResult[], list: Target[], lines: BreakdownLine[], durationMs: number): string {
  const bare = bots.find((b) => b.key === 'bare');
  const out: string[] = [];
  out.push(`# linkdex end to end: the running bot against the fake Discord (node ${process.version}, ${os.cpus().length} CPUs)`, '');
  out.push('Round trip = fake gateway dispatch of INTERACTION_CREATE → the bot’s callback request. MB = 10^6 bytes.', '');
  out.push(
    table(
      [
        'bot / catalog',
        'links',
        'ready s',
        'RSS MB',
        '× bare',
        'peak MB',
        'RSS after q.',
        'n',
        'p50 ms',
        '× bare',
        'p90',
        'p99 ms',
        '× bare',
        'max',
        'empty',
      ],
      bots.map((r) => [
        r.label,
        r.links === null ? '–' : r.links.toLocaleString('en-US'),
        fmt(r.readyMs / 1000),
        fmt(r.afterReady.rss, 0),
        bare ? fmt(r.afterReady.rss / bare.afterReady.rss, 2) : '–',
        fmt(r.afterReady.hwm, 0),
        fmt(r.afterQueries.rss, 0),
        String(r.latency.n),
        fmt(r.latency.p50, 2),
        bare ? fmt(r.latency.p50 / bare.latency.p50, 1) : '–',
        fmt(r.latency.p90, 2),
        fmt(r.latency.p99, 2),
        bare ? fmt(r.latency.p99 / bare.latency.p99, 1) : '–',
        fmt(r.latency.max, 1),
        `${r.empty}${r.rejected ? `, ${r.rejected} rejected` : ''}`,
      ]),
    ),
  );
  out.push('', '"empty": timed answers with no choices (nonsense queries have none); "peak MB" is VmHWM at the reading after ready.', '');
  out.push('## Targets', '');
  for (const t of list) out.push(`- ${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${fmt(t.value, 2)} ${t.unit} (limit ${t.limit} ${t.unit})`);
  out.push('', '## Where the memory goes (idle RSS)', '');
  out.push(
    table(
      ['process', 'RSS MB', 'anon MB', 'file MB'],
      [
        ...probes.map((p) => [p.label, fmt(p.memory.rss, 0), fmt(p.memory.anon, 0), fmt(p.memory.file, 0)]),
        ...bots.map((b) => [`${b.label} (after ready)`, fmt(b.afterReady.rss, 0), fmt(b.afterReady.anon, 0), fmt(b.afterReady.file, 0)]),
      ],
    ),
  );
  out.push(
    '',
    table(
      ['layer', 'MB'],
      lines.map((l) => [l.what, fmt(l.mb, 0)]),
    ),
  );
  out.push('', `Run time ${fmt(durationMs / 1000)} s.`);
  return out.join('\n');
}

function progress(message: string): void {
  process.stderr.write(`[bench:e2e] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------

function writeCatalog(root: string, entries: number): string {
  const dir = path.join(root, `catalog-${entries}`);
  for (const { file, text } of generateCatalogFiles(entries, 1)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const started = performance.now();
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-e2e-'));
  const root = tempDir;
  const emptyDir = path.join(root, 'empty');
  mkdirSync(emptyDir);

  const normal = { warmup: WARMUP, timed: TIMED, readyTimeoutMs: 60_000, queryTimeoutMs: 15_000 };
  // The three compared with each other run side by side, timed in turns; the large catalogs alone.
  const bots = await runTogether([
    { key: 'bare', label: 'bare discord.js bot', kind: 'bare', ...normal },
    { key: 'empty', label: 'real bot, empty catalog', kind: 'real', contentDir: emptyDir, ...normal },
    { key: 'seed', label: 'real bot, seed', kind: 'real', contentDir: '', ...normal },
  ]);
  bots.push(
    ...(await runTogether([{ key: '10k', label: 'real bot, 10k', kind: 'real', contentDir: writeCatalog(root, 10_000), ...normal }])),
  );
  if (!values.quick) {
    const big: BotSpec = {
      key: '100k',
      label: 'real bot, 100k',
      kind: 'real',
      contentDir: writeCatalog(root, 100_000),
      warmup: BIG_WARMUP,
      timed: BIG_TIMED,
      readyTimeoutMs: 240_000,
      queryTimeoutMs: 60_000,
    };
    bots.push(...(await runTogether([big])));
  }

  const probes: ProbeResult[] = [];
  for (const probe of PROBES) {
    progress(`probe: ${probe.label}`);
    probes.push(await runProbe(probe));
  }

  const byKey = new Map(bots.map((b) => [b.key, b]));
  const list = targets(byKey);
  const lines = breakdown(new Map(probes.map((p) => [p.key, p])), byKey);
  const durationMs = performance.now() - started;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          node: process.version,
          cpus: os.cpus().length,
          quick: values.quick,
          unit: { memory: 'MB (10^6 bytes)', latency: 'ms, gateway dispatch → callback request' },
          bots,
          probes,
          targets: list,
          breakdown: lines,
          durationMs,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(`${report(bots, probes, list, lines, durationMs)}\n`);
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  for (const fake of fakes) await fake.stop().catch(() => undefined);
  for (const proc of [...live]) proc.kill('SIGKILL');
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}
