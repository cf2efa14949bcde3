import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { isGenericLinkText, MAX_ROW_TITLE } from '../src/catalog/table-row-title.js';
import { catalogOf } from './helpers.js';

const fixtureDir = new URL('./fixtures/extract/', import.meta.url);

describe('fixture markdown in, expected entries out', () => {
  const inputs = readdirSync(fixtureDir).filter((f) => f.endsWith('.md'));
  it('has fixtures', () => expect(inputs.length).toBeGreaterThanOrEqual(4));
  for (const name of inputs) {
    it(name, () => {
      const text = readFileSync(new URL(name, fixtureDir), 'utf8');
      const expected = JSON.parse(readFileSync(new URL(name.replace(/\.md$/, '.json'), fixtureDir), 'utf8'));
      const catalog = buildCatalog([{ file: name, text }]);
      expect({ entries: catalog.entries, problems: catalog.problems }).toEqual(expected);
    });
  }
});

describe('entries', () => {
  it('take their category from the nearest heading and their section from the heading path', () => {
    const catalog = catalogOf('# A\n## B\n### C\n- [x](https://x.example.com)\n## D\n- [y](https://y.example.com)\n');
    expect(catalog.entries.map((e) => [e.category, e.section])).toEqual([
      ['C', ['A', 'B', 'C']],
      ['D', ['A', 'D']],
    ]);
  });

  it('count lines in the original file, front matter included', () => {
    const catalog = catalogOf('---\ntitle: T\ndate: 2024-01-02\n---\n\n# H\n\n- [x](https://x.example.com)\n');
    expect(catalog.entries[0]?.source).toEqual({ file: 'test.md', line: 8 });
    expect(catalog.pages[0]).toMatchObject({ title: 'T', date: '2024-01-02T00:00:00.000Z', draft: false, entryCount: 1 });
  });

  it('are named after the file when the front matter has no title', () => {
    const catalog = catalogOf('# H\n- [x](https://x.example.com)\n', 'notes/go-links.md');
    expect(catalog.entries[0]?.page).toBe('go-links');
  });

  it('outside any heading are filed under the page title, with a warning', () => {
    const catalog = catalogOf('---\ntitle: Misc\n---\n- [x](https://x.example.com)\n');
    expect(catalog.entries[0]).toMatchObject({ category: 'Misc', section: [] });
    expect(catalog.problems).toEqual([
      {
        severity: 'warning',
        code: 'outside-heading',
        file: 'test.md',
        line: 4,
        message: 'link “x” is not under any heading; it is filed under the page title “Misc”',
      },
    ]);
  });

  it('never come from javascript:, data: or file: links, which are errors', () => {
    const catalog = catalogOf(
      '# H\n- [a](javascript:alert(1))\n- [b](data:text/html,hi)\n- [c](file:///etc/passwd)\n- [d](mailto:x@example.com)\n',
    );
    expect(catalog.entries).toEqual([]);
    expect(catalog.problems.map((p) => [p.line, p.severity, p.code])).toEqual([
      [2, 'error', 'unsafe-scheme'],
      [3, 'error', 'unsafe-scheme'],
      [4, 'error', 'unsafe-scheme'],
      [5, 'warning', 'other-scheme'],
    ]);
  });

  it('with empty link text use the address as the title', () => {
    const catalog = catalogOf('# H\n- [](https://www.example.com/page)\n');
    expect(catalog.entries[0]?.title).toBe('example.com/page');
    expect(catalog.problems.map((p) => p.code)).toEqual(['empty-link-text']);
  });

  it('keep ids across restarts and edits elsewhere, and change them with url or category', () => {
    const before = catalogOf('# H\n- [x](https://x.example.com)\n- [y](https://y.example.com)\n');
    const after = catalogOf('# Intro\ntext\n# H\n- [y, renamed](https://y.example.com) - new text\n- [x](https://x.example.com)\n');
    const moved = catalogOf('# Other\n- [x](https://x.example.com)\n');
    expect(after.entries.find((e) => e.url === 'https://x.example.com')?.id).toBe(before.entries[0]?.id);
    expect(after.entries.find((e) => e.url === 'https://y.example.com')?.id).toBe(before.entries[1]?.id);
    expect(moved.entries[0]?.id).not.toBe(before.entries[0]?.id);
    expect(before.entries[0]?.id).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  it('get distinct ids when the same link appears twice in one category', () => {
    const catalog = catalogOf('# H\n- [x](https://x.example.com)\n- [x again](https://x.example.com/)\n');
    const [a, b] = catalog.entries;
    expect(b?.id).toBe(`${a?.id}-2`);
  });
});

describe('headings', () => {
  it('with no text are reported and their links filed under the parent heading', () => {
    const catalog = catalogOf('# Parent\n## ![icon](https://example.com/i.png)\n- [x](https://x.example.com)\n');
    expect(catalog.entries[0]?.category).toBe('Parent');
    expect(catalog.problems.map((p) => [p.line, p.code])).toEqual([[2, 'empty-heading']]);
  });

  it('with nothing under them are empty categories; a heading followed by sub-headings is not', () => {
    const catalog = catalogOf('# Top\n## Empty\n## Full\n- [x](https://x.example.com)\n## Last\n');
    expect(catalog.problems.map((p) => [p.line, p.code, p.message])).toEqual([
      [2, 'empty-category', 'category “Empty” has no links under it'],
      [5, 'empty-category', 'category “Last” has no links under it'],
    ]);
  });
});

describe('table rows whose link names no thing (issue 12, item 10)', () => {
  const entriesOf = (table: string) =>
    catalogOf(`# Tools\n\n${table}`).entries.map((e) => ({ title: e.title, description: e.description, url: e.url }));

  it('take their title from the first text cell: | Vite | [site](…) | … |', () => {
    expect(
      entriesOf('| Name | Site | What |\n| --- | --- | --- |\n| Vite | [site](https://vitejs.dev) | Next generation frontend tooling |\n'),
    ).toEqual([{ title: 'Vite', description: 'Next generation frontend tooling', url: 'https://vitejs.dev' }]);
  });

  it('take it from the row for a bare URL, an address as text, or GitHub, wherever the link sits', () => {
    const rows = [
      '| Name | Link | What |',
      '| --- | --- | --- |',
      '| esbuild | https://esbuild.github.io/ | bundler |',
      '| Rollup | [rollupjs.org](https://rollupjs.org) | |',
      '| [GitHub](https://github.com/parcel-bundler/parcel) | Parcel | zero configuration |',
    ].join('\n');
    expect(entriesOf(rows).map((e) => [e.title, e.description])).toEqual([
      ['esbuild', 'bundler'],
      ['Rollup', ''],
      ['Parcel', 'zero configuration'],
    ]);
  });

  it('skip a column that groups rows (Type, Date) for the one that names them', () => {
    const rows =
      '| Type | System | Reference(s) |\n| --- | --- | --- |\n| Data store | **Redis** - In-memory store | [slideshare.net](https://www.slideshare.net/x/redis) |\n';
    expect(entriesOf(rows).map((e) => [e.title, e.description])).toEqual([['Redis - In-memory store', 'Data store']]);
  });

  it('cut a paragraph-long cell to a title and keep it whole in the description', () => {
    const long = `A paper about ${'very '.repeat(30)}fast models`;
    const [entry] = entriesOf(
      `| Paper | Links |\n| --- | --- |\n| ${long} | [Paper](https://arxiv.org/abs/1), [Tweet](https://x.com/a/status/1) |\n`,
    );
    expect(entry?.title.length).toBeLessThanOrEqual(MAX_ROW_TITLE);
    expect(entry?.title).toMatch(/^A paper about very very .*very…$/);
    expect(entry?.description).toBe(`${long} · Tweet`);
  });

  it('keep a link text that names the thing, and a generic one when the row has nothing else', () => {
    const rows = [
      '| Date | Keywords | Paper |',
      '| --- | --- | --- |',
      '| 2017-06 | Transformers | [Attention Is All You Need](https://arxiv.org/abs/1706.03762) |',
      '| | [homepage](https://lonely.example.com) | |',
    ].join('\n');
    expect(entriesOf(rows).map((e) => [e.title, e.description])).toEqual([
      ['Attention Is All You Need', '2017-06 · Transformers'],
      ['homepage', ''],
    ]);
  });

  it('leave list items alone: their link text is their title', () => {
    expect(entriesOf('- Vite: [site](https://vitejs.dev)\n').map((e) => e.title)).toEqual(['site']);
  });

  it.each([
    ['site', true],
    ['Website', true],
    ['GitHub', true],
    ['[docs]', true],
    ['Home page', true],
    ['https://stripe.com/blog/', true],
    ['research.google.com', true],
    ['vitejs.dev', true],
    ['Vite', false],
    ['Node.js', false],
    ['Socket.IO', false],
    ['ASP.NET Core', false],
    ['n00tc0d3r.blogspot.com', true],
    ['Attention Is All You Need', false],
    ['', false],
  ])('call %j generic: %s', (text, generic) => {
    expect(isGenericLinkText(text, 'https://vitejs.dev/')).toBe(generic);
  });
});
