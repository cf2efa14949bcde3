/**
 * The prefiltered search against plain fuse.js over every entry, in the same run: latency,
 * agreement of the top 25, and how often a planted typo still finds its entry in the top 3.
 *
 *   npx tsx bench/search-compare.ts [--json] [--sizes 250,10000,100000]
 */
import { parseArgs } from 'node:util';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { Catalog } from '../src/catalog/types.js';
import { wordsOf } from '../src/text.js';
import { SearchIndex } from '../src/search/search-index.js';
import { generateCatalogFiles } from './generate-catalog.js';
import { percentile } from './percentile.js';

export interface LatencyStats {
  p50: number;
  p99: number;
  max: number;
}

export interface SearchComparison {
  entries: number;
  queries: number;
  prefiltered: LatencyStats;
  baseline: LatencyStats;
  /** Share of the baseline's top 25 that the prefiltered search also returns in its top 25. */
  top25Agreement: number;
  planted: { total: number; prefilteredTop3: number; baselineTop3: number };
  buildMs: { prefiltered: number; baseline: number };
}

/** A small deterministic generator (mulberry32), so every run plants the same typos. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stats(samples: number[]): LatencyStats {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: percentile(samples, 100) };
}

/** One typo of the kinds members make: a swapped pair, a dropped letter, a doubled letter. */
function typo(word: string, rnd: () => number): string {
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const kind = Math.floor(rnd() * 3);
  if (kind === 0) return word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2);
  if (kind === 1) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + word.charAt(i) + word.slice(i);
}

/** The typed prefixes, words, phrases, typos and nonsense a member sends, drawn from the catalog's own words. */
export function mixedQueries(catalog: Catalog, count: number, seed = 7): string[] {
  const rnd = random(seed);
  const words = catalog.entries.flatMap((e) => wordsOf(e.title)).filter((w) => w.length >= 5);
  const pick = () => words[Math.floor(rnd() * words.length)] ?? 'kafka';
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = pick();
    switch (i % 5) {
      case 0:
        queries.push(word.slice(0, 2 + (i % 4)));
        break;
      case 1:
        queries.push(word);
        break;
      case 2:
        queries.push(`${word} ${pick()}`);
        break;
      case 3:
        queries.push(typo(word, rnd));
        break;
      default:
        queries.push(`zq${word.slice(0, 3)}xv`);
    }
  }
  return queries;
}

function time(index: SearchIndex, queries: readonly string[]): { samples: number[]; tops: string[][] } {
  const samples: number[] = [];
  const tops: string[][] = [];
  for (const q of queries) {
    const started = performance.now();
    const hits = index.search(q, { limit: 25 }).hits;
    samples.push(performance.now() - started);
    tops.push(hits.map((h) => h.id));
  }
  return { samples, tops };
}

export function compareSearch(catalog: Catalog, options: { queries?: number; planted?: number } = {}): SearchComparison {
  const t0 = performance.now();
  const prefiltered = new SearchIndex(catalog);
  const t1 = performance.now();
  const baseline = new SearchIndex(catalog, { prefilter: false });
  const t2 = performance.now();
  const queries = mixedQueries(catalog, options.queries ?? 100);
  // Warm both, so the first queries' compilation is not measured.
  for (const q of queries.slice(0, 50)) {
    prefiltered.search(q, { limit: 25 });
    baseline.search(q, { limit: 25 });
  }
  const fast = time(prefiltered, queries);
  const slow = time(baseline, queries);
  let agreed = 0;
  let total = 0;
  slow.tops.forEach((top, i) => {
    const mine = new Set(fast.tops[i]);
    total += top.length;
    agreed += top.filter((id) => mine.has(id)).length;
  });

  const rnd = random(11);
  let plantedTotal = 0;
  let prefilteredTop3 = 0;
  let baselineTop3 = 0;
  for (let i = 0; i < (options.planted ?? 40); i++) {
    const entry = catalog.entries[Math.floor(rnd() * catalog.entries.length)];
    const word = entry ? wordsOf(entry.title).sort((a, b) => b.length - a.length)[0] : undefined;
    if (!entry || !word || word.length < 6) continue;
    const query = typo(word, rnd);
    plantedTotal += 1;
    if (prefiltered.search(query, { limit: 3 }).hits.some((h) => h.id === entry.id)) prefilteredTop3 += 1;
    if (baseline.search(query, { limit: 3 }).hits.some((h) => h.id === entry.id)) baselineTop3 += 1;
  }

  return {
    entries: catalog.entries.length,
    queries: queries.length,
    prefiltered: stats(fast.samples),
    baseline: stats(slow.samples),
    top25Agreement: total === 0 ? 1 : agreed / total,
    planted: { total: plantedTotal, prefilteredTop3, baselineTop3 },
    buildMs: { prefiltered: t1 - t0, baseline: t2 - t1 },
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, sizes: { type: 'string' } } });
  const sizes = (values.sizes ?? '250,10000,100000').split(',').map(Number);
  const results: SearchComparison[] = [];
  for (const size of sizes) {
    process.stderr.write(`[search-compare] ${size} entries: building…\n`);
    const catalog = buildCatalog(generateCatalogFiles(size));
    const queries = size >= 100_000 ? 100 : size >= 10_000 ? 300 : 1000;
    results.push(compareSearch(catalog, { queries, planted: size >= 100_000 ? 20 : 40 }));
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    process.stdout.write(
      `${r.entries} entries, ${r.queries} queries: prefiltered p50 ${round(r.prefiltered.p50)} / p99 ${round(r.prefiltered.p99)} ms; ` +
        `fuse over all p50 ${round(r.baseline.p50)} / p99 ${round(r.baseline.p99)} ms; top-25 agreement ${round(r.top25Agreement * 100)}%; ` +
        `planted typos in top 3: ${r.planted.prefilteredTop3}/${r.planted.total} prefiltered, ${r.planted.baselineTop3}/${r.planted.total} full scan; ` +
        `index build ${round(r.buildMs.prefiltered)} ms (full scan ${round(r.buildMs.baseline)} ms)\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
