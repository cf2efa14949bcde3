import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../catalog/read-files.js';
import type { Catalog } from '../catalog/types.js';
import { SHIPPED_CONTENT_DIR, type Config } from '../config.js';
import { plural } from '../text.js';

/** What the banner says, gathered from the loaded catalog, the configuration and the working directory. */
export interface BannerFacts {
  links: number;
  categories: number;
  /** The content folder or file, as the user would type it. */
  where: string;
  errors: number;
  warnings: number;
  /** The catalog shipped in `content/`: its problems are upstream's, not the user's. */
  shipped: boolean;
  /** A `.env` exists in the working directory, so it is to be edited, not created. */
  envFile: boolean;
  clientIdSet: boolean;
  /** A word that finds several links, and the largest category: suggestions that work on this catalog. */
  searchExample?: string;
  categoryExample?: string;
}

/** Words too common to make a useful example search. */
const FUNCTION_WORDS = new Set(
  'about after before between every other their there these those under using where which while within without'.split(' '),
);

/**
 * The word that most titles of one category share: a topic (`monitoring`, `kafka`) rather than a
 * word found everywhere (`open`, `source`), so searching it gives a page of related links.
 */
export function exampleSearch(catalog: Catalog): string | undefined {
  let best: { word: string; count: number } | undefined;
  for (const category of catalog.categories) {
    const counts = new Map<string, number>();
    for (const entry of category.entries) {
      for (const word of new Set(entry.title.toLowerCase().split(/[^\p{L}]+/u))) {
        if (word.length < 5 || FUNCTION_WORDS.has(word)) continue;
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
    for (const [word, count] of counts) if (!best || count > best.count) best = { word, count };
  }
  return best && best.count > 1 ? best.word : undefined;
}

function largestCategory(catalog: Catalog): string | undefined {
  let largest = catalog.categories[0];
  for (const category of catalog.categories) if (largest && category.entries.length > largest.entries.length) largest = category;
  return largest?.name;
}

/** The facts the banner is built from; `cwd` is where `.env` is read from, as config does. */
export function bannerFacts(catalog: Catalog, config: Config, cwd: string): BannerFacts {
  const facts: BannerFacts = {
    links: catalog.entries.length,
    categories: catalog.categories.length,
    where: displayPath(config.contentDir, cwd),
    errors: catalog.problems.filter((p) => p.severity === 'error').length,
    warnings: catalog.problems.filter((p) => p.severity === 'warning').length,
    shipped: path.resolve(config.contentDir) === path.resolve(SHIPPED_CONTENT_DIR),
    envFile: existsSync(path.join(cwd, '.env')),
    clientIdSet: config.discordClientId !== undefined,
  };
  const search = exampleSearch(catalog);
  const category = largestCategory(catalog);
  if (search !== undefined) facts.searchExample = search;
  if (category !== undefined) facts.categoryExample = category;
  return facts;
}

function problemsLines(f: BannerFacts): string[] {
  if (f.errors + f.warnings === 0) return [];
  const counts = `${plural(f.errors, 'error')} and ${plural(f.warnings, 'warning')}`;
  // A newcomer's first `check` fails on the shipped list: say why before they wonder.
  if (f.shipped)
    return ['The shipped list is the upstream list as published, with its own mistakes:', `npx linkdex check lists its ${counts}.`];
  return [`The content has ${counts}: npx linkdex check lists them.`];
}

function discordLines(f: BannerFacts): string[] {
  const names = f.clientIdSet ? 'DISCORD_TOKEN' : 'DISCORD_TOKEN and DISCORD_CLIENT_ID';
  const edit = f.envFile ? `set ${names} in .env` : `cp .env.example .env, set ${names}`;
  return [
    'No DISCORD_TOKEN is set, so this is the local console.',
    `For Discord: ${edit},`,
    'then npm run deploy and npm start (README.md, "Running it on Discord").',
    'To watch the real bot answer a fake Discord, without a token: npm run demo.',
  ];
}

function tryLines(f: BannerFacts): string[] {
  if (f.links === 0) return ['Add markdown files with [title](https://…) links under headings, or set CONTENT_DIR.', 'Try /help.'];
  const examples = [
    ...(f.searchExample ? [f.searchExample] : []),
    '/category',
    ...(f.categoryExample ? [`/category ${f.categoryExample}`] : []),
    '/random today',
    '/help',
  ];
  return [`Try: ${examples.join(' · ')}`, 'n and p turn pages, Tab completes, /quit or Ctrl-D leaves.'];
}

/** The banner's lines, each short enough for an 80-column terminal (a long category name aside). */
export function bannerLines(f: BannerFacts): string[] {
  const size = f.links === 0 ? 'no links' : `${plural(f.links, 'link')} in ${plural(f.categories, 'category', 'categories')}`;
  return [`linkdex console: ${size} from ${f.where}`, ...problemsLines(f), ...discordLines(f), ...tryLines(f)];
}

/** What the console prints before its first prompt, for this catalog and configuration. */
export function consoleBanner(catalog: Catalog, config: Config, cwd = process.cwd()): string {
  return bannerLines(bannerFacts(catalog, config, cwd)).join('\n');
}
