import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCatalogFiles } from '../bench/generate-catalog.js';
import { decodeCatalog, encodeCatalog } from '../src/catalog/catalog-codec.js';
import { loadCatalog, loadCatalogWithExtras, type SnapshotLoadOptions } from '../src/catalog/load-catalog.js';
import { readContentBytes } from '../src/catalog/read-files.js';
import { SNAPSHOT_SUBDIR, snapshotKey, snapshotSlot, SnapshotStore, SNAPSHOT_VERSION } from '../src/catalog/snapshot.js';
import type { Catalog } from '../src/catalog/types.js';
import { corporaDir, seedPath } from './helpers.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary working directory with `content/` holding these files; the cache goes to its `.cache/`. */
function workspace(files: Record<string, string>): { cwd: string; content: string; cacheDir: string; snapshots: string } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'linkdex-snapshot-'));
  made.push(cwd);
  const content = path.join(cwd, 'content');
  mkdirSync(content, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(content, name)), { recursive: true });
    writeFileSync(path.join(content, name), text);
  }
  const cacheDir = path.join(cwd, '.cache');
  return { cwd, content, cacheDir, snapshots: path.join(cacheDir, SNAPSHOT_SUBDIR) };
}

function snapshotFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function onlySnapshot(dir: string): string {
  const [name, ...more] = snapshotFiles(dir);
  if (name === undefined || more.length > 0) throw new Error(`expected one snapshot in ${dir}`);
  return path.join(dir, name);
}

function comparable(catalog: Catalog): Omit<Catalog, 'loadedAt'> & { loadedAt: null } {
  return { ...catalog, loadedAt: null };
}

/** Parsed in this thread: the parse is not what these tests are about, and a worker takes a second to start. */
function options(extra: SnapshotLoadOptions & { warnings?: string[] } = {}): SnapshotLoadOptions {
  const { warnings, ...rest } = extra;
  return { cacheDir: '.cache', budget: false, onWarning: (m) => void warnings?.push(m), ...rest };
}

const page = (name: string, extra = '') => `# ${name}\n\n- [${name}](https://${name}.example.com) - about ${name}\n${extra}`;

describe('the catalog snapshot', () => {
  const cases: [string, () => Record<string, string>][] = [
    ['the seed', () => ({ 'programming.md': readFileSync(seedPath, 'utf8') })],
    [
      'the corpora',
      () => Object.fromEntries(readdirSync(corporaDir).map((name) => [name, readFileSync(path.join(corporaDir, name), 'utf8')])),
    ],
    [
      'a generated catalog',
      () => ({
        ...Object.fromEntries(generateCatalogFiles(1000, 7).map((f) => [f.file, f.text])),
        // A few problems of each kind: per file, across files, and in the text.
        'mistakes.md': `---\ntitle: Mistakes\n---\n${page('alpha', '- [again](https://alpha.example.com)\n- [bad](http://exa mple.com)\n- [\u202Eevil](https://evil.example.com)\n')}`,
      }),
    ],
  ];
  it.each(cases)('reads back %s as a fresh load gives it, problems and file:line included', async (_, files) => {
    const ws = workspace(files());
    // The first load parses every file (the cache folder is empty) and writes the snapshot.
    const { catalog: fresh, snapshot } = await loadCatalogWithExtras(ws.content, options(), ws.cwd);
    const second = await loadCatalogWithExtras(ws.content, options(), ws.cwd);
    expect([snapshot, second.snapshot]).toEqual(['written', 'hit']);
    expect(comparable(second.catalog)).toEqual(comparable(fresh));
    expect(fresh.problems.length).toBeGreaterThan(0);
    expect(second.catalog.loadedAt).toBeInstanceOf(Date);
    // Categories hold the very entries of `entries`, as a fresh load's do.
    const category = second.catalog.categories[0];
    expect(category?.entries[0]).toBe(second.catalog.entries.find((e) => e.id === category?.entries[0]?.id));
  });

  it('is rebuilt when a file changes, is added or deleted, or drafts are asked for', async () => {
    const draft = `---\ndraft: true\n---\n${page('delta')}`;
    const ws = workspace({ 'a.md': page('alpha'), 'b.md': page('beta'), 'd.md': draft });
    const load = (extra: SnapshotLoadOptions = {}) => loadCatalogWithExtras(ws.content, options(extra), ws.cwd);
    const titles = (c: Catalog) => c.entries.map((e) => e.title);
    expect((await load()).snapshot).toBe('written');
    expect((await load()).snapshot).toBe('hit');

    writeFileSync(path.join(ws.content, 'a.md'), page('gamma'));
    let next = await load();
    expect([next.snapshot, titles(next.catalog)]).toEqual(['written', ['gamma', 'beta']]);

    writeFileSync(path.join(ws.content, 'c.md'), page('epsilon'));
    next = await load();
    expect([next.snapshot, titles(next.catalog)]).toEqual(['written', ['gamma', 'beta', 'epsilon']]);

    rmSync(path.join(ws.content, 'b.md'));
    next = await load();
    expect([next.snapshot, titles(next.catalog)]).toEqual(['written', ['gamma', 'epsilon']]);
    expect((await load()).snapshot).toBe('hit');

    next = await load({ includeDrafts: true });
    expect([next.snapshot, titles(next.catalog)]).toEqual(['written', ['gamma', 'epsilon', 'delta']]);
    // One snapshot per drafts setting: going back does not rebuild.
    expect((await load()).snapshot).toBe('hit');
    expect((await load({ includeDrafts: true })).snapshot).toBe('hit');
  });

  it('has a key that changes with the parser version, and a snapshot under another key is rebuilt without a warning', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const read = await readContentBytes(ws.content, ws.cwd);
    expect(snapshotKey(read, false, 'parser 1')).not.toBe(snapshotKey(read, false, 'parser 2'));
    expect(snapshotKey(read, false, 'parser 1')).not.toBe(snapshotKey(read, true, 'parser 1'));
    expect(snapshotKey(read, false, 'parser 1')).toBe(snapshotKey(await readContentBytes(ws.content, ws.cwd), false, 'parser 1'));

    const warnings: string[] = [];
    await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd);
    const file = onlySnapshot(ws.snapshots);
    const [magic, key, ...rest] = readFileSync(file, 'latin1').split('\n');
    // What a snapshot written under another parser version looks like: the same file, another key.
    writeFileSync(file, [magic, (key ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0')), ...rest].join('\n'), 'latin1');
    const again = await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd);
    expect(again.snapshot).toBe('written');
    expect(warnings).toEqual([]);
    expect((await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd)).snapshot).toBe('hit');
  });

  const damage: [string, RegExp, (bytes: Buffer) => Buffer][] = [
    ['truncated', /is truncated/, (b) => b.subarray(0, b.length - 100)],
    ['damaged', /checksum does not match/, (b) => Buffer.concat([b.subarray(0, b.length - 50), Buffer.alloc(50, 0x41)])],
    [
      'from another format version',
      /another version of linkdex \(format “999”, this one reads 1\)/,
      (b) => {
        const text = b.toString('latin1');
        return Buffer.from(text.replace(`linkdex-catalog-snapshot ${SNAPSHOT_VERSION}\n`, 'linkdex-catalog-snapshot 999\n'), 'latin1');
      },
    ],
    ['not a snapshot at all', /not a linkdex catalog snapshot/, () => Buffer.from('{"entries": []}')],
    ['empty', /not a linkdex catalog snapshot/, () => Buffer.alloc(0)],
  ];
  it.each(damage)('is ignored with a warning when %s, and the catalog is built from the content', async (_, reason, spoil) => {
    const ws = workspace({ 'a.md': page('alpha', '- [dup](https://alpha.example.com)\n'), 'b.md': page('beta') });
    const warnings: string[] = [];
    const first = await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd);
    const file = onlySnapshot(ws.snapshots);
    writeFileSync(file, spoil(readFileSync(file)));
    const again = await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd);
    expect(comparable(again.catalog)).toEqual(comparable(first.catalog));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toContain(`ignoring the catalog snapshot ${file}: `);
    expect(warnings[0]).toMatch(/the catalog is built from the content instead$/);
    // Rewritten whole: the next start reads it.
    expect(again.snapshot).toBe('written');
    expect((await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd)).snapshot).toBe('hit');
    expect(warnings).toHaveLength(1);
  });

  it('rejects well-formed bytes whose columns are not a catalog, with a warning', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const warnings: string[] = [];
    const store = new SnapshotStore(ws.cacheDir, (m) => void warnings.push(m));
    const key = snapshotKey(await readContentBytes(ws.content, ws.cwd), false) ?? '';
    const slot = '0'.repeat(32);
    await store.write(slot, key, await loadCatalog(ws.content, { budget: false }, ws.cwd));
    // The same snapshot with an empty string table, under a header that matches it: entries now
    // name a category that is not there.
    const bytes = readFileSync(store.pathOf(slot));
    let headerEnd = 0;
    for (let line = 0; line < 4; line++) headerEnd = bytes.indexOf(0x0a, headerEnd) + 1;
    const payload = deserialize(bytes.subarray(headerEnd)) as { catalog: { strings: string[] } };
    payload.catalog.strings = [];
    const body = serialize(payload);
    const header = `linkdex-catalog-snapshot ${SNAPSHOT_VERSION}\n${key}\n${createHash('sha256').update(body).digest('hex')}\n${body.length}\n`;
    writeFileSync(store.pathOf(slot), Buffer.concat([Buffer.from(header, 'latin1'), body]));
    expect(await store.read(slot, key)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot be read \(malformed catalog data: section index 0\)/);
  });

  it('is written atomically: a file left half-written by a crash is never read, and is removed once stale', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const warnings: string[] = [];
    await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd);
    const file = onlySnapshot(ws.snapshots);
    const bytes = readFileSync(file);
    // A writer killed mid-write leaves its temporary file, never the snapshot's own name.
    rmSync(file);
    const temp = `${file}.12345.abcdef.tmp`;
    writeFileSync(temp, bytes.subarray(0, bytes.length / 2));
    const fresh = `${file}.12346.abcdef.tmp`;
    writeFileSync(fresh, bytes.subarray(0, 10));
    const old = (Date.now() - 120_000) / 1000;
    utimesSync(temp, old, old);

    const again = await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd);
    expect(again.snapshot).toBe('written');
    expect(warnings).toEqual([]);
    // The stale one is pruned; one another process may still be writing is left alone.
    expect(snapshotFiles(ws.snapshots)).toEqual([path.basename(file), path.basename(fresh)]);
    expect((await loadCatalogWithExtras(ws.content, options({ warnings }), ws.cwd)).snapshot).toBe('hit');
  });

  it('keeps one snapshot per content path, and the newest few of other paths', async () => {
    const ws = workspace({});
    const dirs = [1, 2, 3, 4, 5].map((i) => {
      const dir = path.join(ws.cwd, `lists-${i}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'a.md'), page(`list${i}`));
      return dir;
    });
    const nameOf = (dir: string) => `${snapshotSlot(dir, false)}.snapshot`;
    for (const [i, dir] of dirs.entries()) {
      await loadCatalogWithExtras(dir, options(), ws.cwd);
      // Each a minute newer than the one before.
      const at = (Date.now() - (10 - i) * 60_000) / 1000;
      utimesSync(path.join(ws.snapshots, nameOf(dir)), at, at);
    }
    // The last load's own, and the three newest others: the first list's is gone.
    expect(snapshotFiles(ws.snapshots)).toEqual(dirs.slice(1).map(nameOf).sort());
    expect((await loadCatalogWithExtras(dirs[4] ?? '', options(), ws.cwd)).snapshot).toBe('hit');
    expect((await loadCatalogWithExtras(dirs[0] ?? '', options(), ws.cwd)).snapshot).toBe('written');
  });

  it('is not written after a load that ran out of time, whose files may load next time', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const late = await loadCatalogWithExtras(ws.content, { cacheDir: '.cache', deadlineMs: 0 }, ws.cwd);
    expect(late.catalog.problems.map((p) => p.code)).toContain('parse-timeout');
    expect(late.snapshot).toBe('none');
    expect(snapshotFiles(ws.snapshots)).toEqual([]);
  });

  it('is not made without a cache folder', async () => {
    const ws = workspace({ 'a.md': page('alpha') });
    const loaded = await loadCatalogWithExtras(ws.content, { budget: false }, ws.cwd);
    expect(loaded.snapshot).toBe('none');
    expect(existsSync(ws.cacheDir)).toBe(false);
  });
});

describe('snapshot extras', () => {
  it('are built once, read back with the catalog, and rebuilt for another version', async () => {
    const ws = workspace({ 'a.md': page('alpha'), 'b.md': page('beta') });
    const built: string[] = [];
    const extras = (version: string) => ({
      version,
      build: (catalog: Catalog) => {
        built.push(version);
        return { titles: catalog.entries.map((e) => e.title), words: new Map([['alpha', [0]]]) };
      },
    });
    const first = await loadCatalogWithExtras(ws.content, options({ snapshotExtras: extras('v1') }), ws.cwd);
    expect(first.extras).toEqual({ titles: ['alpha', 'beta'], words: new Map([['alpha', [0]]]) });
    const second = await loadCatalogWithExtras(ws.content, options({ snapshotExtras: extras('v1') }), ws.cwd);
    expect([second.snapshot, second.extras]).toEqual(['hit', first.extras]);
    expect(built).toEqual(['v1']);

    const other = await loadCatalogWithExtras(ws.content, options({ snapshotExtras: extras('v2') }), ws.cwd);
    expect([other.snapshot, built]).toEqual(['hit', ['v1', 'v2']]);
    expect((await loadCatalogWithExtras(ws.content, options({ snapshotExtras: extras('v2') }), ws.cwd)).extras).toEqual(first.extras);
    expect(built).toEqual(['v1', 'v2']);

    // A load that asks for no extras (the command line) uses the same snapshot and leaves them there.
    const plain = await loadCatalogWithExtras(ws.content, options(), ws.cwd);
    expect([plain.snapshot, 'extras' in plain]).toEqual(['hit', false]);
    expect((await loadCatalogWithExtras(ws.content, options({ snapshotExtras: extras('v2') }), ws.cwd)).snapshot).toBe('hit');
    expect(built).toEqual(['v1', 'v2']);
  });
});

describe('a loaded catalog', () => {
  it('shares one frozen section array between the entries under one heading, however it was loaded', async () => {
    const ws = workspace({ 'a.md': `# Tools\n\n## Build\n\n- [a](https://a.example.com)\n- [b](https://b.example.com)\n` });
    const fresh = await loadCatalog(ws.content, { budget: false }, ws.cwd);
    await loadCatalog(ws.content, options(), ws.cwd);
    const fromSnapshot = await loadCatalogWithExtras(ws.content, options(), ws.cwd);
    expect(fromSnapshot.snapshot).toBe('hit');
    for (const catalog of [fresh, fromSnapshot.catalog, decodeCatalog(encodeCatalog(fresh))]) {
      const [a, b] = catalog.entries;
      expect(a?.section).toEqual(['Tools', 'Build']);
      expect(a?.section).toBe(b?.section);
      expect(Object.isFrozen(a?.section)).toBe(true);
    }
  });

  it('survives encoding for a worker unchanged, problems and dates included', async () => {
    const ws = workspace({
      'programming.md': readFileSync(seedPath, 'utf8'),
      'draft.md': `---\ndraft: true\ndate: 2024-05-01\n---\n${page('x')}`,
    });
    const catalog = await loadCatalog(ws.content, { budget: false }, ws.cwd);
    expect(catalog.problems.length).toBeGreaterThan(0);
    const back = decodeCatalog(encodeCatalog(catalog));
    expect(back).toEqual(catalog);
    expect(back.loadedAt.getTime()).toBe(catalog.loadedAt.getTime());
  });
});
