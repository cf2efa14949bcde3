import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { isTemporaryFile, writeFileAtomically } from '../atomic-file.js';
import { quote } from '../text.js';
import { fromColumns, toColumns } from './catalog-codec.js';
import { parserVersion } from './parse-cache.js';
import type { RawContentFile } from './read-files.js';
import type { Catalog } from './types.js';

/**
 * Bump when what `assembleCatalog` makes of parsed pages changes in a way the parser version would
 * not show (it hashes this folder's code, not e.g. helpers in src/text.ts or src/search/query.ts),
 * or when the snapshot's layout changes.
 */
export const SNAPSHOT_VERSION = 1;

/** The folder snapshots live in, below the cache folder. */
export const SNAPSHOT_SUBDIR = 'snapshots';

/** Snapshots of other content paths (another checkout, `--drafts`, the CLI on another folder) kept beside the one written. */
export const MAX_OTHER_SNAPSHOTS = 3;

const MAGIC = 'linkdex-catalog-snapshot';
/** A temporary file older than this was left by a process that died while writing. */
const STALE_TEMP_MS = 60_000;
const SNAPSHOT_NAME = /^[0-9a-f]{32}\.snapshot$/;

/** A value the caller keeps beside the catalog (e.g. a prebuilt search index), with the version of its format. */
export interface SnapshotExtras {
  /** Extras stored under another version are not given back (and are rebuilt). */
  version: string;
  /**
   * Must be serialisable by `v8.serialize`. Called once the catalog is built or read back without
   * them; it may wait (the bot builds its search index only once the gateway is ready).
   */
  build: (catalog: Catalog) => unknown;
}

/**
 * What a snapshot depends on: every file's display path and bytes (or the problem that kept it out),
 * whether drafts are included, the parser and the assembly code. `undefined` when a file could not
 * be read: that load is not worth keeping.
 */
export function snapshotKey(read: readonly RawContentFile[], includeDrafts: boolean, parser = parserVersion()): string | undefined {
  const hash = createHash('sha256')
    .update(`${MAGIC} ${SNAPSHOT_VERSION}\0${parser}\0${includeDrafts ? 'drafts' : 'no-drafts'}\0`)
    .update(String(read.length));
  for (const raw of read) {
    hash.update(`\0${raw.file}\0`);
    if ('bytes' in raw) hash.update(createHash('sha256').update(raw.bytes).digest('hex'));
    else if (raw.stable) hash.update(`problem ${raw.problem.message}`);
    else return undefined;
  }
  return hash.digest('hex');
}

/** Which snapshot file a load reads and writes: one per content path and drafts setting. */
export function snapshotSlot(contentPath: string, includeDrafts: boolean): string {
  return createHash('sha256')
    .update(`${path.resolve(contentPath)}\0${includeDrafts ? 'drafts' : 'no-drafts'}`)
    .digest('hex')
    .slice(0, 32);
}

export interface SnapshotHit {
  catalog: Catalog;
  /** The extras stored with it, when their version is the one asked for. */
  extras?: { value: unknown };
}

interface Payload {
  catalog: unknown;
  extras?: { version: string; value: unknown };
}

/**
 * Assembled catalogs on disk, one file per content path under `<cacheDir>/snapshots/`:
 *
 *     linkdex-catalog-snapshot <SNAPSHOT_VERSION>\n<key>\n<sha256 of the payload>\n<payload bytes>\n<payload>
 *
 * where the payload is `v8.serialize({ catalog: CatalogColumns, extras? })`. The header is checked
 * before the payload is read, so a stale snapshot costs one file read; the checksum catches a
 * truncated or damaged file, and the columns are validated as they are read back. Nothing here
 * throws: a bad file is reported through `warn` and is a miss, a failed write is only skipped.
 */
export class SnapshotStore {
  readonly #dir: string;
  readonly #warn: (message: string) => void;
  /** Counters, for tests and the bench. */
  readonly stats = { hits: 0, misses: 0, writes: 0, writeErrors: 0, rejected: 0, pruned: 0 };

  constructor(cacheDir: string, warn: (message: string) => void) {
    this.#dir = path.join(cacheDir, SNAPSHOT_SUBDIR);
    this.#warn = warn;
  }

  pathOf(slot: string): string {
    return path.join(this.#dir, `${slot}.snapshot`);
  }

  async read(slot: string, key: string, extrasVersion?: string): Promise<SnapshotHit | undefined> {
    const file = this.pathOf(slot);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const reject = (why: string): undefined => {
      this.stats.rejected++;
      this.stats.misses++;
      this.#warn(`ignoring the catalog snapshot ${file}: ${why}; the catalog is built from the content instead`);
      return undefined;
    };
    const header = readHeader(bytes);
    if (header && header.version !== String(SNAPSHOT_VERSION)) {
      return reject(
        `it was written by another version of linkdex (format ${quote(header.version, 20)}, this one reads ${SNAPSHOT_VERSION})`,
      );
    }
    if (header?.length === undefined) return reject('it is not a linkdex catalog snapshot');
    if (header.key !== key) {
      // The content or the parser changed since: the usual reason to rebuild, nothing to warn about.
      this.stats.misses++;
      return undefined;
    }
    const payload = bytes.subarray(header.length);
    if (payload.length !== header.payloadBytes) return reject(`it is truncated (${payload.length} of ${header.payloadBytes} bytes)`);
    if (createHash('sha256').update(payload).digest('hex') !== header.checksum) return reject('its checksum does not match');
    try {
      const { catalog, extras } = v8.deserialize(payload) as Payload;
      const hit: SnapshotHit = { catalog: fromColumns(catalog, new Date()) };
      if (extras !== undefined && extrasVersion !== undefined && extras.version === extrasVersion) hit.extras = { value: extras.value };
      this.stats.hits++;
      return hit;
    } catch (error) {
      return reject(`it cannot be read (${(error as Error).message})`);
    }
  }

  /**
   * Writes atomically, then prunes. Not flushed to the disk: a snapshot a power cut leaves damaged
   * fails its checksum, and the catalog is built from the content instead.
   */
  async write(slot: string, key: string, catalog: Catalog, extras?: { version: string; value: unknown }): Promise<void> {
    try {
      const payload: Payload = { catalog: toColumns(catalog), ...(extras === undefined ? {} : { extras }) };
      const body = v8.serialize(payload);
      const checksum = createHash('sha256').update(body).digest('hex');
      const header = Buffer.from(`${MAGIC} ${SNAPSHOT_VERSION}\n${key}\n${checksum}\n${body.length}\n`, 'latin1');
      await mkdir(this.#dir, { recursive: true });
      await writeFileAtomically(this.pathOf(slot), Buffer.concat([header, body]), { durable: false });
      this.stats.writes++;
    } catch {
      this.stats.writeErrors++;
      return;
    }
    await this.prune(slot);
  }

  /**
   * Keeps the snapshot of `slot` and the MAX_OTHER_SNAPSHOTS newest others; deletes the rest, and
   * temporary files left by a crashed writer. A snapshot of the same slot is replaced, not pruned.
   */
  async prune(slot: string, { now = Date.now(), keepOthers = MAX_OTHER_SNAPSHOTS } = {}): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return;
    }
    const others: { name: string; mtimeMs: number }[] = [];
    for (const name of names) {
      const info = await stat(path.join(this.#dir, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (isTemporaryFile(name)) {
        if (now - info.mtimeMs > STALE_TEMP_MS) await this.#remove(name);
      } else if (SNAPSHOT_NAME.test(name) && name !== `${slot}.snapshot`) {
        others.push({ name, mtimeMs: info.mtimeMs });
      }
    }
    for (const old of others.sort((a, b) => b.mtimeMs - a.mtimeMs).slice(keepOthers)) await this.#remove(old.name);
  }

  async #remove(name: string): Promise<void> {
    await rm(path.join(this.#dir, name), { force: true }).then(
      () => void this.stats.pruned++,
      () => undefined,
    );
  }
}

/**
 * The header lines, or why the bytes are not a snapshot this version reads. The first line is
 * checked alone, so a snapshot of another format version is named as such.
 */
function readHeader(
  bytes: Buffer,
): { version: string; key?: string; checksum?: string; payloadBytes?: number; length?: number } | undefined {
  const lines = bytes.subarray(0, 256).toString('latin1').split('\n');
  const [first = '', key = '', checksum = '', size = ''] = lines;
  if (lines.length < 2 || !first.startsWith(`${MAGIC} `)) return undefined;
  const version = first.slice(MAGIC.length + 1);
  if (version !== String(SNAPSHOT_VERSION)) return { version };
  if (lines.length < 5 || !/^[0-9a-f]{64}$/.test(key) || !/^[0-9a-f]{64}$/.test(checksum) || !/^\d{1,12}$/.test(size)) return undefined;
  const length = first.length + key.length + checksum.length + size.length + 4;
  return { version, key, checksum, payloadBytes: Number(size), length };
}
