import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCatalogFiles } from '../bench/generate-catalog.js';
import { splitIntoChunks } from '../src/catalog/chunk-markdown.js';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { ContentFile } from '../src/catalog/read-files.js';
import type { Catalog } from '../src/catalog/types.js';
import { corporaDir, seedPath } from './helpers.js';

/** Everything but the load time. */
function comparable(catalog: Catalog): Omit<Catalog, 'loadedAt'> & { loadedAt: null } {
  return { ...catalog, loadedAt: null };
}

/** Chunked parsing, at several chunk sizes, against the whole-file parse. */
function expectChunkedSameAsWhole(files: readonly ContentFile[], sizes = [1, 400, 4000]): void {
  const whole = comparable(buildCatalog(files));
  for (const chunkChars of sizes) {
    expect(comparable(buildCatalog(files, { chunkChars })), `chunkChars ${chunkChars}`).toEqual(whole);
  }
}

const corpora = ['awesome.md', 'awesome-python.md', 'awesome-workflow-engines.md'];

describe('chunked parsing gives what a whole-file parse gives', () => {
  it('on the seed', () => {
    const files = [{ file: 'content/programming.md', text: readFileSync(seedPath, 'utf8') }];
    expect(splitIntoChunks(files[0]?.text ?? '', 1).length).toBeGreaterThan(10);
    expectChunkedSameAsWhole(files);
  });

  it.each(corpora)('on %s', (name) => {
    expectChunkedSameAsWhole([{ file: name, text: readFileSync(`${corporaDir}${name}`, 'utf8') }]);
  });

  it('on a generated catalog', () => {
    expectChunkedSameAsWhole(generateCatalogFiles(2_500));
  });

  it('with references to definitions in other chunks, before and after', () => {
    const text = [
      '# One',
      '',
      '- [Later][later] - defined in a later chunk',
      '- [Earlier][early] and a note[^n]',
      '- [Twice][twice]',
      '',
      '# Two',
      '',
      '[early]: https://early.example.com',
      '[Twice]: https://first.example.com',
      '',
      '# Three',
      '',
      '- [Again][EARLY]',
      '- [Unknown][nowhere] stays text',
      '',
      '[later]: https://later.example.com',
      '[twice]: https://second.example.com',
      '',
      '[^n]: a footnote',
      '',
      '# Empty',
      '',
      '# Four',
      '',
      '- [Shortcut]',
      '',
      '[shortcut]: https://shortcut.example.com',
      '',
    ].join('\n');
    const files = [{ file: 'refs.md', text }];
    const whole = buildCatalog(files);
    expect(whole.entries.map((e) => e.url)).toEqual([
      'https://later.example.com',
      'https://early.example.com',
      'https://second.example.com',
      'https://early.example.com',
      'https://shortcut.example.com',
    ]);
    expect(whole.problems.map((p) => p.code)).toContain('empty-category');
    expectChunkedSameAsWhole(files);
  });

  it('never splits inside fenced code, multi-line HTML, lists or tables', () => {
    const text = [
      '# Code',
      '',
      '```md',
      '',
      '# not a heading',
      '',
      '- [Not an entry](https://code.example.com)',
      '```',
      '',
      '<!--',
      '',
      '# not a heading either',
      '',
      '-->',
      '',
      '# Table',
      '',
      '| Name | Link |',
      '| --- | --- |',
      '| A | [Alpha](https://alpha.example.com) |',
      '',
      '- [Beta](https://beta.example.com)',
      '',
      '  still the item',
      '',
      '    ~~~',
      '',
      '# inside an indented fence? no: indented code ends here',
      '',
      '- [Gamma](https://gamma.example.com)',
      '  ```',
      '',
      '# heading after a fence in an item',
      '',
      '```',
      '',
      '# inside a fence that the scan cannot place',
      '',
      '```',
      '',
      '# Last',
      '',
      '- [Delta](https://delta.example.com)',
      '',
    ].join('\n');
    expectChunkedSameAsWhole([{ file: 'tricky.md', text }]);
  });

  it('on arbitrary markdown-like text', () => {
    const line = fc.constantFrom(
      '',
      '',
      '# Head',
      '## Sub',
      '#',
      '- [A](https://a.example.com) - one',
      '- [B][b]',
      '  - [C](https://c.example.com)',
      '[b]: https://b.example.com',
      '[^f]: note',
      'text with [b] and [^f]',
      '```',
      '~~~',
      '  ```',
      '<!--',
      '-->',
      '<pre>',
      '</pre>',
      '| x | y |',
      '| - | - |',
      '> # quoted',
      '    # indented',
      '* * *',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const files = [{ file: 'x.md', text: lines.join('\n') }];
        const whole = comparable(buildCatalog(files));
        expect(comparable(buildCatalog(files, { chunkChars: 1 }))).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });
});

describe('splitIntoChunks', () => {
  it('covers the body exactly, each chunk after the first starting with a heading', () => {
    const body = ['intro', '', '# A', 'a', '', '# B', '', 'b', '', '## C', 'c'].join('\n');
    const chunks = splitIntoChunks(body, 1);
    expect(chunks.map((c) => body.slice(c.start, c.end).split('\n')[0])).toEqual(['intro', '# A', '# B', '## C']);
    expect(chunks.map((c) => c.line)).toEqual([0, 2, 5, 9]);
    expect(chunks.map((c) => body.slice(c.start, c.end)).join('')).toBe(body);
  });

  it('keeps small chunks together up to the target size', () => {
    const body = Array.from({ length: 100 }, (_, i) => `# H${i}\n\ntext ${i}\n`).join('\n');
    const chunks = splitIntoChunks(body, 200);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.length).toBeLessThan(20);
  });
});
