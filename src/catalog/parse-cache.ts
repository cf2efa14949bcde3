import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTemporaryFile, writeFileAtomically } from '../atomic-file.js';
import type { ParsedPage } from './types.js';

/**
 * Bump when what `parsePage` produces changes in a way the source hash below would not show
 * (it covers this folder's code, not e.g. helpers in src/text.ts).
 */
export const EXTRACTION_VERSION = 1;

/** Packages whose versions change what a file parses to. */
const PARSER_PACKAGES = ['remark-parse', 'remark-gfm', 'gray-matter', 'mdast-util-to-string'];

/** The folder the parsed files live in, below the cache folder. */
export const PARSED_SUBDIR = 'parsed';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    for (;;) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === name && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // no package.json here: keep climbing
      }
      const parent = path.dirname(dir);
      if (parent === dir) return 'unknown';
      dir = parent;
    }
  } catch {
    return 'unknown';
  }
}

/** A hash of this folder's sources, so a change to the extraction code invalidates the cache by itself. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  try {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    for (const name of readdirSync(dir).sort()) {
      if (!/\.[cm]?[jt]s$/.test(name)) continue;
      hash
        .update(name)
        .update('\0')
        .update(readFileSync(path.join(dir, name)))
        .update('\0');
    }
  } catch {
    hash.update('sources unavailable');
  }
  return hash.digest('hex');
}

let parserVersionMemo: string | undefined;

/** What a cached parse depends on besides the file: package versions, extraction code, EXTRACTION_VERSION. */
export function parserVersion(): string {
  parserVersionMemo ??= createHash('sha256')
    .update(
      JSON.stringify({
        extraction: EXTRACTION_VERSION,
        packages: Object.fromEntries(PARSER_PACKAGES.map((name) => [name, packageVersion(name)])),
        sources: sourcesHash(),
      }),
    )
    .digest('hex');
  return parserVersionMemo;
}

export interface CacheKeyInput {
  /** The display path: problems and sources carry it. */
  file: string;
  text: string;
  includeDrafts: boolean;
}

export function cacheKey(input: CacheKeyInput): string {
  return createHash('sha256')
    .update(parserVersion())
    .update('\0')
    .update(input.includeDrafts ? 'drafts' : 'no-drafts')
    .update('\0')
    .update(input.file)
    .update('\0')
    .update(input.text)
    .digest('hex');
}

/**
 * Entries a load did not use are kept, newest first, up to as many bytes as the used ones take,
 * and at least this many: room for another checkout, `--drafts`, or the previous version of a file.
 */
export const MIN_SPARE_CACHE_BYTES = 16 * 1024 * 1024;

/** A temporary file older than this was left by a process that died while writing. */
const STALE_TEMP_MS = 60_000;

const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;

interface CachedFile {
  key: string;
  parsed: ParsedPage;
}

function isParsedPage(value: unknown): value is ParsedPage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const page = v.page as Record<string, unknown> | null | undefined;
  return (
    typeof page === 'object' &&
    page !== null &&
    typeof page.title === 'string' &&
    typeof page.file === 'string' &&
    typeof page.draft === 'boolean' &&
    typeof page.entryCount === 'number' &&
    Array.isArray(v.entries) &&
    Array.isArray(v.problems)
  );
}

/**
 * Parsed files on disk, one JSON file per content hash, under `<dir>/parsed/`. The folder is made
 * when first written to and can be deleted at any time. Nothing here throws: an entry that cannot be
 * read or does not look right is a miss (and gets rewritten), and a failed write is only skipped.
 */
export class ParseCache {
  readonly #dir: string;
  #made = false;
  /** Counters, for tests and the bench. */
  readonly stats = { hits: 0, misses: 0, writes: 0, writeErrors: 0, pruned: 0 };

  constructor(cacheDir: string) {
    this.#dir = path.join(cacheDir, PARSED_SUBDIR);
  }

  pathOf(key: string): string {
    return path.join(this.#dir, `${key}.json`);
  }

  async get(key: string): Promise<ParsedPage | undefined> {
    try {
      const cached = JSON.parse(await readFile(this.pathOf(key), 'utf8')) as Partial<CachedFile> | null;
      if (cached?.key === key && isParsedPage(cached.parsed)) {
        this.stats.hits++;
        return cached.parsed;
      }
    } catch {
      // missing, unreadable or not JSON: a miss
    }
    this.stats.misses++;
    return undefined;
  }

  /**
   * Writes atomically, without flushing to the disk: an entry a power cut leaves empty or damaged
   * is a miss, parsed and written again.
   */
  async set(key: string, parsed: ParsedPage): Promise<void> {
    try {
      if (!this.#made) {
        await mkdir(this.#dir, { recursive: true });
        this.#made = true;
      }
      const cached: CachedFile = { key, parsed };
      await writeFileAtomically(this.pathOf(key), JSON.stringify(cached), { durable: false });
      this.stats.writes++;
    } catch {
      this.stats.writeErrors++;
      this.#made = false;
    }
  }

  /**
   * Bounds the folder, which would otherwise grow by a new entry (about 3.5 times the file's size)
   * for every version of every file ever loaded: keeps the entries in `keep` (what the last load
   * used), then other entries, newest first, while they take no more than the kept ones (and at
   * least MIN_SPARE_CACHE_BYTES); deletes the rest, and temporary files left by a crashed writer.
   * Another process may be writing or reading meanwhile: a deleted entry is only a miss for it.
   */
  async prune(keep: ReadonlySet<string>, { now = Date.now(), minSpareBytes = MIN_SPARE_CACHE_BYTES } = {}): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return;
    }
    const others: { name: string; size: number; mtimeMs: number }[] = [];
    let keptBytes = 0;
    for (const name of names) {
      const info = await stat(path.join(this.#dir, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (isTemporaryFile(name)) {
        if (now - info.mtimeMs > STALE_TEMP_MS) await this.#remove(name);
      } else if (ENTRY_NAME.test(name)) {
        if (keep.has(name.slice(0, -'.json'.length))) keptBytes += info.size;
        else others.push({ name, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
    let spare = Math.max(keptBytes, minSpareBytes);
    for (const entry of others.sort((a, b) => b.mtimeMs - a.mtimeMs)) {
      if (entry.size <= spare) spare -= entry.size;
      else {
        spare = 0;
        await this.#remove(entry.name);
      }
    }
  }

  async #remove(name: string): Promise<void> {
    await rm(path.join(this.#dir, name), { force: true }).then(
      () => void this.stats.pruned++,
      () => undefined,
    );
  }
}
