/**
 * `npm run bench`: by default issue 14's table, the running bot against a bare discord.js bot
 * (bench/runtime.ts). With --engine, --loading or --http: the catalog engine in this process,
 * parse + extract (`buildCatalog`), index (`new SearchIndex`) and search latency on the seed, the
 * real awesome-lists in test/fixtures/corpora and generated catalogs of 10,000 and 100,000
 * entries; loading from disk; the HTTP endpoint.
 *
 *   npm run bench                        issue 14's table (bench/runtime.ts); `npm run bench:e2e` is the same
 *   npm run bench -- --quick             the same without the 100,000-entry catalog
 *   npm run -s bench -- --json           one JSON object on stdout instead (with any of the others)
 *   npm run bench -- --engine            parsing, indexing, search (prefiltered and full scan), loading, HTTP
 *   npm run bench -- --engine --quick    the same without the 100,000-entry catalog
 *   npm run bench -- --loading           only the loading section (loadCatalog from disk: cold, cache, chunks, worker)
 *   npm run bench -- --http              only the HTTP endpoint section (1,000 concurrent signed autocompletes)
 *   npm run bench -- --storage           issue 16's storage: settings reads, the daily claim (SQLite and PostgreSQL), an interaction with and without settings
 *   npm run bench:hostile                hostile markdown (issue 13): what each attack costs the loader within its budget
 */
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadCatalogInWorker } from '../src/catalog/load-in-worker.js';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { parseMarkdown } from '../src/catalog/parse-markdown.js';
import { readContentFiles, type ContentFile } from '../src/catalog/read-files.js';
import type { Catalog } from '../src/catalog/types.js';
import { SearchIndex } from '../src/search/search-index.js';
import { SEARCH_RESULT_LIMIT } from '../src/commands/search.js';
import { percentile } from './percentile.js';
import { timeQueries, type GroupStats, type QueryDetail } from './search-timing.js';
import { benchHttp, httpReport, type HttpBenchResult } from './http.js';
import { benchStorage, storageReport } from './storage.js';
import { runtimeBench } from './runtime.js';
import { compareSearch, type SearchComparison } from './search-compare.js';
import { KINDS, TOPICS, generateCatalogFiles } from './generate-catalog.js';
import { benchSeconds, progress } from './progress.js';

// ---------------------------------------------------------------------------------------------
// Settings

/** Inputs smaller than this are timed several times (the median is kept), and their heap measured three times. */
const SMALL_INPUT_BYTES = 1_000_000;
const SMALL_INPUT_TIMING_RUNS = 7;
const SMALL_INPUT_HEAP_RUNS = 3;
/** The remark-only baseline is linear in the input; above this size it would only add half a minute. */
const REMARK_BASELINE_MAX_BYTES = 5_000_000;
const GENERATED_SIZES = [10_000, 100_000] as const;

const MB = 1_000_000;

// ---------------------------------------------------------------------------------------------
// Queries

type GroupName = 'prefix' | 'word' | 'typo' | 'phrase' | 'nonsense';
type QuerySet = Record<GroupName, readonly string[]>;

const NONSENSE = ['zzqxv', 'qwpoeiru', 'xkcdqj blorfle', 'vvvzzzwq', 'qzxj wpvk mmrt'];

/** For the real catalogs: what members would type. */
const REAL_QUERIES: QuerySet = {
  prefix: ['ku', 'kube', 'obs', 'pro', 'dat', 'py', 'doc', 'web'],
  word: ['kafka', 'python', 'docker', 'monitoring', 'database', 'testing', 'security', 'workflow'],
  typo: ['kuberntes', 'obsevability', 'promethues', 'pyhton', 'dockr', 'databse', 'montoring', 'wrokflow'],
  phrase: ['machine learning', 'web framework', 'static site generator', 'workflow engine', 'command line tool', 'distributed systems'],
  nonsense: NONSENSE,
};

/** A word of the generator's vocabulary, checked so a rename there cannot silently empty a group. */
function vocab(word: string): string {
  const known: readonly string[] = [...TOPICS, ...KINDS.map((k) => k.toLowerCase())];
  if (!known.includes(word)) throw new Error(`"${word}" is not in the generator's vocabulary (bench/generate-catalog.ts)`);
  return word;
}

/** One edit, chosen by `variant`: drop, swap or double a letter in the middle of the word. */
function typo(word: string, variant: number): string {
  const i = Math.floor(word.length / 2);
  switch (variant % 3) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i - 1) + (word[i] ?? '') + (word[i - 1] ?? '') + word.slice(i + 1);
    default:
      return word.slice(0, i) + (word[i] ?? '') + word.slice(i);
  }
}

function generatedQueries(): QuerySet {
  const words = ['kafka', 'python', 'docker', 'monitoring', 'postgres', 'graphql', 'terraform', 'elasticsearch'].map(vocab);
  const typoSources = ['kubernetes', 'observability', 'prometheus', 'python', 'docker', 'postgres', 'monitoring', 'elasticsearch'].map(
    vocab,
  );
  return {
    prefix: ['kubernetes', 'kubernetes', 'observability', 'prometheus', 'database', 'stream', 'graphql', 'typescript'].map((w, i) =>
      vocab(w).slice(0, 2 + (i % 3)),
    ),
    word: words,
    typo: typoSources.map((w, i) => typo(w, i)),
    phrase: [
      `${vocab('kafka')} ${vocab('client')}`,
      `${vocab('python')} ${vocab('library')}`,
      `${vocab('kubernetes')} ${vocab('operator')}`,
      `${vocab('monitoring')} ${vocab('dashboard')}`,
      `${vocab('postgres')} ${vocab('driver')} ${vocab('rust')}`,
      `${vocab('grafana')} ${vocab('plugin')}`,
    ],
    nonsense: NONSENSE,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring helpers

const gcInfo = exposeGc();

/** `global.gc` when node runs with --expose-gc; otherwise V8's flag is set at run time (tsx passes no node flags). */
function exposeGc(): { gc: (() => void) | undefined; how: string } {
  if (typeof globalThis.gc === 'function') {
    const gc = globalThis.gc;
    return { gc: () => void gc(), how: '--expose-gc' };
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    if (typeof gc === 'function') return { gc: () => void (gc as () => void)(), how: 'v8.setFlagsFromString("--expose-gc")' };
  } catch {
    // Fall through: heap numbers then include garbage.
  }
  return { gc: undefined, how: 'unavailable: heap deltas include garbage' };
}

function collect(): void {
  gcInfo.gc?.();
  gcInfo.gc?.();
}

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

function peakRssMB(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

function clock<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

// ---------------------------------------------------------------------------------------------
// One catalog

interface CatalogResult {
  name: string;
  source: string;
  files: number;
  entries: number;
  expectedEntries: number | null;
  categories: number;
  problems: { error: number; warning: number; info: number };
  inputMB: number;
  buildRuns: number;
  /** remark-parse + remark-gfm alone on every file: the floor under buildCatalog. */
  remarkMs: number | null;
  /** buildCatalog: front matter, parse, extract, ids, checks. */
  buildMs: number;
  buildMBps: number;
  indexMs: number;
  heap: {
    /** Retained by the catalog after a full GC (the input strings not included). */
    catalogMB: number;
    /** Retained by the SearchIndex after a full GC, on top of the catalog. */
    indexMB: number;
    /** heapUsed growth right after buildCatalog, before any GC: a lower bound on its peak. */
    buildNoGcMB: number;
    /** The process's resident-set high-water mark so far (catalogs run small to large). */
    peakRssMB: number;
  };
  queryRounds: number;
  warmupQueries: number;
  groups: GroupStats<GroupName>[];
  queries: QueryDetail<GroupName>[];
  seconds: number;
}

interface CatalogInput {
  name: string;
  source: string;
  files: ContentFile[];
  expectedEntries?: number;
  queries: QuerySet;
}

function benchCatalog(input: CatalogInput): CatalogResult {
  const t0 = performance.now();
  const { files } = input;
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  const small = bytes < SMALL_INPUT_BYTES;
  // A big input is built once, and that run is both timed and measured.
  const timingRuns = small ? SMALL_INPUT_TIMING_RUNS : 0;
  const heapRuns = small ? SMALL_INPUT_HEAP_RUNS : 1;
  progress(`${input.name}: ${files.length} file(s), ${(bytes / MB).toFixed(2)} MB`);

  // Timing runs on small inputs: the raw remark parse alone (the baseline), buildCatalog and the
  // index, interleaved so drift (JIT, GC, CPU clock) favours none of them. No forced GC here:
  // in trials a forced GC before each run made it 2-3x slower (V8 drops compiled code in it).
  const withRemark = bytes <= REMARK_BASELINE_MAX_BYTES;
  const parseAll = () => files.reduce((n, f) => n + parseMarkdown(f.text).children.length, 0);
  const remarkTimes: number[] = [];
  const buildTimes: number[] = [];
  const indexTimes: number[] = [];
  for (let i = 0; i < timingRuns; i++) {
    if (withRemark) remarkTimes.push(clock(parseAll).ms);
    const built = clock(() => buildCatalog(files));
    buildTimes.push(built.ms);
    indexTimes.push(clock(() => new SearchIndex(built.value)).ms);
  }

  // Heap runs: a full GC before and after each step. Small inputs get three, since a GC that
  // frees compiled code is noise the size of their result. The last run's catalog and index are
  // the ones queried.
  const catalogBytes: number[] = [];
  const indexBytes: number[] = [];
  const buildNoGcBytes: number[] = [];
  let kept: { catalog: Catalog; index: SearchIndex } | undefined;
  for (let i = 0; i < heapRuns; i++) {
    if (withRemark && !small) remarkTimes.push(clock(parseAll).ms);
    collect();
    const heap0 = heapUsed();
    const built = clock(() => buildCatalog(files));
    buildNoGcBytes.push(heapUsed() - heap0);
    collect();
    const heap1 = heapUsed();
    const indexed = clock(() => new SearchIndex(built.value));
    collect();
    catalogBytes.push(heap1 - heap0);
    indexBytes.push(heapUsed() - heap1);
    if (!small) {
      buildTimes.push(built.ms);
      indexTimes.push(indexed.ms);
    }
    kept = { catalog: built.value, index: indexed.value };
  }
  if (kept === undefined) throw new Error('unreachable: no measured run');
  const { catalog, index } = kept;

  const remarkMs = withRemark ? median(remarkTimes) : null;
  const buildMs = median(buildTimes);
  const indexMs = median(indexTimes);
  progress(
    `  ${remarkMs === null ? 'remark baseline skipped (input too big)' : `remark alone ${remarkMs.toFixed(0)} ms`}, ` +
      `buildCatalog ${buildMs.toFixed(0)} ms, ${catalog.entries.length} entries, SearchIndex ${indexMs.toFixed(0)} ms`,
  );

  if (input.expectedEntries !== undefined && catalog.entries.length !== input.expectedEntries) {
    const message = `ENTRY COUNT MISMATCH in ${input.name}: generated ${input.expectedEntries} entries, buildCatalog found ${catalog.entries.length}`;
    process.stderr.write(`\n!!! ${message}\n\n`);
    throw new Error(message);
  }

  const problems = { error: 0, warning: 0, info: 0 };
  for (const p of catalog.problems) problems[p.severity]++;

  const timed = timeQueries(index, input.queries, catalog.entries.length, { limit: SEARCH_RESULT_LIMIT, progress });
  return {
    name: input.name,
    source: input.source,
    files: files.length,
    entries: catalog.entries.length,
    expectedEntries: input.expectedEntries ?? null,
    categories: catalog.categories.length,
    problems,
    inputMB: bytes / MB,
    buildRuns: buildTimes.length,
    remarkMs,
    buildMs,
    buildMBps: bytes / MB / (buildMs / 1000),
    indexMs,
    heap: {
      catalogMB: median(catalogBytes) / MB,
      indexMB: median(indexBytes) / MB,
      buildNoGcMB: median(buildNoGcBytes) / MB,
      peakRssMB: peakRssMB(),
    },
    ...timed,
    seconds: (performance.now() - t0) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Output

function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

function fmtMB(mb: number): string {
  return mb < 10 ? mb.toFixed(2) : mb.toFixed(1);
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function report(result: CatalogResult): string {
  const r = result;
  const lines: string[] = [];
  lines.push(`== ${r.name} (${r.source})`);
  lines.push(
    table(
      [
        'entries',
        'categories',
        'files',
        'MB',
        'remark ms',
        'parse+extract ms',
        'MB/s',
        'index ms',
        'heap catalog MB',
        'heap index MB',
        'peak RSS MB',
      ],
      [
        [
          String(r.entries),
          String(r.categories),
          String(r.files),
          fmtMB(r.inputMB),
          r.remarkMs === null ? 'skipped' : fmtMs(r.remarkMs),
          fmtMs(r.buildMs),
          r.buildMBps.toFixed(2),
          fmtMs(r.indexMs),
          fmtMB(r.heap.catalogMB),
          fmtMB(r.heap.indexMB),
          r.heap.peakRssMB.toFixed(0),
        ],
      ],
    ),
  );
  lines.push(
    `problems: ${r.problems.error} errors, ${r.problems.warning} warnings, ${r.problems.info} info · ` +
      `${r.buildRuns === 1 ? '1 build' : `median of ${r.buildRuns} builds`} · queries: limit ${SEARCH_RESULT_LIMIT}, ` +
      `${r.warmupQueries} warm-up, ${r.queryRounds} timed round(s)`,
  );
  lines.push('');
  lines.push(
    table(
      ['query group', 'queries', 'samples', 'p50 ms', 'p99 ms', 'mean ms', 'max ms', 'with hits'],
      r.groups.map((g) => [
        g.group,
        String(g.queries),
        String(g.samples),
        fmtMs(g.p50Ms),
        fmtMs(g.p99Ms),
        fmtMs(g.meanMs),
        fmtMs(g.maxMs),
        `${g.withHits}/${g.queries}`,
      ]),
    ),
  );
  const slowest = [...r.queries].sort((a, b) => b.medianMs - a.medianMs).slice(0, 3);
  lines.push(`slowest: ${slowest.map((q) => `"${q.query}" ${fmtMs(q.medianMs)} ms`).join(', ')}`);
  const noisy = r.queries.filter((q) => q.group === 'nonsense' && q.hits > 0);
  const missed = r.queries.filter((q) => (q.group === 'word' || q.group === 'typo') && q.hits === 0);
  if (noisy.length > 0) lines.push(`nonsense queries with hits: ${noisy.map((q) => `"${q.query}" (${q.hits})`).join(', ')}`);
  if (missed.length > 0) lines.push(`word/typo queries without hits: ${missed.map((q) => `"${q.query}"`).join(', ')}`);
  return lines.join('\n');
}

function summary(results: readonly CatalogResult[]): string {
  const group = (r: CatalogResult, name: GroupName) => r.groups.find((g) => g.group === name);
  const cell = (r: CatalogResult, name: GroupName) => {
    const g = group(r, name);
    return g ? `${fmtMs(g.p50Ms)} / ${fmtMs(g.p99Ms)}` : '–';
  };
  return table(
    ['catalog', 'entries', 'MB', 'parse+extract ms', 'MB/s', 'index ms', 'heap MB', 'prefix p50/p99', 'word', 'typo', 'phrase', 'nonsense'],
    results.map((r) => [
      r.name,
      String(r.entries),
      fmtMB(r.inputMB),
      fmtMs(r.buildMs),
      r.buildMBps.toFixed(2),
      fmtMs(r.indexMs),
      fmtMB(r.heap.catalogMB + r.heap.indexMB),
      cell(r, 'prefix'),
      cell(r, 'word'),
      cell(r, 'typo'),
      cell(r, 'phrase'),
      cell(r, 'nonsense'),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Loading: loadCatalog from disk, as the bot and the CLI run it

interface LoadingResult {
  /** loadCatalog of content/ without a cache: the first load in this process (cold JIT). */
  seedColdMs: number;
  seedEntries: number;
  split: {
    files: number;
    entries: number;
    inputMB: number;
    rounds: number;
    /** Sum of plain parseMarkdown over the same files: the fastest of the rounds (the machine's noise only adds). */
    remarkMs: number;
    /** loadCatalog with an empty cache, so including writing the cache: the fastest round. */
    coldMs: number;
    /** loadCatalog with the cache filled by the cold load: the fastest of 3 per round. */
    warmMs: number;
    /** The same three as medians over the rounds. */
    medians: { remarkMs: number; coldMs: number; warmMs: number; overheadPct: number };
    overheadPct: number;
    warmPctOfCold: number;
  };
  bigFile: {
    inputMB: number;
    entries: number;
    chunks: number;
    ms: number;
    /** heapUsed before the load, after a full GC. */
    baseHeapMB: number;
    /** The highest heapUsed sampled after each chunk's parse (its tree alive). */
    peakHeapMB: number;
    peakRssMB: number;
  };
  worker: {
    entries: number;
    ms: number;
    /** The longest the main thread went without running a 5 ms interval, less its 5 ms. */
    maxDelayMs: number;
    /** monitorEventLoopDelay (1 ms resolution): max and p99. */
    eldMaxMs: number;
    eldP99Ms: number;
    /** The same load on the main thread, for contrast: interval gap and monitorEventLoopDelay max. */
    mainThreadMaxDelayMs: number;
    mainThreadEldMaxMs: number;
  };
}

async function seedColdLoad(): Promise<{ ms: number; entries: number }> {
  const t0 = performance.now();
  const catalog = await loadCatalog(path.join(repoRoot, 'content'), { cacheDir: false }, repoRoot);
  return { ms: performance.now() - t0, entries: catalog.entries.length };
}

function writeContent(dir: string, files: readonly { file: string; text: string }[]): void {
  for (const f of files) {
    const target = path.join(dir, f.file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.text);
  }
}

/** Generated parts joined into one file: the first keeps its front matter, the others lose theirs. */
function oneBigFile(minBytes: number): { text: string; entries: number } {
  let entries = 20_000;
  for (;;) {
    const parts = generateCatalogFiles(entries);
    const text = parts.map((p, i) => (i === 0 ? p.text : p.text.replace(/^---\n[\s\S]*?\n---\n/, ''))).join('\n');
    if (Buffer.byteLength(text) >= minBytes) return { text, entries };
    entries = Math.ceil((entries * minBytes) / Buffer.byteLength(text) / 1000) * 1000 + 1000;
  }
}

/**
 * How long the main thread stops answering while `load` runs, two ways: monitorEventLoopDelay
 * (1 ms resolution), and the longest gap between the ticks of a 5 ms interval, less 5 ms. The
 * histogram misses a single long block (its timer records nothing while the loop is stuck, and
 * little after), so the interval is the one to trust; both are reported.
 */
async function delayDuring(load: () => Promise<unknown>): Promise<{ ms: number; eldMaxMs: number; eldP99Ms: number; gapMaxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let gapMax = 0;
  // Something to serve meanwhile: a timer every 5 ms, as a bot's heartbeats and replies would be.
  const ticker = setInterval(() => {
    const now = performance.now();
    gapMax = Math.max(gapMax, now - last - 5);
    last = now;
  }, 5);
  histogram.enable();
  const t0 = performance.now();
  await load();
  const ms = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  clearInterval(ticker);
  return { ms, eldMaxMs: histogram.max / 1e6, eldP99Ms: histogram.percentile(99) / 1e6, gapMaxMs: Math.max(0, gapMax) };
}

async function benchLoading(seedCold: { ms: number; entries: number }): Promise<LoadingResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'linkdex-bench-load-'));
  try {
    // 10,000 entries over several files: remark alone vs loadCatalog cold (empty cache) vs warm.
    const splitFiles = generateCatalogFiles(10_000);
    const content = path.join(root, 'split');
    writeContent(content, splitFiles);
    const read = await readContentFiles(content, root);
    const remarkRuns: number[] = [];
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    const rounds = 5;
    let entries = 0;
    for (let round = 0; round < rounds; round++) {
      progress(`loading: 10k split, round ${round + 1}/${rounds}`);
      const cacheDir = path.join(root, `cache-${round}`);
      const remarkOnly = () => {
        collect();
        remarkRuns.push(clock(() => read.files.forEach((f) => parseMarkdown(f.text))).ms);
      };
      // Alternate which goes first, so neither always runs on a hotter (or busier) machine.
      if (round % 2 === 0) remarkOnly();
      collect();
      let t0 = performance.now();
      entries = (await loadCatalog(content, { cacheDir }, root)).entries.length;
      coldRuns.push(performance.now() - t0);
      if (round % 2 === 1) remarkOnly();
      for (let i = 0; i < 3; i++) {
        collect();
        t0 = performance.now();
        await loadCatalog(content, { cacheDir }, root);
        warmRuns.push(performance.now() - t0);
      }
    }
    const remarkMs = Math.min(...remarkRuns);
    const coldMs = Math.min(...coldRuns);
    const warmMs = Math.min(...warmRuns);
    const medians = { remarkMs: median(remarkRuns), coldMs: median(coldRuns), warmMs: median(warmRuns), overheadPct: 0 };
    medians.overheadPct = (medians.coldMs / medians.remarkMs - 1) * 100;

    // One file just under the 4 MB cap (MAX_FILE_BYTES), chunked, parsed on this thread (budget: false)
    // so the heap can be sampled after each chunk's parse.
    progress('loading: one 4 MB file');
    const big = oneBigFile(3.9 * MB);
    const bigPath = path.join(root, 'big', 'big.md');
    writeContent(path.join(root, 'big'), [{ file: 'big.md', text: big.text }]);
    collect();
    const baseHeap = heapUsed();
    let peakHeap = baseHeap;
    let chunks = 0;
    const onChunkParsed = () => {
      chunks++;
      peakHeap = Math.max(peakHeap, heapUsed(), v8.getHeapStatistics().used_heap_size);
    };
    const t0 = performance.now();
    const bigCatalog = await loadCatalog(bigPath, { cacheDir: false, onChunkParsed, budget: false }, root);
    const bigMs = performance.now() - t0;
    peakHeap = Math.max(peakHeap, heapUsed());
    if (bigCatalog.entries.length !== big.entries) {
      process.stderr.write(`[bench] big file: generated ${big.entries} entries, loadCatalog found ${bigCatalog.entries.length}\n`);
    }

    // A reload while serving: 10k in a worker, the main thread's event-loop delay measured meanwhile.
    progress('loading: 10k in a worker');
    collect();
    let workerEntries = 0;
    const inWorker = await delayDuring(async () => {
      workerEntries = (await loadCatalogInWorker(content, { cacheDir: false }, root)).entries.length;
    });
    const onMain = await delayDuring(() => loadCatalog(content, { cacheDir: false }, root));

    return {
      seedColdMs: seedCold.ms,
      seedEntries: seedCold.entries,
      split: {
        files: read.files.length,
        entries,
        inputMB: read.files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / MB,
        rounds,
        remarkMs,
        coldMs,
        warmMs,
        overheadPct: (coldMs / remarkMs - 1) * 100,
        warmPctOfCold: (warmMs / coldMs) * 100,
        medians,
      },
      bigFile: {
        inputMB: Buffer.byteLength(big.text) / MB,
        entries: bigCatalog.entries.length,
        chunks,
        ms: bigMs,
        baseHeapMB: baseHeap / MB,
        peakHeapMB: peakHeap / MB,
        peakRssMB: peakRssMB(),
      },
      worker: {
        entries: workerEntries,
        ms: inWorker.ms,
        maxDelayMs: inWorker.gapMaxMs,
        eldMaxMs: inWorker.eldMaxMs,
        eldP99Ms: inWorker.eldP99Ms,
        mainThreadMaxDelayMs: onMain.gapMaxMs,
        mainThreadEldMaxMs: onMain.eldMaxMs,
      },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function loadingReport(r: LoadingResult): string {
  const pass = (ok: boolean) => (ok ? 'ok' : 'OVER');
  const rows: string[][] = [
    [
      'seed cold load (content/, no cache)',
      `${fmtMs(r.seedColdMs)} ms`,
      `${r.seedEntries} entries`,
      `target < 150 ms: ${pass(r.seedColdMs < 150)}`,
    ],
    [
      `10k split: remark-parse only (sum over ${r.split.files} files, ${fmtMB(r.split.inputMB)} MB)`,
      `${fmtMs(r.split.remarkMs)} ms`,
      `best of ${r.split.rounds} (median ${fmtMs(r.split.medians.remarkMs)})`,
      '',
    ],
    [
      '10k split: loadCatalog cold (empty cache)',
      `${fmtMs(r.split.coldMs)} ms`,
      `overhead ${r.split.overheadPct.toFixed(1)} % (medians: ${fmtMs(r.split.medians.coldMs)} ms, ${r.split.medians.overheadPct.toFixed(1)} %)`,
      `target ≤ 10 %: ${pass(r.split.overheadPct <= 10)}`,
    ],
    [
      '10k split: loadCatalog warm (cache)',
      `${fmtMs(r.split.warmMs)} ms`,
      `${r.split.warmPctOfCold.toFixed(1)} % of cold`,
      `target ≤ 10 %: ${pass(r.split.warmPctOfCold <= 10)}`,
    ],
    [
      `one ${fmtMB(r.bigFile.inputMB)} MB file, ${r.bigFile.entries} entries, ${r.bigFile.chunks} chunks`,
      `${fmtMs(r.bigFile.ms)} ms`,
      `peak heap ${fmtMB(r.bigFile.peakHeapMB)} MB (base ${fmtMB(r.bigFile.baseHeapMB)})`,
      `target < 1000 MB: ${pass(r.bigFile.peakHeapMB < 1000)}`,
    ],
    [
      `10k in a worker (${r.worker.entries} entries)`,
      `${fmtMs(r.worker.ms)} ms`,
      `loop blocked max ${fmtMs(r.worker.maxDelayMs)} ms (monitorEventLoopDelay max ${fmtMs(r.worker.eldMaxMs)}, p99 ${fmtMs(r.worker.eldP99Ms)})`,
      `target ≤ 100 ms: ${pass(r.worker.maxDelayMs <= 100)}`,
    ],
    [
      '10k on the main thread (for contrast)',
      '',
      `loop blocked max ${fmtMs(r.worker.mainThreadMaxDelayMs)} ms (monitorEventLoopDelay max ${fmtMs(r.worker.mainThreadEldMaxMs)})`,
      '',
    ],
  ];
  return `== loading (loadCatalog from a temporary folder)\n${table(['what', 'time', 'detail', 'check'], rows)}`;
}

// ---------------------------------------------------------------------------------------------
// Main

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const corporaDir = path.resolve(repoRoot, 'test', 'fixtures', 'corpora');
const CORPORA = ['awesome.md', 'awesome-python.md', 'awesome-workflow-engines.md'];

async function readInput(name: string, file: string, queries: QuerySet): Promise<CatalogInput | undefined> {
  if (!existsSync(file)) {
    process.stderr.write(`[bench] ${file} not found; ${name} is skipped\n`);
    return undefined;
  }
  const read = await readContentFiles(file, repoRoot);
  return { name, source: path.relative(repoRoot, file), files: read.files, queries };
}

function comparisonReport(rows: readonly (SearchComparison & { name: string })[]): string {
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const lines = rows.map(
    (r) =>
      `${r.name.padEnd(16)} ${String(r.entries).padStart(7)} ${String(r.queries).padStart(7)}  ` +
      `${`${f(r.prefiltered.p50)} / ${f(r.prefiltered.p99)}`.padStart(14)}  ${`${f(r.baseline.p50)} / ${f(r.baseline.p99)}`.padStart(16)}  ` +
      `${`${(r.top25Agreement * 100).toFixed(1)}%`.padStart(9)}  ${`${r.planted.prefilteredTop3}/${r.planted.total} vs ${r.planted.baselineTop3}/${r.planted.total}`.padStart(15)}`,
  );
  return [
    '== search: prefiltered vs fuse over every entry (same run; p50 / p99 ms, top 25)',
    'catalog          entries queries  prefiltered      full scan          agreement  planted top 3',
    ...lines,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      loading: { type: 'boolean', default: false },
      http: { type: 'boolean', default: false },
      storage: { type: 'boolean', default: false },
      engine: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench [-- --json] [-- --quick] [-- --engine | --loading | --http | --storage]\n' +
        "  (none)     issue 14's table: the running bot against a bare discord.js bot\n" +
        '  --json     one JSON object on stdout\n' +
        '  --quick    skip the 100,000-entry catalog (and one timed HTTP burst instead of three)\n' +
        '  --engine   the catalog engine in process: parsing, indexing, search, loading, HTTP\n' +
        "  --loading  only the engine's loading section\n" +
        '  --http     only the HTTP endpoint section\n' +
        '  --storage  issue 16: settings reads and the daily claim on SQLite and PostgreSQL, an interaction with and without settings\n',
    );
    return;
  }
  if (values.storage) {
    const storage = await benchStorage(progress);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ node: process.version, cpus: os.cpus().length, storage }, null, 2)}\n`
        : `${storageReport(storage)}\n`,
    );
    return;
  }
  if (!values.engine && !values.loading && !values.http) {
    await runtimeBench({ quick: values.quick, json: values.json });
    return;
  }
  if (values.http) {
    const http = await benchHttp({ bursts: values.quick ? 1 : 3, progress });
    process.stdout.write(
      values.json ? `${JSON.stringify({ node: process.version, cpus: os.cpus().length, http }, null, 2)}\n` : `${httpReport(http)}\n`,
    );
    return;
  }
  // First of all, while nothing has warmed the JIT: the seed's cold load.
  const seedCold = await seedColdLoad();
  const sizes = GENERATED_SIZES.filter((n) => (!values.quick || n < 100_000) && !values.loading);
  progress(`node ${process.version}, ${os.cpus().length} CPU(s), gc: ${gcInfo.how}`);

  // Sources are read up front; generated catalogs are made one at a time to keep the heap small.
  const real: CatalogInput[] = [];
  const seed = await readInput('seed', path.join(repoRoot, 'content', 'programming.md'), REAL_QUERIES);
  if (seed) real.push(seed);
  for (const corpus of CORPORA) {
    const input = await readInput(corpus.replace(/\.md$/, ''), path.join(corporaDir, corpus), REAL_QUERIES);
    if (input) real.push(input);
  }

  // Warm the JIT on the seed (or a small generated catalog) so the first catalog measured is not the cold one.
  const warm = real[0]?.files ?? generateCatalogFiles(300);
  for (let i = 0; i < 3; i++) {
    const index = new SearchIndex(buildCatalog(warm));
    for (const q of ['kube', 'python', 'pyhton', 'web framework', 'zzqxv']) index.search(q, { limit: SEARCH_RESULT_LIMIT });
  }
  progress('warm-up done');

  const results: CatalogResult[] = [];
  const emit = (result: CatalogResult) => {
    results.push(result);
    if (!values.json) process.stdout.write(`${report(result)}\n\n`);
  };
  if (!values.loading) for (const input of real) emit(benchCatalog(input));
  for (const n of sizes) {
    progress(`generating ${n} entries`);
    const t = performance.now();
    const files = generateCatalogFiles(n);
    progress(`  generated in ${(performance.now() - t).toFixed(0)} ms`);
    emit(
      benchCatalog({
        name: `generated-${n / 1000}k`,
        source: 'bench/generate-catalog.ts, seed 1',
        files,
        expectedEntries: n,
        queries: generatedQueries(),
      }),
    );
  }

  // The prefiltered search against fuse.js over every entry, in this same run.
  const comparisons: (SearchComparison & { name: string })[] = [];
  if (!values.loading) {
    const targets: [string, ContentFile[]][] = [
      ...(seed ? ([['seed', seed.files]] as [string, ContentFile[]][]) : []),
      ...sizes.map((n): [string, ContentFile[]] => [`generated-${n / 1000}k`, generateCatalogFiles(n)]),
    ];
    for (const [name, files] of targets) {
      progress(`search vs full scan: ${name}`);
      const catalog = buildCatalog(files);
      const n = catalog.entries.length;
      comparisons.push({
        name,
        ...compareSearch(catalog, { queries: n >= 100_000 ? 30 : n >= 10_000 ? 200 : 1000, planted: n >= 100_000 ? 20 : 40 }),
      });
    }
    if (!values.json) process.stdout.write(`${comparisonReport(comparisons)}\n\n`);
  }

  const loading = await benchLoading(seedCold);
  if (!values.json) process.stdout.write(`${loadingReport(loading)}\n\n`);

  // The running HTTP endpoint, as a separate process: after the rest, so it competes with nothing.
  let http: HttpBenchResult | null = null;
  if (!values.loading) {
    http = await benchHttp({ bursts: values.quick ? 1 : 3, progress });
    if (!values.json) process.stdout.write(`${httpReport(http)}\n\n`);
  }

  const totalSeconds = benchSeconds();
  if (values.json) {
    const output = {
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      gc: gcInfo.how,
      heapLimitMB: v8.getHeapStatistics().heap_size_limit / MB,
      searchLimit: SEARCH_RESULT_LIMIT,
      quick: values.quick,
      megabyte: MB,
      totalSeconds,
      catalogs: results,
      searchVsFullScan: comparisons,
      loading,
      http,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    process.stdout.write(`== summary (query columns: p50 / p99 ms)\n${summary(results)}\n\n`);
    process.stdout.write(
      `node ${process.version}, ${os.cpus().length} CPU(s), gc ${gcInfo.how}; MB = ${MB.toLocaleString('en')} bytes; ` +
        `heap = heapUsed retained after a full GC, input text not included; peak RSS = the process's high-water mark so far; ` +
        `total ${totalSeconds.toFixed(1)} s\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
