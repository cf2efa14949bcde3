import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { formatProblem } from '../src/catalog/problems.js';
import { ContentPathError } from '../src/catalog/read-files.js';
import { catalogOf } from './helpers.js';

function contentDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'linkdex-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

const ok = (name: string) => `# ${name}\n\n- [${name}](https://${name}.example.com)\n`;

describe('loading a content folder', () => {
  it('reads every .md file in nested folders, in path order, and nothing else', async () => {
    const dir = contentDir({
      'b.md': ok('bee'),
      'a/z.md': ok('zed'),
      'a/deeper/x.MD': ok('ex'),
      'notes.txt': ok('txt'),
      '.hidden/h.md': ok('hidden'),
    });
    const catalog = await loadCatalog(dir, {}, dir);
    expect(catalog.entries.map((e) => [e.source.file, e.title])).toEqual([
      ['a/deeper/x.MD', 'ex'],
      ['a/z.md', 'zed'],
      ['b.md', 'bee'],
    ]);
  });

  it('reads a single file too', async () => {
    const dir = contentDir({ 'one.md': ok('one') });
    const catalog = await loadCatalog(path.join(dir, 'one.md'), {}, dir);
    expect(catalog.entries.map((e) => e.title)).toEqual(['one']);
  });

  it('names a missing path clearly', async () => {
    await expect(loadCatalog('/nonexistent/linkdex-content')).rejects.toThrow(ContentPathError);
    await expect(loadCatalog('/nonexistent/linkdex-content')).rejects.toThrow(
      'cannot read content at /nonexistent/linkdex-content: no such file or folder',
    );
  });

  it('skips drafts with a note unless asked, and keeps their date', async () => {
    const dir = contentDir({ 'draft.md': `---\ntitle: Soon\ndraft: true\n---\n${ok('soon')}`, 'live.md': ok('live') });
    const skipped = await loadCatalog(dir, {}, dir);
    expect(skipped.entries.map((e) => e.title)).toEqual(['live']);
    expect(skipped.problems.map(formatProblem)).toEqual([
      'draft.md:1 info draft-skipped draft page “Soon” is skipped; set INCLUDE_DRAFTS=true or pass --drafts to include it',
    ]);
    const included = await loadCatalog(dir, { includeDrafts: true }, dir);
    expect(included.entries.map((e) => e.title)).toEqual(['soon', 'live']);
  });

  it('survives empty files, binary garbage and invalid UTF-8, and still loads the rest', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const dir = contentDir({
      'empty.md': '',
      'garbage.md': garbage,
      'latin1.md': Buffer.concat([Buffer.from('# Caf'), Buffer.from([0xe9]), Buffer.from('\n\n- [cafe](https://cafe.example.com)\n')]),
      'good.md': ok('good'),
    });
    const catalog = await loadCatalog(dir, {}, dir);
    expect(catalog.entries.map((e) => [e.title, e.category])).toEqual([
      ['good', 'good'],
      ['cafe', 'Caf�'],
    ]);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'garbage.md:1 error unreadable file looks binary (it contains NUL bytes); skipped',
      'latin1.md:1 warning encoding file is not valid UTF-8; unreadable bytes are shown as �',
    ]);
  });

  it('ignores a 3 MB line with a warning, keeping the lines after it numbered', async () => {
    const huge = '['.repeat(3 * 1024 * 1024);
    const dir = contentDir({ 'huge.md': `# Big\n${huge}\n- [after](https://after.example.com)\n` });
    const catalog = await loadCatalog(dir, {}, dir);
    expect(catalog.entries.map((e) => [e.title, e.source.line])).toEqual([['after', 3]]);
    expect(catalog.problems.map(formatProblem)).toEqual([
      'huge.md:2 warning line-too-long line has 3145728 characters, over the 20000 limit; it is ignored',
    ]);
  });
});

describe('front matter', () => {
  it('that never closes is an error at line 1, and the links still load with their real lines', () => {
    const catalog = catalogOf('---\ntitle: Open\n\n# H\n- [x](https://x.example.com)\n');
    expect(catalog.entries.map((e) => [e.title, e.source.line, e.page])).toEqual([['x', 5, 'test']]);
    expect(catalog.problems.map((p) => [p.line, p.severity, p.code])).toEqual([[1, 'error', 'front-matter-unclosed']]);
  });

  it('that is not valid YAML is an error at its line, and the body still loads', () => {
    const catalog = catalogOf('---\ntitle: ok\nbad: [unclosed\n---\n# H\n- [x](https://x.example.com)\n');
    expect(catalog.entries.map((e) => [e.title, e.source.line])).toEqual([['x', 6]]);
    expect(catalog.problems).toHaveLength(1);
    expect(catalog.problems[0]).toMatchObject({ severity: 'error', code: 'front-matter-invalid', file: 'test.md' });
    expect(catalog.problems[0]?.message).toMatch(/^front matter is not valid YAML: /);
  });

  it('in JavaScript is never run', () => {
    const marker = '__linkdexFrontMatterRan';
    const catalog = catalogOf(`---js\n{ title: (globalThis.${marker} = true, 'x') }\n---\n# H\n- [x](https://x.example.com)\n`);
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(catalog.problems[0]).toMatchObject({ line: 1, code: 'front-matter-invalid' });
    expect(catalog.entries.map((e) => e.title)).toEqual(['x']);
  });

  it('with odd field types warns and falls back', () => {
    const catalog = catalogOf('---\ntitle: [a, b]\ndraft: maybe\ndate: {}\n---\n# H\n- [x](https://x.example.com)\n', 'odd.md');
    expect(catalog.pages[0]).toEqual({ title: 'odd', file: 'odd.md', draft: false, entryCount: 1 });
    expect(catalog.problems.map((p) => p.message)).toEqual([
      '`title` should be text; the file name is used instead',
      '`date` should be a date such as 2024-05-01',
      '`draft` should be true or false, not "maybe"; the page is published',
    ]);
  });

  it('counts CRLF line endings and a byte-order mark like any other file', () => {
    const catalog = catalogOf('---\r\ntitle: Win\r\n---\r\n# H\r\n- [x](https://x.example.com)\r\n');
    expect(catalog.entries[0]).toMatchObject({ page: 'Win', category: 'H', source: { line: 5 } });
  });
});
