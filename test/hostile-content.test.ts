/**
 * Issue 13: markdown is input. Each attack is reproduced at a size that costs the old loader
 * seconds to minutes (or the process), with budgets set small so each test stays bounded.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aliasBomb, emphasisBomb, markerLine, nestedLists, wideTable } from '../bench/hostile.js';
import type { ListItem, Nodes, PhrasingContent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { cutDeepNodes, MAX_TREE_DEPTH } from '../src/catalog/deep-nesting.js';
import { extractEntries } from '../src/catalog/extract-entries.js';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { formatProblem } from '../src/catalog/problems.js';
import { MAX_FILE_BYTES } from '../src/catalog/read-files.js';
import { repoRoot } from './helpers.js';
import { startScript, testEnv, until } from './processes.js';
import { newSigner } from './signed-requests.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const good = '# Tools\n\n- [Alpha tool](https://alpha.example.com) - still loads\n';

/** A working directory with `content/` holding these files. */
function workspace(files: Record<string, string>): { cwd: string; content: string } {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'linkdex-hostile-'));
  made.push(cwd);
  const content = path.join(cwd, 'content');
  mkdirSync(content);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(content, name), text);
  return { cwd, content };
}

describe('a file over its parse budget', () => {
  it('that takes too long (30 KB of *a_*a_…) is reported at file:1 and skipped; the others load', async () => {
    const ws = workspace({
      'a.md': good,
      'slow.md': emphasisBomb(30_000),
      'z.md': good.replace(/Alpha/g, 'Zeta').replace('alpha', 'zeta'),
    });
    const started = Date.now();
    const catalog = await loadCatalog(ws.content, { budget: { timeoutMs: 300 } }, ws.cwd);
    expect(catalog.entries.map((e) => e.title)).toEqual(['Alpha tool', 'Zeta tool']);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'content/slow.md:1 error parse-timeout parsing took over 0.3 s (PARSE_TIMEOUT_SECONDS); the file is skipped',
    ]);
    // The budget plus starting two parsers, on a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('that needs too much memory (a 150 KB table 1,000 columns wide) is skipped, and the process is unharmed', async () => {
    const ws = workspace({ 'a.md': good, 'wide.md': wideTable(150_000) });
    const catalog = await loadCatalog(ws.content, { budget: { timeoutMs: 60_000, memoryMb: 96 } }, ws.cwd);
    expect(catalog.entries.map((e) => e.title)).toEqual(['Alpha tool']);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'content/wide.md:1 error parse-memory parsing needed over 96 MB (PARSE_MEMORY_MB); the file is skipped',
    ]);
  }, 90_000);

  it('keeps the deadline of a whole load: files not parsed in time are reported, the cached ones still load', async () => {
    const ws = workspace({ 'a.md': good, 'b.md': emphasisBomb(30_000), 'c.md': good.replace(/Alpha/g, 'Gamma').replace('alpha', 'gamma') });
    await loadCatalog(ws.content, { cacheDir: '.cache', budget: { timeoutMs: 200 } }, ws.cwd);
    writeFileSync(path.join(ws.content, 'c.md'), good.replace(/Alpha/g, 'Delta').replace('alpha', 'delta'));
    const catalog = await loadCatalog(ws.content, { cacheDir: '.cache', deadlineMs: 250 }, ws.cwd);
    expect(catalog.entries.map((e) => e.title)).toEqual(['Alpha tool']);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'content/b.md:1 error parse-timeout not parsed: the reload ran out of time after 250 ms (RELOAD_TIMEOUT_SECONDS); skipped',
      'content/c.md:1 error parse-timeout not parsed: the reload ran out of time after 250 ms (RELOAD_TIMEOUT_SECONDS); skipped',
    ]);
  }, 30_000);
});

describe('cheap guards before parsing', () => {
  it(`refuses a file over ${MAX_FILE_BYTES / 1048576} MB without reading it`, async () => {
    const ws = workspace({ 'a.md': good, 'big.md': `# Big\n\n${'- [x](https://x.example.com)\n'.repeat(200_000)}` });
    const catalog = await loadCatalog(ws.content, {}, ws.cwd);
    expect(catalog.entries.map((e) => e.title)).toEqual(['Alpha tool']);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'content/big.md:1 error unreadable file is 5.5 MB, over the 4 MB limit; skipped (split it into several files)',
    ]);
  });

  it('ignores lines nested over 10 deep, with a warning each, and parses the rest at once', () => {
    const nested = nestedLists(20_000, 1000);
    const text = `${markerLine(5000)}${nested}\n# After\n\n- [Beta](https://beta.example.com)\n`;
    const started = performance.now();
    const catalog = buildCatalog([{ file: 'deep.md', text }]);
    expect(performance.now() - started).toBeLessThan(5_000);
    const deep = catalog.problems.filter((p) => p.code === 'too-deep');
    expect(deep[0] && formatProblem(deep[0])).toBe(
      'deep.md:3 warning too-deep line is nested over 10 levels deep (lists, quotes or indentation); it is ignored',
    );
    // In the nested lists, every item 20 or more levels in is ignored: 40 columns of indentation count as 10 levels, its marker one more.
    const nestedLines = nested.split('\n').filter((l) => l.startsWith(' ') || l.startsWith('-'));
    expect(deep).toHaveLength(1 + nestedLines.filter((l) => l.indexOf('-') >= 40).length);
    expect(catalog.entries.map((e) => e.title)).toEqual(['Beta']);
  });
});

describe('text nested deeper than the walks over the tree can go', () => {
  const tooDeep = (line: number) =>
    `deep.md:${line} warning too-deep text is nested over 1,000 levels deep (emphasis, links or strikethrough); what is deeper is ignored`;

  it('is cut off with a warning at its line (2,200 * on each side of a word), and the rest of the file loads, parsed whole or in chunks', () => {
    const deep = `${'*'.repeat(2200)}x${'*'.repeat(2200)}`;
    const text = `# Deep\n\n- [Alpha](https://alpha.example.com) - ${deep}\n- [Beta](https://beta.example.com) - fine\n\n# After\n\n- [Gamma](https://gamma.example.com)\n`;
    for (const options of [{}, { chunkChars: 20 }]) {
      const catalog = buildCatalog([{ file: 'deep.md', text }], options);
      expect(catalog.problems.map(formatProblem)).toEqual([tooDeep(3)]);
      expect(catalog.entries.map((e) => [e.title, e.description, e.source.line])).toEqual([
        ['Alpha', '', 3],
        ['Beta', 'fine', 4],
        ['Gamma', '', 8],
      ]);
    }
  });

  /** How deep `tree` goes, counted without recursing. */
  function depthOf(tree: Root): number {
    let deepest = 0;
    const pending: [Nodes, number][] = [[tree, 0]];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [node, depth] = next;
      deepest = Math.max(deepest, depth);
      if ('children' in node) for (const child of node.children) pending.push([child, depth + 1]);
    }
    return deepest;
  }

  it('cannot overflow the stack: a tree 100,000 deep is cut to MAX_TREE_DEPTH, without recursing, before anything walks it', () => {
    const at = { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } };
    let deep: PhrasingContent = { type: 'text', value: 'deep', position: at };
    for (let i = 0; i < 100_000; i++) deep = { type: 'emphasis', children: [deep], position: at };
    const link: PhrasingContent = {
      type: 'link',
      url: 'https://alpha.example.com',
      children: [{ type: 'text', value: 'Alpha' }],
      position: at,
    };
    const item: ListItem = { type: 'listItem', children: [{ type: 'paragraph', children: [link, { type: 'text', value: ' - ' }, deep] }] };
    const tree: Root = {
      type: 'root',
      children: [
        { type: 'heading', depth: 1, children: [{ type: 'text', value: 'Deep' }] },
        { type: 'list', children: [item] },
      ],
    };
    // What any recursive walk would do to it (unist-util-visit recurses as mdast-util-to-string does).
    expect(() => toString(tree)).toThrow(RangeError);
    expect(cutDeepNodes(tree, 'deep.md', 0).map(formatProblem)).toEqual([tooDeep(3)]);
    expect(depthOf(tree)).toBe(MAX_TREE_DEPTH);
    const extracted = extractEntries(tree, { file: 'deep.md', page: 'deep', lineOffset: 0 });
    expect(extracted.entries.map((e) => [e.title, e.category])).toEqual([['Alpha', 'Deep']]);
  });
});

describe('YAML front matter', () => {
  it('with an alias bomb in `draft` is refused at once, never expanded, and the body still loads', () => {
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const catalog = buildCatalog([{ file: 'laughs.md', text: aliasBomb(9) }]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'laughs.md:1 error front-matter-invalid front matter expands to over 10,000 values (nested YAML aliases); it is ignored',
    ]);
    expect(catalog.entries.map((e) => [e.title, e.source.line])).toEqual([['Still here', 17]]);
  });

  it('names the kind of a wrong `draft`, never its contents', () => {
    const text = `---\ndraft: [${Array.from({ length: 50 }, (_, i) => `"item ${i}"`).join(', ')}]\n---\n${good}`;
    const catalog = buildCatalog([{ file: 'odd.md', text }]);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'odd.md:1 warning front-matter-field `draft` should be true or false, not a list; the page is published',
    ]);
  });
});

describe('the processes, on hostile content', () => {
  function hostileContent(): string {
    const ws = workspace({ 'a.md': good, 'laughs.md': aliasBomb(9), 'slow.md': emphasisBomb(30_000) });
    return ws.content;
  }

  it('linkdex check reports every hostile file as file:line and exits 1, within its budget', async () => {
    const content = hostileContent();
    const child = spawn(process.execPath, ['bin/linkdex.js', 'check', '--content', content], {
      cwd: repoRoot,
      env: testEnv({ PARSE_TIMEOUT_SECONDS: '0.3', NO_COLOR: '1' }),
      timeout: 45_000,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.resume();
    const started = Date.now();
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stdout).toContain('laughs.md:1 error front-matter-invalid front matter expands to over 10,000 values');
    expect(stdout).toContain('slow.md:1 error parse-timeout parsing took over 0.3 s (PARSE_TIMEOUT_SECONDS); the file is skipped');
  }, 60_000);

  it('npm start serves the rest of the catalog, and exits 0 when asked', async () => {
    const content = hostileContent();
    const run = startScript('src/main.ts', { CONTENT_DIR: content, PARSE_TIMEOUT_SECONDS: '0.3' });
    try {
      await until(
        () => run.output().includes('linkdex console: 2 links in 2 categories'),
        () => `the banner; output:\n${run.output()}`,
        30_000,
      );
      expect(run.output()).toContain('The content has 2 errors and 0 warnings');
      run.child.stdin?.write('/quit\n');
      expect(await run.exit).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  /** `npm run start:http` on a folder with one good file; the reload settings under test. */
  async function serving(env: Record<string, string>) {
    const ws = workspace({ 'a.md': good });
    const run = startScript(
      'src/main.ts',
      { PORT: '0', DISCORD_PUBLIC_KEY: newSigner().publicKeyHex, CONTENT_DIR: ws.content, PARSE_TIMEOUT_SECONDS: '120', ...env },
      ['--http'],
    );
    await until(
      () => run.output().includes('"msg":"listening on http://') && run.output().includes('"msg":"serving '),
      () => `the listening and serving lines; output:\n${run.output()}`,
      30_000,
    );
    return { run, content: ws.content };
  }

  it('a serving bot ends a reload at RELOAD_TIMEOUT_SECONDS and goes on with the rest', async () => {
    const { run, content } = await serving({ RELOAD_TIMEOUT_SECONDS: '2' });
    try {
      writeFileSync(path.join(content, 'slow.md'), emphasisBomb(100_000));
      await until(
        () => run.output().includes('content/slow.md:1 error parse-timeout not parsed: the reload ran out of time after 2000 ms'),
        () => `the reload's report; output:\n${run.output()}`,
        30_000,
      );
      await until(() => run.output().includes('"msg":"reloaded: 0 added, 0 removed, 0 changed, 1 links'), 'the reload', 10_000);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('SIGTERM stops a reload stuck in a file, worker and all, and exits 0 within 5 s', async () => {
    const { run, content } = await serving({ RELOAD_TIMEOUT_SECONDS: '600' });
    try {
      writeFileSync(path.join(content, 'slow.md'), emphasisBomb(100_000));
      // The watch settles (0.3 s) and the reload's workers start: the parse is under way.
      await new Promise((r) => setTimeout(r, 3000));
      const stopping = Date.now();
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5000);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);
});
