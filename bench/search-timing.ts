/**
 * In-process search latency: every query of some named groups against one SearchIndex, warmed up,
 * then timed in rounds for as long as a time budget allows; per group p50, p99, mean, max.
 * Shared by the engine tables (bench/run.ts --engine) and issue 14's table (bench/runtime.ts).
 */
import type { SearchIndex, SearchOptions } from '../src/search/search-index.js';
import { percentile } from './percentile.js';

/** Time spent on timed query rounds per call; big catalogs get a single round regardless. */
const QUERY_BUDGET_MS = 8_000;
const MAX_QUERY_ROUNDS = 20;
/** Up to this many entries every query runs once untimed first; above it only a few do. */
const FULL_WARMUP_MAX_ENTRIES = 20_000;

export interface GroupStats<G extends string = string> {
  group: G;
  queries: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** How many of the group's queries returned at least one hit. */
  withHits: number;
}

export interface QueryDetail<G extends string = string> {
  group: G;
  query: string;
  medianMs: number;
  maxMs: number;
  hits: number;
  topHit: string | null;
  suggestions: number;
}

export interface QueryTiming<G extends string> {
  queryRounds: number;
  warmupQueries: number;
  groups: GroupStats<G>[];
  queries: QueryDetail<G>[];
}

export interface TimingOptions extends SearchOptions {
  budgetMs?: number;
  progress?: (message: string) => void;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

export function timeQueries<G extends string>(
  index: SearchIndex,
  set: Readonly<Record<G, readonly string[]>>,
  entries: number,
  options: TimingOptions = {},
): QueryTiming<G> {
  const { budgetMs = QUERY_BUDGET_MS, progress = () => undefined, ...search } = options;
  const all = (Object.entries(set) as [G, readonly string[]][]).flatMap(([group, queries]) => queries.map((query) => ({ group, query })));
  const run = (query: string) => {
    const t0 = performance.now();
    const result = index.search(query, search);
    return { ms: performance.now() - t0, result };
  };

  // Warm up: every query once on small catalogs; on big ones a few, since each costs up to seconds.
  const warmup = entries <= FULL_WARMUP_MAX_ENTRIES ? all : all.filter((_, i) => i % 12 === 0);
  const warmupMs = warmup.map(({ query }) => run(query).ms);
  const estimatedRoundMs = mean(warmupMs) * all.length;
  const rounds = Math.max(1, Math.min(MAX_QUERY_ROUNDS, Math.floor(budgetMs / Math.max(estimatedRoundMs, 0.001))));
  progress(`  ${warmup.length} warm-up queries (${mean(warmupMs).toFixed(1)} ms each), then ${rounds} timed round(s) of ${all.length}`);

  const samples = all.map(() => [] as number[]);
  const outcomes = all.map(() => ({ hits: 0, topHit: null as string | null, suggestions: 0 }));
  for (let round = 0; round < rounds; round++) {
    all.forEach(({ query }, i) => {
      const { ms, result } = run(query);
      samples[i]?.push(ms);
      outcomes[i] = { hits: result.hits.length, topHit: result.hits[0]?.title ?? null, suggestions: result.suggestions.length };
    });
    if (rounds > 1 && entries > FULL_WARMUP_MAX_ENTRIES) progress(`  round ${round + 1}/${rounds} done`);
  }

  const queries: QueryDetail<G>[] = all.map(({ group, query }, i) => {
    const s = samples[i] ?? [];
    const o = outcomes[i] ?? { hits: 0, topHit: null, suggestions: 0 };
    return { group, query, medianMs: percentile(s, 50), maxMs: Math.max(...s), hits: o.hits, topHit: o.topHit, suggestions: o.suggestions };
  });
  const groups: GroupStats<G>[] = (Object.keys(set) as G[]).map((group) => {
    const inGroup = all.map((q, i) => ({ ...q, i })).filter((q) => q.group === group);
    const times = inGroup.flatMap((q) => samples[q.i] ?? []);
    return {
      group,
      queries: inGroup.length,
      samples: times.length,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      meanMs: mean(times),
      maxMs: Math.max(...times),
      withHits: inGroup.filter((q) => (outcomes[q.i]?.hits ?? 0) > 0).length,
    };
  });
  return { queryRounds: rounds, warmupQueries: warmup.length, groups, queries };
}
