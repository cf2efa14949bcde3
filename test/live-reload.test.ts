import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import type { ReloadSummary } from '../src/catalog/reload-catalog.js';
import { watchContent } from '../src/catalog/watch-content.js';
import { LiveCatalog, ReloadTimeout } from '../src/live-catalog.js';
import { loadCatalogInWorker } from '../src/catalog/load-in-worker.js';
import { formatProblem } from '../src/catalog/problems.js';
import { emphasisBomb } from '../bench/hostile.js';

function logs() {
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, msg: msg ?? '', obj: obj as Record<string, unknown> });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } as never };
}

const page = (name: string, links: string[]) => `# ${name}\n\n${links.map((l) => `- [${l}](https://${l}.example.com)`).join('\n')}\n`;

async function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'linkdex-live-'));
  mkdirSync(path.join(dir, 'content'));
  writeFileSync(path.join(dir, 'content', 'a.md'), page('Alpha', ['one', 'two']));
  writeFileSync(path.join(dir, 'content', 'b.md'), page('Beta', ['three']));
  const load = () => loadCatalog(path.join(dir, 'content'), {}, dir);
  const { lines, logger } = logs();
  const summaries: ReloadSummary[] = [];
  const live = new LiveCatalog(await load(), load, logger, (s) => summaries.push(s));
  return { dir, live, lines, summaries };
}

describe('reloading the catalog', () => {
  it('swaps in the new catalog and logs what was added, removed and changed', async () => {
    const { dir, live, lines } = await setup();
    const before = live.current;
    writeFileSync(path.join(dir, 'content', 'a.md'), page('Alpha', ['one', 'four']));
    await live.reload();
    expect(live.current).not.toBe(before);
    expect(before.catalog.entries.map((e) => e.title)).toEqual(['one', 'two', 'three']);
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'four', 'three']);
    expect(lines.at(-1)).toMatchObject({ level: 'info', obj: { added: 1, removed: 1, changed: 0, links: 3 } });
    expect(lines.at(-1)?.msg).toMatch(/^reloaded: 1 added, 1 removed, 0 changed, 3 links, in \d+ ms$/);
  });

  it('keeps the ids of links that survived, so old buttons still work', async () => {
    const { dir, live } = await setup();
    const id = live.current.catalog.entries.find((e) => e.title === 'three')?.id;
    writeFileSync(path.join(dir, 'content', 'a.md'), page('Alpha', ['zero', 'one', 'two']));
    await live.reload();
    expect(live.current.entry(id ?? '')?.title).toBe('three');
  });

  it("keeps a broken file's previous links, reporting the problem with file:line", async () => {
    const { dir, live, lines } = await setup();
    writeFileSync(path.join(dir, 'content', 'b.md'), Buffer.from([0, 1, 2, 3, 0, 255]));
    await live.reload();
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'two', 'three']);
    expect(live.current.catalog.problems.map((p) => `${p.file}:${p.line} ${p.code}`)).toEqual([
      'content/b.md:1 unreadable',
      'content/b.md:1 kept-previous',
    ]);
    expect(lines.some((l) => l.level === 'warn' && l.msg.startsWith('content/b.md:1 error unreadable'))).toBe(true);
    writeFileSync(path.join(dir, 'content', 'b.md'), page('Beta', ['three', 'five']));
    await live.reload();
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'two', 'three', 'five']);
    expect(live.current.catalog.problems).toEqual([]);
  });

  it('reports each problem once after a reload, whether or not a file keeps its previous links', async () => {
    const { dir, live } = await setup();
    const marked = '# Gamma\n\n- [six](https://six.example.com) - # looks like a heading <@123>\n- [again](https://one.example.com)\n';
    writeFileSync(path.join(dir, 'content', 'c.md'), marked);
    await live.reload();
    const once = ['content/c.md:3 line-markup', 'content/c.md:3 mention-syntax', 'content/c.md:4 duplicate-url'];
    const shown = () => live.current.catalog.problems.map((p) => `${p.file}:${p.line} ${p.code}`);
    expect(shown()).toEqual(once);
    // b.md breaks and keeps its previous link: the catalog is assembled again from both loads.
    writeFileSync(path.join(dir, 'content', 'b.md'), Buffer.from([0, 1, 2, 3, 0, 255]));
    await live.reload();
    expect(shown()).toEqual(['content/b.md:1 unreadable', 'content/b.md:1 kept-previous', ...once]);
  });

  it('drops the links of a deleted file', async () => {
    const { dir, live } = await setup();
    rmSync(path.join(dir, 'content', 'b.md'));
    await live.reload();
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'two']);
  });

  it('goes on serving the last catalog, with an error logged, when the content folder is deleted', async () => {
    const { dir, live, lines } = await setup();
    rmSync(path.join(dir, 'content'), { recursive: true });
    await live.reload();
    expect(live.current.catalog.entries).toHaveLength(3);
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'reload failed; still serving the 3 links loaded before' });
  });

  it('reloads when files change and settle, once for a burst of writes', async () => {
    const { dir, live, summaries } = await setup();
    let reloads = 0;
    const watcher = watchContent(
      path.join(dir, 'content'),
      () => {
        reloads += 1;
        void live.reload();
      },
      () => undefined,
      100,
    );
    try {
      for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, 'content', 'a.md'), page('Alpha', ['one', `new${i}`]));
      const started = Date.now();
      while (summaries.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(reloads).toBe(1);
      expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'new4', 'three']);
    } finally {
      watcher.close();
    }
  });
});

describe('a reload that cannot finish', () => {
  it('is stopped at its deadline, logged, reported as failed, and the next reload still applies', async () => {
    const { dir, live: first } = await setup();
    const { lines, logger } = logs();
    let hang = true;
    const failures: unknown[] = [];
    const load = (signal: AbortSignal) => (hang ? new Promise<never>(() => void signal) : loadCatalog(path.join(dir, 'content'), {}, dir));
    const live = new LiveCatalog(first.current.catalog, load, logger, undefined, (e) => failures.push(e), { timeoutMs: 3000 });
    const started = Date.now();
    await live.reload();
    expect(Date.now() - started).toBeLessThan(6000);
    expect(failures[0]).toBeInstanceOf(ReloadTimeout);
    expect(lines.at(-1)).toMatchObject({ level: 'error', msg: 'reload timed out after 3 s; still serving the 3 links loaded before' });
    expect(live.lastReload).toMatchObject({ ok: false, reason: 'timed out after 3 s' });
    expect(live.current.catalog.entries).toHaveLength(3);
    hang = false;
    // The parser loads on first use, which on a busy machine may take the whole deadline.
    await import('../src/catalog/parse-page.js');
    writeFileSync(path.join(dir, 'content', 'b.md'), page('Beta', ['three', 'five']));
    await live.reload();
    expect(live.lastReload, JSON.stringify(lines)).toMatchObject({ ok: true });
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'two', 'three', 'five']);
  });

  it("keeps a file's previous links while its new version is over the parse budget, and applies the next edit", async () => {
    const { dir } = await setup();
    const { lines, logger } = logs();
    const load = (signal: AbortSignal) =>
      loadCatalogInWorker(path.join(dir, 'content'), { budget: { timeoutMs: 300 }, deadlineMs: 20_000, signal }, dir);
    const live = new LiveCatalog(await loadCatalog(path.join(dir, 'content'), {}, dir), load, logger, undefined, undefined, {
      timeoutMs: 25_000,
    });
    writeFileSync(path.join(dir, 'content', 'b.md'), page('Beta', ['three']) + emphasisBomb(30_000));
    await live.reload();
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'two', 'three']);
    expect(live.current.catalog.problems.map(formatProblem)).toEqual([
      'content/b.md:1 error parse-timeout parsing took over 0.3 s (PARSE_TIMEOUT_SECONDS); the file is skipped',
      'content/b.md:1 warning kept-previous the file is broken; its 1 previous links are still served until it is fixed',
    ]);
    expect(lines.some((l) => l.level === 'warn' && l.msg.startsWith('content/b.md:1 error parse-timeout'))).toBe(true);
    rmSync(path.join(dir, 'content', 'b.md'));
    await live.reload();
    expect(live.current.catalog.entries.map((e) => e.title)).toEqual(['one', 'two']);
  }, 60_000);

  it('is stopped by close(), worker and all, at once', async () => {
    const { dir } = await setup();
    const { logger } = logs();
    const load = (signal: AbortSignal) => loadCatalogInWorker(path.join(dir, 'content'), { budget: { timeoutMs: 120_000 }, signal }, dir);
    const live = new LiveCatalog(await loadCatalog(path.join(dir, 'content'), {}, dir), load, logger);
    writeFileSync(path.join(dir, 'content', 'b.md'), emphasisBomb(100_000));
    const reloading = live.reload();
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    live.close();
    await reloading;
    expect(Date.now() - started).toBeLessThan(1000);
    await live.reload();
    expect(live.lastReload).toBeUndefined();
  }, 30_000);
});

describe('watching the content', () => {
  /** A live catalog reloaded by a watcher with short timings; the parse is inline, for speed. */
  async function watched() {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkdex-watch-'));
    const content = path.join(dir, 'content');
    mkdirSync(content);
    writeFileSync(path.join(content, 'a.md'), page('Alpha', ['one']));
    const load = () => loadCatalog(content, { budget: false }, dir);
    const { logger } = logs();
    const live = new LiveCatalog(await load(), load, logger);
    const errors: string[] = [];
    let reloads = 0;
    const watcher = watchContent(
      content,
      () => {
        reloads += 1;
        void live.reload();
      },
      (e) => errors.push(e.message),
      { settleMs: 50, maxWaitMs: 500, checkMs: 100 },
    );
    const titles = () => live.current.catalog.entries.map((e) => e.title);
    const until = async (what: () => boolean, ms = 10_000) => {
      const started = Date.now();
      while (!what()) {
        if (Date.now() - started > ms) throw new Error(`timed out; titles: ${titles().join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return { dir, content, live, errors, titles, until, reloads: () => reloads, close: () => watcher.close() };
  }

  it('re-arms after the folder is deleted and re-created, and applies later edits', async () => {
    const w = await watched();
    try {
      rmSync(w.content, { recursive: true });
      await w.until(() => w.errors.length > 0);
      mkdirSync(w.content);
      writeFileSync(path.join(w.content, 'b.md'), page('Beta', ['two']));
      await w.until(() => w.titles().join() === 'two');
      writeFileSync(path.join(w.content, 'c.md'), page('Gamma', ['three']));
      await w.until(() => w.titles().join() === 'two,three');
    } finally {
      w.close();
    }
  }, 30_000);

  it('follows an atomic swap of the folder, new files included', async () => {
    const w = await watched();
    try {
      const next = path.join(w.dir, 'next');
      mkdirSync(next);
      writeFileSync(path.join(next, 'b.md'), page('Beta', ['two']));
      renameSync(w.content, path.join(w.dir, 'old'));
      renameSync(next, w.content);
      await w.until(() => w.titles().join() === 'two');
      writeFileSync(path.join(w.content, 'c.md'), page('Gamma', ['three']));
      await w.until(() => w.titles().join() === 'two,three');
    } finally {
      w.close();
    }
  }, 30_000);

  it('reloads during a long burst of writes, not only after it', async () => {
    const w = await watched();
    try {
      const started = Date.now();
      for (let i = 0; Date.now() - started < 2500; i++) {
        writeFileSync(path.join(w.content, 'a.md'), page('Alpha', ['one', `burst${i}`]));
        await new Promise((r) => setTimeout(r, 30));
      }
      // 50 ms of quiet never comes during the burst; at most 500 ms pass between reloads.
      expect(w.reloads()).toBeGreaterThanOrEqual(3);
    } finally {
      w.close();
    }
  }, 30_000);
});
