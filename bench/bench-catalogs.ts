/**
 * The catalogs `npm run bench` serves: the shipped seed, and mixed catalogs made of the real lists
 * in the repository (the seed and test/fixtures/corpora) topped up with generated awesome-list
 * entries to a given size; and the queries that need a catalog's titles.
 */
import { Buffer } from 'node:buffer';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { readContentFiles } from '../src/catalog/read-files.js';
import { Prng, generateCatalogFiles } from './generate-catalog.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Every real list in the repository. */
export const REAL_LISTS = [
  'content/programming.md',
  'test/fixtures/corpora/awesome.md',
  'test/fixtures/corpora/awesome-python.md',
  'test/fixtures/corpora/awesome-workflow-engines.md',
] as const;

export interface RealList {
  file: string;
  entries: number;
  titles: string[];
}

/** The real lists, each built once in this process for its entry count and titles. */
export async function readRealLists(): Promise<RealList[]> {
  const lists: RealList[] = [];
  for (const file of REAL_LISTS) {
    const { files } = await readContentFiles(path.join(repoRoot, file), repoRoot);
    const catalog = buildCatalog(files);
    lists.push({ file, entries: catalog.entries.length, titles: catalog.entries.map((e) => e.title) });
  }
  return lists;
}

export interface Composition {
  entries: number;
  bytes: number;
  real: { file: string; entries: number }[];
  generated: { entries: number; files: number; seed: number };
}

/** A one-line description: what a catalog is made of. */
export function describeComposition(c: Composition): string {
  const real = c.real.map((r) => `${path.basename(r.file)} ${r.entries.toLocaleString('en-US')}`).join(', ');
  return (
    `${c.entries.toLocaleString('en-US')} entries, ${(c.bytes / 1e6).toFixed(1)} MB: ${real}` +
    (c.generated.entries > 0
      ? `, + ${c.generated.entries.toLocaleString('en-US')} generated (bench/generate-catalog.ts, seed ${c.generated.seed}, ${c.generated.files} files)`
      : '')
  );
}

/**
 * Writes into `dir` every real list and as many generated entries as make `total` in all
 * (generator seed 1, so every run serves the same catalog).
 */
export function writeMixedCatalog(dir: string, total: number, lists: readonly RealList[]): Composition {
  const seed = 1;
  let bytes = 0;
  mkdirSync(path.join(dir, 'real'), { recursive: true });
  for (const list of lists) {
    const source = path.join(repoRoot, list.file);
    copyFileSync(source, path.join(dir, 'real', path.basename(list.file)));
    bytes += readFileSync(source).length;
  }
  const realEntries = lists.reduce((n, l) => n + l.entries, 0);
  const generated = generateCatalogFiles(Math.max(0, total - realEntries), seed);
  for (const { file, text } of generated) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
    bytes += Buffer.byteLength(text);
  }
  const generatedEntries = Math.max(0, total - realEntries);
  return {
    entries: realEntries + generatedEntries,
    bytes,
    real: lists.map((l) => ({ file: l.file, entries: l.entries })),
    generated: { entries: generatedEntries, files: generatedEntries === 0 ? 0 : generated.length, seed },
  };
}

/** Words of a title that a typo can go into: letters only, four or more. */
function typoableWords(words: readonly string[]): number[] {
  return words.flatMap((w, i) => (/^[a-z]{4,}$/i.test(w) ? [i] : []));
}

/** One edit inside a word (never its first letter, which members rarely get wrong): drop, swap, double or replace a letter. */
export function misspell(word: string, rng: Prng): string {
  const i = rng.int(1, word.length - 2);
  const a = word[i] ?? '';
  const b = word[i + 1] ?? '';
  const edit = rng.int(0, 3);
  // Swapping two equal letters would change nothing: drop one instead.
  switch (edit === 1 && a === b ? 0 : edit) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + b + a + word.slice(i + 2);
    case 2:
      return word.slice(0, i) + a + word.slice(i);
    default: {
      const letters = 'etaoinsrhl'.replace(a.toLowerCase(), '');
      return word.slice(0, i) + rng.pick([...letters]) + word.slice(i + 1);
    }
  }
}

/**
 * Whole titles of four or more words, each with one or two typos in different words, as a member
 * who knows what they look for would type them: up to `count`, chosen with a fixed seed.
 */
export function misspeltTitles(titles: readonly string[], count: number, seed = 14): string[] {
  const rng = new Prng(seed);
  const candidates = [...new Set(titles)].filter((t) => t.split(/\s+/).length >= 4 && typoableWords(t.split(/\s+/)).length > 0);
  // A seeded shuffle, then the first `count`.
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [candidates[i], candidates[j]] = [candidates[j] as string, candidates[i] as string];
  }
  return candidates.slice(0, count).map((title) => {
    const words = title.split(/\s+/);
    const slots = typoableWords(words);
    const edits = slots.length > 1 && rng.chance(0.5) ? 2 : 1;
    for (let e = 0; e < edits; e++) {
      const at = slots.splice(rng.int(0, slots.length - 1), 1)[0] ?? 0;
      words[at] = misspell(words[at] ?? '', rng);
    }
    return words.join(' ');
  });
}
