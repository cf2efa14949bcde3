import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog, parsePageCached } from '../src/catalog/load-catalog.js';
import { cacheKey, MIN_SPARE_CACHE_BYTES, ParseCache, parserVersion, PARSED_SUBDIR } from '../src/catalog/parse-cache.js';
import { loadCatalogInWorker } from '../src/catalog/load-in-worker.js';
import { ContentPathError } from '../src/catalog/read-files.js';
import { SNAPSHOT_SUBDIR } from '../src/catalog/snapshot.js';
import type { Catalog } from '../src/catalog/types.js';
import { seedPath } from './helpers.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary working directory with `content/` holding these files; the cache goes to its `.cache/`. */
function workspace(files: Record<string, string>): { cwd: string; content: string; cacheDir: string } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'linkdex-cache-'));
  made.push(cwd);
  const content = path.join(cwd, 'content');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(content, name)), { recursive: true });
    writeFileSync(path.join(content, name), text);
  }
  return { cwd, content, cacheDir: path.join(cwd, '.cache') };
}

function cachedFiles(cacheDir: string): string[] {
  const dir = path.join(cacheDir, PARSED_SUBDIR);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function comparable(catalog: Catalog): Omit<Catalog, 'loadedAt'> & { loadedAt: null } {
  return { ...catalog, loadedAt: null };
}

const page = (name: string, extra = '') => `# ${name}\n\n- [${name}](https://${name}.example.com) - about ${name}\n${extra}`;

describe('the parse cache', () => {
  it('is made lazily, one entry per file, and a warm load equals the cold one', async () => {
    const ws = workspace({ 'a.md': page('alpha', '- [dup](https://alpha.example.com)\n'), 'b.md': page('beta') });
    const nothing = await loadCatalog(ws.content, {}, ws.cwd);
    expect(existsSync(ws.cacheDir)).toBe(false);

    const cold = await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    expect(cachedFiles(ws.cacheDir)).toHaveLength(2);
    const warm = await loadCatalog(ws.content, { cacheDir: ws.cacheDir }, ws.cwd);
    expect(comparable(warm)).toEqual(comparable(cold));
    expect(comparable(cold)).toEqual(comparable(nothing));
    expect(cold.problems.map((p) => p.code)).toContain('duplicate-url');
  });

  it('serves hits and misses by content, path, options and parser version', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const cache = new ParseCache(ws.cacheDir);
    const file = { file: 'content/a.md', text: page('alpha') };
    await parsePageCached(file, {}, cache);
    await parsePageCached(file, {}, cache);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, writes: 1 });

    await parsePageCached({ ...file, text: page('alpha', '- [more](https://more.example.com)\n') }, {}, cache);
    await parsePageCached({ ...file, file: 'content/moved.md' }, {}, cache);
    await parsePageCached(file, { includeDrafts: true }, cache);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 4, writes: 4 });

    const key = cacheKey({ file: file.file, text: file.text, includeDrafts: false });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(parserVersion()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('picks up a changed file and keeps the source paths of the file it caches', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    writeFileSync(path.join(ws.content, 'a.md'), `\n\n${page('gamma')}`);
    const changed = await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    expect(changed.entries.map((e) => [e.title, e.source.file, e.source.line])).toEqual([['gamma', 'content/a.md', 5]]);
  });

  it('ignores and rewrites corrupt or foreign entries, and never fails on them', async () => {
    const ws = workspace({ 'a.md': page('alpha'), 'b.md': page('beta') });
    const cold = await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    const [first, second] = cachedFiles(ws.cacheDir).map((name) => path.join(ws.cacheDir, PARSED_SUBDIR, name));
    if (first === undefined || second === undefined) throw new Error('expected two cache entries');
    writeFileSync(first, '{"key": "trunc');
    writeFileSync(second, JSON.stringify({ key: 'someone else', parsed: { entries: [] } }));
    // Without the catalog snapshot, which would spare the load reading the parse cache at all.
    rmSync(path.join(ws.cacheDir, SNAPSHOT_SUBDIR), { recursive: true });

    const again = await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    expect(comparable(again)).toEqual(comparable(cold));
    for (const entry of [first, second]) {
      const rewritten = JSON.parse(readFileSync(entry, 'utf8')) as { key: string; parsed: { entries: unknown[] } };
      expect(rewritten.key).toBe(path.basename(entry, '.json'));
      expect(rewritten.parsed.entries).toHaveLength(1);
    }
  });

  it('is safe to delete, and an unwritable cache folder only costs the caching', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    rmSync(ws.cacheDir, { recursive: true });
    const reloaded = await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    expect(reloaded.entries).toHaveLength(1);
    expect(cachedFiles(ws.cacheDir)).toHaveLength(1);

    // A file where the folder should be: nothing can be written there.
    const blocked = path.join(ws.cwd, 'blocked');
    writeFileSync(blocked, 'not a folder');
    const cache = new ParseCache(blocked);
    const parsed = await parsePageCached({ file: 'x.md', text: page('x') }, {}, cache);
    expect(parsed.entries).toHaveLength(1);
    expect(cache.stats.writeErrors).toBe(1);
    expect(readdirSync(ws.cwd).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('pruning the parse cache', () => {
  const hex = (i: number) => i.toString(16).padStart(64, '0');

  it('keeps what the load used, then the newest others up to as much again, and drops the rest', async () => {
    const ws = workspace({});
    const dir = path.join(ws.cacheDir, PARSED_SUBDIR);
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    // Ten versions of a 1,000-byte entry, one a minute apart: 0 is the newest.
    for (let i = 0; i < 10; i++) {
      const file = path.join(dir, `${hex(i)}.json`);
      writeFileSync(file, 'x'.repeat(1000));
      utimesSync(file, (now - i * 60_000) / 1000, (now - i * 60_000) / 1000);
    }
    writeFileSync(path.join(dir, `${hex(99)}.json.1.abc.tmp`), 'left by a crash');
    utimesSync(path.join(dir, `${hex(99)}.json.1.abc.tmp`), (now - 120_000) / 1000, (now - 120_000) / 1000);
    writeFileSync(path.join(dir, `${hex(98)}.json.2.def.tmp`), 'being written');
    const cache = new ParseCache(ws.cacheDir);
    // The load used 9 and 8 (2,000 bytes): the three newest others fit in 3,000 bytes of spare room.
    await cache.prune(new Set([hex(9), hex(8)]), { now, minSpareBytes: 3000 });
    expect(cachedFiles(ws.cacheDir)).toEqual([...[0, 1, 2, 8, 9].map((i) => `${hex(i)}.json`), `${hex(98)}.json.2.def.tmp`]);
    expect(cache.stats.pruned).toBe(6);
  });

  it('runs after a load that wrote, so editing a big file does not grow the cache without end', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const dir = path.join(ws.cacheDir, PARSED_SUBDIR);
    mkdirSync(dir, { recursive: true });
    const size = MIN_SPARE_CACHE_BYTES / 4 + 1;
    for (let i = 0; i < 6; i++) {
      const file = path.join(dir, `${hex(i)}.json`);
      writeFileSync(file, Buffer.alloc(size));
      const at = (Date.now() - i * 60_000) / 1000;
      utimesSync(file, at, at);
    }
    const catalog = await loadCatalog(ws.content, { cacheDir: '.cache' }, ws.cwd);
    expect(catalog.entries).toHaveLength(1);
    // The new entry, and the three newest old versions that fit in the 16 MB of spare room.
    expect(cachedFiles(ws.cacheDir)).toHaveLength(4);
    expect(cachedFiles(ws.cacheDir)).toEqual(expect.arrayContaining([0, 1, 2].map((i) => `${hex(i)}.json`)));
  });
});

describe('loadCatalogInWorker', () => {
  it('gives the catalog loadCatalog gives, with shared entries and dates intact', async () => {
    const ws = workspace({ 'programming.md': readFileSync(seedPath, 'utf8'), 'b.md': page('beta') });
    const inline = await loadCatalog(ws.content, {}, ws.cwd);
    const viaWorker = await loadCatalogInWorker(ws.content, { cacheDir: '.cache' }, ws.cwd);
    expect(comparable(viaWorker)).toEqual(comparable(inline));
    expect(viaWorker.loadedAt).toBeInstanceOf(Date);
    expect(viaWorker.categories[0]?.entries[0]).toBe(viaWorker.entries.find((e) => e.id === viaWorker.categories[0]?.entries[0]?.id));
    expect(cachedFiles(ws.cacheDir)).toHaveLength(2);
  });

  it('rejects with ContentPathError for a missing content path', async () => {
    const ws = workspace({});
    await expect(loadCatalogInWorker(path.join(ws.cwd, 'nowhere'), {}, ws.cwd)).rejects.toThrow(ContentPathError);
    await expect(loadCatalogInWorker(path.join(ws.cwd, 'nowhere'), {}, ws.cwd)).rejects.toThrow(/no such file or folder/);
  });
});
