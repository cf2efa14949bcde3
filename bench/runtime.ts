/**
 * Issue 14's table in one run: linkdex as production runs it (compiled, plain node,
 * NODE_ENV=production) side by side with a bare discord.js bot that answers every autocomplete
 * with 25 constant choices (bench/bare-bot.mjs), each against its own fake Discord on 127.0.0.1,
 * with the same queries; on the shipped seed, on a 7,100-entry catalog (the real lists in the
 * repository topped up with generated entries) and on 100,000 entries.
 *
 * - memory: PSS (and RSS) of the bot's whole process tree from /proc/<pid>/smaps_rollup, read
 *   after it is ready and has served the round-trip warm-up;
 * - start → gateway ready: spawn → the fake Discord sending READY; start → first real answer:
 *   spawn → the first autocomplete answered with the catalog's links (asked again and again from
 *   READY on), so the catalog's cost stays visible once the bot connects before loading it;
 *   warm = the parse cache (.cache/ in the bot's own temporary working directory) filled by the
 *   start before, cold = empty; start figures are medians over a few starts;
 * - autocomplete: round trips (the fake's INTERACTION_CREATE dispatch → the bot's callback) of
 *   bench:e2e's typing mix, after a long warm-up, in turns between the bots; and whole titles of
 *   four or more words with one or two typos (from the real lists, fixed seed);
 * - in process: the same misspelt titles against a SearchIndex in this process (bench/search-timing.ts).
 *
 *   npm run bench                  the table on stdout, progress on stderr
 *   npm run bench -- --quick       without the 100,000-entry catalog
 *   npm run -s bench -- --json     one JSON object on stdout instead
 *
 * Misses are reported, not failed: the process exits 0 unless something crashed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { SearchIndex } from '../src/search/search-index.js';
import {
  describeComposition,
  misspeltTitles,
  readRealLists,
  writeMixedCatalog,
  type Composition,
  type RealList,
} from './bench-catalogs.js';
import {
  BotFailed,
  QUERY_CYCLE,
  firstRealAnswer,
  memoryOf,
  startBot,
  stopBot,
  stopEverything,
  timeInTurns,
  type Bot,
  type Latency,
} from './bots.js';
import { buildLinkdex, type LinkdexLaunch } from './linkdex-launch.js';
import { percentile } from './percentile.js';
import type { TreeMemory } from './proc-memory.js';
import { timeQueries, type GroupStats } from './search-timing.js';
import { checkRow, formatTable, type CheckedRow, type Row, type Target } from './targets-table.js';
import { benchSeconds, progress } from './progress.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const BARE_BOT = path.join(repoRoot, 'bench', 'bare-bot.mjs');

interface Plan {
  key: 'seed' | '7k' | '100k';
  label: string;
  /** null: the shipped content/ as it is. */
  entries: number | null;
  /** Starts of each kind whose median is reported (the seed's cold start is there to fill the cache). */
  startRounds: { cold: number; warm: number };
  /** Whether the bare bot runs beside linkdex (the issue has no bare figure at 100k). */
  bare: boolean;
  warmup: number;
  timed: number;
  /** Misspelt whole titles: how many, warm-up and timed round trips; null: none. */
  misspelt: { titles: number; warmup: number; timed: number } | null;
  inProcess: boolean;
  readyTimeoutMs: number;
  queryTimeoutMs: number;
}

/**
 * A bot runs for months, so the latency targets are about its steady state: both bots get the same
 * long warm-up before timing (with 30 warm-up queries the real bot looked 1.4-1.7x slower, with
 * 500 1.2-1.6x; only past a couple of thousand do both settle).
 */
const PLANS: readonly Plan[] = [
  {
    key: 'seed',
    label: 'shipped seed',
    entries: null,
    startRounds: { cold: 1, warm: 3 },
    bare: true,
    warmup: 2000,
    timed: 2000,
    misspelt: null,
    inProcess: false,
    readyTimeoutMs: 60_000,
    queryTimeoutMs: 15_000,
  },
  {
    key: '7k',
    label: '7,100 entries',
    entries: 7_100,
    startRounds: { cold: 2, warm: 3 },
    bare: true,
    warmup: 2000,
    timed: 2000,
    misspelt: { titles: 200, warmup: 200, timed: 600 },
    inProcess: true,
    readyTimeoutMs: 120_000,
    queryTimeoutMs: 15_000,
  },
  {
    key: '100k',
    label: '100,000 entries',
    entries: 100_000,
    startRounds: { cold: 1, warm: 1 },
    bare: false,
    warmup: 100,
    timed: 500,
    misspelt: { titles: 100, warmup: 20, timed: 100 },
    inProcess: true,
    readyTimeoutMs: 600_000,
    queryTimeoutMs: 60_000,
  },
];

// ---------------------------------------------------------------------------------------------
// Starting linkdex: compiled, or through tsx when the compiled build cannot start

interface Start {
  bot: Bot;
  /** Spawn → first real answer, ms. */
  firstMs: number;
  /** Why it runs through tsx (the compiled build's error); null when compiled. */
  viaTsx: string | null;
}

interface Context {
  launch: LinkdexLaunch;
  probe: { query: string; isReal: (choices: { name: string; value: unknown }[]) => boolean };
}

/** The line of a failed start's output that says why (the first `Error`), cut to one line. */
function why(output: string): string {
  const line = output.split('\n').find((l) => /Error|error/.test(l)) ?? output.trim().split('\n').at(-1) ?? '';
  // The rest of the line names a temporary folder that differs between runs.
  return line
    .replace(/ imported from .*/, '')
    .trim()
    .slice(0, 200);
}

/** Why the compiled build could not start, per kind of start, once it has failed in this run: it is not tried again. */
const compiledFailed: { cold?: string; warm?: string } = {};

async function startLinkdex(ctx: Context, label: string, cwd: string, contentDir: string, plan: Plan, cold: boolean): Promise<Start> {
  const spec = { label, cwd, env: { CONTENT_DIR: contentDir }, readyTimeoutMs: plan.readyTimeoutMs };
  const kind = cold ? 'cold' : 'warm';
  let bot: Bot | null = null;
  if (compiledFailed[kind] === undefined) {
    try {
      bot = await startBot({ ...spec, args: ctx.launch.compiled });
    } catch (error) {
      if (!(error instanceof BotFailed) || !error.reason.startsWith('exited')) throw error;
      compiledFailed[kind] = why(error.output);
      progress(`${label}: the compiled build exited before READY (${compiledFailed[kind]}); ${kind} starts go through tsx from now on`);
      if (cold) rmSync(path.join(cwd, '.cache'), { recursive: true, force: true });
    }
  }
  const viaTsx = compiledFailed[kind] ?? null;
  bot ??= await startBot({ ...spec, args: ctx.launch.tsx });
  const firstMs = await firstRealAnswer(bot, ctx.probe.query, ctx.probe.isReal, plan.readyTimeoutMs);
  return { bot, firstMs, viaTsx };
}

async function startBare(plan: Plan): Promise<{ bot: Bot; firstMs: number }> {
  const bot = await startBot({ label: 'bare bot', args: [BARE_BOT], cwd: os.tmpdir(), readyTimeoutMs: plan.readyTimeoutMs });
  const firstMs = await firstRealAnswer(bot, 'anything', (choices) => choices.length > 0, plan.readyTimeoutMs);
  return { bot, firstMs };
}

// ---------------------------------------------------------------------------------------------
// One catalog

export interface StartFigures {
  bareReadyMs: number[];
  bareFirstMs: number[];
  linkdexReadyMs: number[];
  linkdexFirstMs: number[];
}

export interface CatalogRun {
  key: Plan['key'];
  label: string;
  composition: Composition | null;
  /** What linkdex said it serves in its ready line, when it said. */
  links: number | null;
  cold: StartFigures;
  warm: StartFigures;
  /** Read after READY, the first answer and `warmup` round trips. */
  memory: { bare: TreeMemory | null; linkdex: TreeMemory };
  mix: { bare: Latency | null; linkdex: Latency };
  misspelt: { queries: string[]; bare: Latency | null; linkdex: Latency } | null;
  inProcess: { autocomplete: GroupStats; search: GroupStats; loadMs: number; indexMs: number } | null;
  /** Notes on how linkdex ran, when not compiled. */
  notes: string[];
}

function emptyStarts(): StartFigures {
  return { bareReadyMs: [], bareFirstMs: [], linkdexReadyMs: [], linkdexFirstMs: [] };
}

async function benchCatalog(ctx: Context, plan: Plan, root: string, lists: readonly RealList[]): Promise<CatalogRun> {
  const contentDir = plan.entries === null ? path.join(repoRoot, 'content') : path.join(root, `catalog-${plan.key}`);
  const composition = plan.entries === null ? null : writeMixedCatalog(contentDir, plan.entries, lists);
  progress(`${plan.label}: ${composition ? describeComposition(composition) : 'content/ as shipped'}`);
  const cwd = path.join(root, `cwd-${plan.key}`);
  mkdirSync(cwd, { recursive: true });
  /** Why the compiled build could not start → the kinds of start that went through tsx for it. */
  const viaTsx = new Map<string, Set<'cold' | 'warm'>>();
  const run: CatalogRun = {
    key: plan.key,
    label: plan.label,
    composition,
    links: null,
    cold: emptyStarts(),
    warm: emptyStarts(),
    memory: { bare: null, linkdex: { pids: [], pssMB: NaN, rssMB: NaN } },
    mix: { bare: null, linkdex: emptyLatency() },
    misspelt: null,
    inProcess: null,
    notes: [],
  };

  // Cold starts: an empty parse cache each time; the bare bot's start just before, for its figure.
  for (let round = 0; round < plan.startRounds.cold; round++) {
    if (plan.bare) {
      const bare = await startBare(plan);
      run.cold.bareReadyMs.push(bare.bot.readyMs);
      run.cold.bareFirstMs.push(bare.firstMs);
      await stopBot(bare.bot);
    }
    rmSync(path.join(cwd, '.cache'), { recursive: true, force: true });
    const linkdex = await startLinkdex(ctx, `linkdex ${plan.key} cold`, cwd, contentDir, plan, true);
    if (linkdex.viaTsx) viaTsx.set(linkdex.viaTsx, (viaTsx.get(linkdex.viaTsx) ?? new Set()).add('cold'));
    run.cold.linkdexReadyMs.push(linkdex.bot.readyMs);
    run.cold.linkdexFirstMs.push(linkdex.firstMs);
    progress(
      `${plan.label}, cold: READY ${(linkdex.bot.readyMs / 1000).toFixed(2)} s, first answer ${(linkdex.firstMs / 1000).toFixed(2)} s`,
    );
    await stopBot(linkdex.bot);
  }

  // Warm starts: the cache the start before filled. The last pair stays up for the rest.
  let bare: Bot | null = null;
  let linkdex: Bot | null = null;
  try {
    for (let round = 0; round < plan.startRounds.warm; round++) {
      const last = round === plan.startRounds.warm - 1;
      if (plan.bare) {
        const b = await startBare(plan);
        run.warm.bareReadyMs.push(b.bot.readyMs);
        run.warm.bareFirstMs.push(b.firstMs);
        bare = b.bot;
      }
      const l = await startLinkdex(ctx, `linkdex ${plan.key} warm`, cwd, contentDir, plan, false);
      if (l.viaTsx) viaTsx.set(l.viaTsx, (viaTsx.get(l.viaTsx) ?? new Set()).add('warm'));
      linkdex = l.bot;
      run.warm.linkdexReadyMs.push(l.bot.readyMs);
      run.warm.linkdexFirstMs.push(l.firstMs);
      progress(`${plan.label}, warm: READY ${(l.bot.readyMs / 1000).toFixed(2)} s, first answer ${(l.firstMs / 1000).toFixed(2)} s`);
      if (!last) {
        if (bare) await stopBot(bare);
        await stopBot(linkdex);
        bare = null;
        linkdex = null;
      }
    }
    if (!linkdex) throw new Error('unreachable: no linkdex running');
    run.links = await linksServed(linkdex);

    const bots = bare ? [bare, linkdex] : [linkdex];
    const timeoutMs = plan.queryTimeoutMs;
    progress(`${plan.label}: ${plan.warmup} warm-up round trips each`);
    await timeInTurns(bots, QUERY_CYCLE, { warmup: plan.warmup, timed: 0, timeoutMs }, progress);
    run.memory = { bare: bare ? memoryOf(bare) : null, linkdex: memoryOf(linkdex) };
    progress(
      `${plan.label}: PSS ${run.memory.bare ? `bare ${run.memory.bare.pssMB.toFixed(0)} MB, ` : ''}linkdex ${run.memory.linkdex.pssMB.toFixed(0)} MB`,
    );
    progress(`${plan.label}: ${plan.timed} timed round trips each`);
    const mix = await timeInTurns(bots, QUERY_CYCLE, { warmup: 0, timed: plan.timed, timeoutMs }, progress);
    run.mix = { bare: bare ? (mix[0] ?? null) : null, linkdex: mix.at(-1) ?? emptyLatency() };

    if (plan.misspelt) {
      const titles = lists.flatMap((l) => l.titles);
      const queries = misspeltTitles(titles, plan.misspelt.titles);
      progress(`${plan.label}: ${queries.length} misspelt titles, e.g. "${queries[0] ?? ''}"`);
      const timed = await timeInTurns(bots, queries, { warmup: plan.misspelt.warmup, timed: plan.misspelt.timed, timeoutMs }, progress);
      run.misspelt = { queries, bare: bare ? (timed[0] ?? null) : null, linkdex: timed.at(-1) ?? emptyLatency() };
    }
  } finally {
    if (bare) await stopBot(bare);
    if (linkdex) await stopBot(linkdex);
  }

  if (plan.inProcess && run.misspelt) {
    // From the cache linkdex filled, in this process, once the bots are gone.
    progress(`${plan.label}: in-process search`);
    let t0 = performance.now();
    const catalog = await loadCatalog(contentDir, { cacheDir: path.join(cwd, '.cache') }, cwd);
    const loadMs = performance.now() - t0;
    t0 = performance.now();
    const index = new SearchIndex(catalog);
    const indexMs = performance.now() - t0;
    const set = { long: run.misspelt.queries };
    const n = catalog.entries.length;
    const autocomplete = timeQueries(index, set, n, { limit: 25, suggest: false, budgetMs: 4000, progress }).groups[0];
    const search = timeQueries(index, set, n, { limit: 100, budgetMs: 4000, progress }).groups[0];
    if (autocomplete && search) run.inProcess = { autocomplete, search, loadMs, indexMs };
  }
  run.notes = [...viaTsx].map(
    ([reason, kinds]) =>
      `${[...kinds].join(' and ')} starts through \`node --import tsx src/main.ts\`: the compiled dist/src/main.js exited before READY (${reason})`,
  );
  return run;
}

/** The link count linkdex's ready line names; its log may reach the file a moment after it answers. */
async function linksServed(bot: Bot): Promise<number | null> {
  for (let waited = 0; waited < 3000; waited += 50) {
    const links = /serving ([\d,]+) links?/.exec(bot.tail())?.[1];
    if (links !== undefined) return Number(links.replaceAll(',', ''));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

function emptyLatency(): Latency {
  return { n: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN, rejected: 0, empty: 0 };
}

// ---------------------------------------------------------------------------------------------
// The table

function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : percentile(values, 50);
}

const seconds = (ms: readonly number[]) => {
  const m = median(ms);
  return m === null ? null : m / 1000;
};

type Figure = 'pss' | 'rss' | 'ready' | 'first' | 'coldReady' | 'coldFirst' | 'p50' | 'p99' | 'misspelt' | 'inProcess';

/** Issue 14's targets by catalog and figure; the figures without one are shown beside them. */
const TARGETS: Record<Plan['key'], Partial<Record<Figure, Target>>> = {
  seed: { pss: { kind: 'ratio', max: 1.1 }, ready: { kind: 'ratio', max: 1.3 }, p50: { kind: 'ratio', max: 1.2, note: 'keep' } },
  '7k': {
    pss: { kind: 'ratio', max: 1.3 },
    ready: { kind: 'ratio', max: 1.5 },
    coldReady: { kind: 'ratio', max: 1.5, note: 'connect first' },
    p50: { kind: 'ratio', max: 1.5 },
    p99: { kind: 'absolute', max: 5 },
    misspelt: { kind: 'absolute', max: 8 },
    inProcess: { kind: 'absolute', max: 5 },
  },
  '100k': { rss: { kind: 'absolute', max: 400 }, ready: { kind: 'absolute', max: 3 }, inProcess: { kind: 'absolute', max: 20 } },
};

/** Issue 14's rows and the figures beside them, from the runs. */
export function tableRows(runs: readonly CatalogRun[]): Row[] {
  const rows: Row[] = [];
  for (const r of runs) {
    const warm = r.key === 'seed' ? 'shipped seed' : r.key === '7k' ? '7,100 entries, cache warm' : '100k entries, warm restart';
    const cold = r.key === 'seed' ? 'shipped seed, cold (no cache)' : `${r.key === '7k' ? '7,100' : '100k'} entries, cold (no cache)`;
    const note = r.notes.length > 0 ? r.notes.join('; ') : undefined;
    const add = (
      key: Figure,
      catalog: string,
      figure: string,
      unit: Row['unit'],
      bare: number | null | undefined,
      linkdex: number | null,
    ) => {
      const row: Row = { catalog, figure, unit, bare: bare ?? null, linkdex, target: TARGETS[r.key][key] ?? null };
      // The in-process rows do not depend on how the bot was started.
      rows.push(note && key !== 'inProcess' ? { ...row, note } : row);
    };
    add('pss', warm, 'memory (PSS)', 'MB', r.memory.bare?.pssMB, r.memory.linkdex.pssMB);
    add('rss', warm, 'memory (RSS)', 'MB', r.memory.bare?.rssMB, r.memory.linkdex.rssMB);
    add('ready', warm, 'start → gateway ready', 's', seconds(r.warm.bareReadyMs), seconds(r.warm.linkdexReadyMs));
    add('first', warm, 'start → first real answer', 's', seconds(r.warm.bareFirstMs), seconds(r.warm.linkdexFirstMs));
    add('coldReady', cold, 'start → gateway ready', 's', seconds(r.cold.bareReadyMs), seconds(r.cold.linkdexReadyMs));
    add('coldFirst', cold, 'start → first real answer', 's', seconds(r.cold.bareFirstMs), seconds(r.cold.linkdexFirstMs));
    add('p50', warm, 'autocomplete p50', 'ms', r.mix.bare?.p50, r.mix.linkdex.p50);
    add('p99', warm, 'autocomplete p99', 'ms', r.mix.bare?.p99, r.mix.linkdex.p99);
    if (r.misspelt)
      add('misspelt', warm, 'whole misspelt titles (4+ words), round-trip p99', 'ms', r.misspelt.bare?.p99, r.misspelt.linkdex.p99);
    if (r.inProcess) {
      const where = `${r.key === '7k' ? '7,100' : '100k'} entries, in process`;
      add('inProcess', where, 'long multi-word queries p99 (autocomplete: 25, no suggestions)', 'ms', null, r.inProcess.autocomplete.p99Ms);
      rows.push({
        catalog: where,
        figure: 'long multi-word queries p99 (/search: 100)',
        unit: 'ms',
        bare: null,
        linkdex: r.inProcess.search.p99Ms,
        target: null,
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Main

function details(runs: readonly CatalogRun[]): string {
  const f = (n: number | null | undefined, d = 2) => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(d));
  const lat = (l: Latency | null | undefined) =>
    l
      ? `p50 ${f(l.p50)} / p90 ${f(l.p90)} / p99 ${f(l.p99)} / max ${f(l.max, 1)} ms (n ${l.n}, ${l.empty} empty, ${l.rejected} rejected)`
      : '–';
  const starts = (ms: readonly number[]) => (ms.length ? ms.map((m) => (m / 1000).toFixed(2)).join(', ') : '–');
  const out: string[] = [];
  for (const r of runs) {
    out.push(
      `${r.label}: ${r.composition ? describeComposition(r.composition) : 'content/ as shipped'}; linkdex said it serves ${r.links ?? '?'} links`,
    );
    out.push(
      `  starts, s (each start; median in the table): cold bare ${starts(r.cold.bareReadyMs)} | linkdex READY ${starts(r.cold.linkdexReadyMs)}, first answer ${starts(r.cold.linkdexFirstMs)}`,
    );
    out.push(
      `    warm bare ${starts(r.warm.bareReadyMs)} | linkdex READY ${starts(r.warm.linkdexReadyMs)}, first answer ${starts(r.warm.linkdexFirstMs)}`,
    );
    const mem = (m: TreeMemory | null) =>
      m ? `PSS ${f(m.pssMB, 0)} MB, RSS ${f(m.rssMB, 0)} MB (${m.pids.length} process${m.pids.length === 1 ? '' : 'es'})` : '–';
    out.push(
      `  memory after READY, the first answer and ${PLANS.find((p) => p.key === r.key)?.warmup ?? '?'} warm-up round trips: bare ${mem(r.memory.bare)} | linkdex ${mem(r.memory.linkdex)}`,
    );
    out.push(`  round trips, typing mix: bare ${lat(r.mix.bare)}`);
    out.push(`                           linkdex ${lat(r.mix.linkdex)}`);
    if (r.misspelt) {
      out.push(
        `  round trips, ${r.misspelt.queries.length} misspelt titles (e.g. "${r.misspelt.queries.slice(0, 2).join('", "')}"): bare ${lat(r.misspelt.bare)}`,
      );
      out.push(`                           linkdex ${lat(r.misspelt.linkdex)}`);
    }
    if (r.inProcess) {
      const g = (s: GroupStats) =>
        `p50 ${f(s.p50Ms)} / p99 ${f(s.p99Ms)} / max ${f(s.maxMs, 1)} ms (${s.samples} samples, ${s.withHits}/${s.queries} with hits)`;
      out.push(
        `  in process (loaded from linkdex's cache in ${f(r.inProcess.loadMs / 1000)} s, indexed in ${f(r.inProcess.indexMs / 1000)} s):`,
      );
      out.push(`    autocomplete (limit 25, no suggestions) ${g(r.inProcess.autocomplete)}; /search (limit 100) ${g(r.inProcess.search)}`);
    }
  }
  return out.join('\n');
}

export async function runtimeBench(options: { quick: boolean; json: boolean }): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'linkdex-bench-'));
  let launch: LinkdexLaunch | null = null;
  try {
    progress('building linkdex');
    launch = buildLinkdex();
    const built = launch;
    // Interrupted: the interim dist/ goes too (the exit handler in bots.ts kills the bots).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        built.cleanup();
        rmSync(root, { recursive: true, force: true });
        process.exit(130);
      });
    }
    progress(`built with ${launch.build}`);
    const lists = await readRealLists();
    // The probe for "a real answer": a title of the seed (in every catalog here), whole.
    const seed = lists[0];
    const probe = seed?.titles.find((t) => /^[\x20-\x7e]{12,60}$/.test(t));
    if (!probe) throw new Error('no title of 12-60 plain characters in content/ to probe answers with');
    const ctx: Context = {
      launch,
      probe: { query: probe, isReal: (choices) => choices.some((c) => c.name.toLowerCase().startsWith(probe.toLowerCase())) },
    };
    const runs: CatalogRun[] = [];
    for (const plan of PLANS) {
      if (options.quick && plan.key === '100k') continue;
      runs.push(await benchCatalog(ctx, plan, root, lists));
    }
    const rows: CheckedRow[] = tableRows(runs).map(checkRow);
    const durationS = benchSeconds();
    const about = {
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg(),
      build: launch.build,
      bareBot: 'node bench/bare-bot.mjs (25 constant choices), NODE_ENV=production',
      linkdex: 'node dist/src/main.js, NODE_ENV=production, CONTENT_DIR set, own temporary working directory',
      megabyte: 1_000_000,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...about, quick: options.quick, durationS, rows, runs }, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      [
        `# linkdex against a bare discord.js bot, side by side (node ${about.node}, ${about.cpus} CPUs, load ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
        '',
        `linkdex: ${about.linkdex}, built with ${about.build}. Bare bot: ${about.bareBot}.`,
        'Memory: PSS of the process tree (/proc/<pid>/smaps_rollup), MB = 10^6 bytes. Ready: spawn → the fake Discord sends READY.',
        'Round trip: the fake dispatches INTERACTION_CREATE → the bot’s callback request. Start figures: median of the starts below.',
        '',
        formatTable(rows),
        '',
        details(runs),
        '',
        `Run time ${durationS.toFixed(0)} s.`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopEverything();
    launch?.cleanup();
    rmSync(root, { recursive: true, force: true });
  }
}
