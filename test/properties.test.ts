/**
 * Property tests: whatever a file or a member throws at linkdex, nothing throws, and the
 * invariants the rest of the code relies on (ids, urls, line numbers, limits) hold.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { assignIds } from '../src/catalog/entry-id.js';
import { checkCatalog } from '../src/catalog/check-catalog.js';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import type { Catalog, Entry } from '../src/catalog/types.js';
import { CONSOLE_COMMANDS, ConsoleSession, parseLine } from '../src/console/console-session.js';
import { Linkdex } from '../src/linkdex.js';
import { DEFAULT_LIMIT } from '../src/search/search-index.js';

const SEVERITIES = new Set(['error', 'warning', 'info']);
const DAY_MS = 86_400_000;
const FIXED_NOW = new Date('2026-01-01T12:00:00Z');

const seedText = readFileSync(new URL('../content/programming.md', import.meta.url), 'utf8');
const seed = buildCatalog([{ file: 'content/programming.md', text: seedText }]);
const linkdex = new Linkdex(seed, () => 0);
const seedIds = new Set(seed.entries.map((e) => e.id));
const categoryNames = seed.categories.map((c) => c.name);

/** Runs the fast-check property with a fixed budget; the seed is printed on failure so it can be replayed. */
const RUNS = { numRuns: 150 };
const FEW_RUNS = { numRuns: 25 };

// ---------------------------------------------------------------------------------------------
// Arbitraries

const char16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Characters that break naive code: controls, bidi overrides, BOMs, lone surrogates, line separators. */
const nasty = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\b',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  '🦀',
  'e\u0301',
  'ǅ',
  'ß',
  'İ',
  'ﬁ',
  '$and',
  '$or',
  '^',
  "'",
  '!',
  '=',
  '|',
  '*',
);

const shortText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: char16 }),
  fc.string({ unit: fc.oneof(nasty, fc.string({ minLength: 1, maxLength: 1 })) }),
);

/** Long inputs: well past the 100-character query cap and, for files, past the 20,000-character line cap. */
const longText = fc.oneof(
  fc.string({ unit: fc.oneof(char16, nasty), minLength: 200, maxLength: 3000 }),
  fc
    .tuple(fc.constantFrom('a', 'kafka ', '[', '\u0000', '\ud800', ' ', '*', 'é', '\r'), fc.integer({ min: 100, max: 25_000 }))
    .map(([s, n]) => s.repeat(n)),
  // Many entries, but few enough to stay fast: a catalog of thousands of same-titled links is slow (see below).
  fc
    .tuple(fc.constantFrom('- [x](https://a.io)\n', '# h\n', '| a | [b](https://b.io) |\n', '> '), fc.integer({ min: 10, max: 200 }))
    .map(([s, n]) => s.repeat(n)),
);

const anyText = fc.oneof({ weight: 8, arbitrary: shortText }, { weight: 1, arbitrary: longText });

const MARKDOWN_FRAGMENTS = [
  '- [',
  '](',
  'https://',
  'http://',
  'HTTPS://',
  'example.com',
  'a.b',
  '/path',
  '?q=1',
  '#:~:text=x',
  ')',
  '#',
  '## ',
  '\n',
  '\r\n',
  '\r',
  '---\n',
  '---js\n',
  '+++\n',
  'title: ',
  'draft: true\n',
  'date: 2024-05-01\n',
  '|',
  '| --- |',
  '*',
  '**',
  '***',
  '`',
  '```\n',
  '![',
  'javascript:',
  'data:',
  'mailto:',
  '[x]: ',
  '[x]',
  '<https://a.io>',
  'www.example.org',
  '<a href="https://a.io">',
  '  ',
  '    ',
  '1. ',
  '> ',
  ' - ',
  ':',
  '\\',
  '[',
  ']',
  '(',
  'Kafka',
  'img.shields.io/badge.svg',
  '.png',
];

const markdownish = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...MARKDOWN_FRAGMENTS) }, { weight: 1, arbitrary: shortText }), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://gUnleash/unleash',
    'https://',
    'http://.a.io',
    'http://a..',
    'https://[::1]/',
    'http://127.0.0.1:8080/x',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,x',
    'mailto:a@b.c',
    'ftp://a.io',
    '#anchor',
    './relative.md',
    '',
    ' https://a.io/x ',
    'https://a.io/#:~:text=x',
    'https://img.shields.io/badge/x.svg',
    'https://a.io/logo.png',
    'https://a.io/a b',
    'https://a.io/(x)',
  ),
  shortText,
);

/** Documents shaped like a catalog: front matter, headings, list items and table rows with links. */
const markdownLine = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 7 }), shortText).map(([depth, text]) => `${'#'.repeat(depth)} ${text}`),
  fc
    .tuple(
      fc.constantFrom('- ', '* ', '1. ', '  - ', '    - ', '- [ ] '),
      shortText,
      urlish,
      fc.constantFrom('', ' - ', ': ', '7', ' — '),
      shortText,
    )
    .map(([bullet, title, url, sep, desc]) => `${bullet}[${title}](${url})${sep}${desc}`),
  fc.tuple(shortText, urlish).map(([title, url]) => `| [${title}](${url}) | ${title} |`),
  fc.constant('| Name | Link |\n| --- | --- |'),
  fc.tuple(shortText, urlish).map(([label, url]) => `- [${label}][ref]\n\n[ref]: ${url}`),
  fc.tuple(urlish).map(([url]) => `- [![logo](${url})](${url})`),
  fc.tuple(shortText, urlish).map(([title, url]) => `- **[${title}](${url})**`),
  fc.tuple(shortText, shortText).map(([title, date]) => `---\ntitle: ${title}\ndate: ${date}\ndraft: false\n---`),
  fc.constantFrom('---', '***', '', '(', '```', '<!-- x -->', '***Collaboration***', '- ', '#', '|'),
  shortText,
);

const catalogDocument = fc
  .tuple(fc.array(markdownLine, { maxLength: 25 }), fc.constantFrom('\n', '\r\n', '\n\n'))
  .map(([lines, eol]) => lines.join(eol));

// ---------------------------------------------------------------------------------------------
// Invariants

/** The number of lines an editor shows: \r\n, \r and \n all end a line (remark counts them all). */
function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

function expectCatalogInvariants(catalog: Catalog, file: string, text: string): void {
  const maxLine = lineCount(text);
  for (const p of catalog.problems) {
    expect(SEVERITIES.has(p.severity), `unknown severity in ${JSON.stringify(p)}`).toBe(true);
    expect(Number.isInteger(p.line) && p.line >= 1, `bad line in ${JSON.stringify(p)}`).toBe(true);
    expect(p.line, `line past the end of the file in ${JSON.stringify(p)}`).toBeLessThanOrEqual(maxLine);
    expect(p.file).toBe(file);
    expect(p.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(p.message.length).toBeGreaterThan(0);
  }
  const ids = new Set<string>();
  for (const e of catalog.entries) {
    expect(e.id.length, `empty id in ${JSON.stringify(e)}`).toBeGreaterThan(0);
    expect(ids.has(e.id), `duplicate id ${e.id}`).toBe(false);
    ids.add(e.id);
    const protocol = URL.canParse(e.url) ? new URL(e.url).protocol : 'unparseable';
    expect(['http:', 'https:'], `entry url ${JSON.stringify(e.url)} is not http(s)`).toContain(protocol);
    expect(e.title.trim().length, `empty title in ${JSON.stringify(e)}`).toBeGreaterThan(0);
    expect(e.category.length).toBeGreaterThan(0);
    expect(e.source.file).toBe(file);
    expect(Number.isInteger(e.source.line) && e.source.line >= 1 && e.source.line <= maxLine, `bad line in ${JSON.stringify(e)}`).toBe(
      true,
    );
  }
  // Every entry is in exactly one category, and the categories hold nothing else.
  expect(catalog.categories.reduce((n, c) => n + c.entries.length, 0)).toBe(catalog.entries.length);
  expect(new Set(catalog.categories.map((c) => c.name)).size).toBe(catalog.categories.length);
  for (const c of catalog.categories) for (const e of c.entries) expect(e.category).toBe(c.name);
}

function expectUniqueHits(hits: readonly Entry[]): void {
  expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
  for (const h of hits) expect(seedIds.has(h.id)).toBe(true);
}

// ---------------------------------------------------------------------------------------------

describe('buildCatalog on arbitrary text', () => {
  it('never throws, and keeps its invariants, on arbitrary strings', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectCatalogInvariants(buildCatalog([{ file: 'x.md', text }]), 'x.md', text);
      }),
      RUNS,
    );
  });

  it('never throws, and keeps its invariants, on markdown-ish fragments', () => {
    fc.assert(
      fc.property(markdownish, fc.boolean(), (text, includeDrafts) => {
        expectCatalogInvariants(buildCatalog([{ file: 'x.md', text }], { includeDrafts }), 'x.md', text);
      }),
      RUNS,
    );
  });

  it('never throws, and keeps its invariants, on catalog-shaped documents', () => {
    fc.assert(
      fc.property(catalogDocument, (text) => {
        expectCatalogInvariants(buildCatalog([{ file: 'x.md', text }]), 'x.md', text);
      }),
      RUNS,
    );
  });

  it('gives the same ids and problems to the same text every time', () => {
    fc.assert(
      fc.property(catalogDocument, (text) => {
        const a = buildCatalog([{ file: 'x.md', text }]);
        const b = buildCatalog([{ file: 'x.md', text }]);
        expect(b.entries).toEqual(a.entries);
        expect(b.problems).toEqual(a.problems);
      }),
      FEW_RUNS,
    );
  });

  it('keeps ids unique across several files', () => {
    fc.assert(
      fc.property(fc.array(catalogDocument, { minLength: 1, maxLength: 4 }), (texts) => {
        const catalog = buildCatalog(texts.map((text, i) => ({ file: `f${i}.md`, text })));
        expect(new Set(catalog.entries.map((e) => e.id)).size).toBe(catalog.entries.length);
        for (const p of catalog.problems) expect(p.line).toBeGreaterThanOrEqual(1);
      }),
      FEW_RUNS,
    );
  });
});

describe('buildCatalog: cases the properties found', () => {
  // js-yaml's line is 0-based in a block that gray-matter starts with the newline after `---`.
  it.each([
    { text: "---\ntitle: \ndate: '\ndraft: false\n---", line: 5, why: 'the quote never closes: the last line' },
    { text: '---\na: b\n  c: d\n---\nbody\n', line: 3, why: 'bad indentation is on line 3' },
    { text: '---\ntitle: [\n---\n# A\n- [a](https://a.io)\n', line: 3, why: 'the closing --- ends the open bracket' },
  ])('reports invalid YAML front matter on its line inside the block ($why)', ({ text, line }) => {
    const problems = buildCatalog([{ file: 'x.md', text }]).problems.filter((q) => q.code === 'front-matter-invalid');
    expect(problems.map((p) => p.line)).toEqual([line]);
  });

  // Both once took time quadratic in the number of repeats; the vitest timeout guards them, and
  // npm run bench measures speed.
  it('reports each of 3,000 links that share a title once, against the first', () => {
    const entries = assignIds(
      Array.from({ length: 3000 }, (_, i) => ({
        title: 'Docs',
        url: `https://example.com/${i}`,
        description: '',
        category: 'C',
        section: ['C'],
        page: 'P',
        source: { file: 'x.md', line: i + 1 },
      })),
    );
    const problems = checkCatalog(entries);
    expect(problems).toHaveLength(2999);
    expect(problems.every((p) => p.code === 'duplicate-title' && p.message.includes('also used at x.md:1 '))).toBe(true);
  });

  it('numbers 5,000 copies of one link -2, -3, … in content order', () => {
    const entries = assignIds(Array.from({ length: 5000 }, () => ({ url: 'https://example.com/', category: 'C' })));
    const base = entries[0]?.id ?? '';
    expect(entries.map((e) => e.id)).toEqual([base, ...Array.from({ length: 4999 }, (_, i) => `${base}-${i + 2}`)]);
  });
});

describe('SearchIndex on the seed catalog', () => {
  it('search never throws, respects the limit and returns no duplicates', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }), (q, limit) => {
        const result = linkdex.index.search(q, limit === undefined ? {} : { limit });
        expect(result.hits.length).toBeLessThanOrEqual(limit ?? DEFAULT_LIMIT);
        expectUniqueHits(result.hits);
        expect(result.query.length).toBeLessThanOrEqual(100);
        if (result.hits.length > 0) expect(result.suggestions).toEqual([]);
        expect(new Set(result.suggestions).size).toBe(result.suggestions.length);
        expect(result.suggestions.length).toBeLessThanOrEqual(5);
      }),
      RUNS,
    );
  });

  it('search within a category only returns that category', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...categoryNames), fc.integer({ min: 1, max: 60 }), (q, category, limit) => {
        const { hits } = linkdex.index.search(q, { category, limit });
        expect(hits.length).toBeLessThanOrEqual(limit);
        expectUniqueHits(hits);
        for (const h of hits) expect(h.category).toBe(category);
      }),
      RUNS,
    );
  });

  it('search finds every entry by its own title', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seed.entries), (entry) => {
        const { hits } = linkdex.index.search(entry.title, { limit: 100 });
        expect(hits.map((h) => h.id)).toContain(entry.id);
      }),
      { numRuns: 60 },
    );
  });

  it('suggest never throws and returns at most 5 distinct names', () => {
    fc.assert(
      fc.property(anyText, (q) => {
        const suggestions = linkdex.index.suggest(q);
        expect(suggestions.length).toBeLessThanOrEqual(5);
        expect(new Set(suggestions).size).toBe(suggestions.length);
        for (const s of suggestions) expect(typeof s).toBe('string');
      }),
      RUNS,
    );
  });
});

describe('CategoryResolver on the seed catalog', () => {
  it('resolve never throws; a match is a real category, a miss suggests at most 5 real ones', () => {
    fc.assert(
      fc.property(anyText, (q) => {
        const match = linkdex.categories.resolve(q);
        if (match.found) {
          expect(seed.categories).toContain(match.category);
        } else {
          expect(match.suggestions.length).toBeLessThanOrEqual(5);
          expect(new Set(match.suggestions).size).toBe(match.suggestions.length);
          for (const s of match.suggestions) expect(categoryNames).toContain(s);
        }
      }),
      RUNS,
    );
  });

  it('resolves every category name whatever its case and spacing', () => {
    fc.assert(
      fc.property(fc.mixedCase(fc.constantFrom(...categoryNames)), fc.constantFrom('', ' ', '  ', '\t'), (name, pad) => {
        const match = linkdex.categories.resolve(`${pad}${name}${pad}`);
        expect(match.found && match.category.name.toLowerCase()).toBe(name.toLowerCase());
      }),
      { numRuns: 60 },
    );
  });

  it('complete never throws and returns at most `limit` distinct real names', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 30 }), (q, limit) => {
        const names = linkdex.categories.complete(q, limit);
        expect(names.length).toBeLessThanOrEqual(limit);
        expect(new Set(names).size).toBe(names.length);
        for (const n of names) expect(categoryNames).toContain(n);
      }),
      RUNS,
    );
  });
});

describe('Linkdex random and daily with arbitrary categories', () => {
  const dates = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });

  it('random and daily never throw and pick from the category asked for', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom(...categoryNames)), dates, (category, date) => {
        for (const picked of [linkdex.random({ category }), linkdex.daily(date, { category })]) {
          if (!picked.ok) {
            expect(picked.unknownCategory).toBe(category);
            for (const s of picked.suggestions) expect(categoryNames).toContain(s);
            continue;
          }
          expect(picked.value).toBeDefined();
          if (picked.value) expect(seedIds.has(picked.value.id)).toBe(true);
          if (picked.category && picked.value) expect(picked.value.category).toBe(picked.category.name);
        }
      }),
      RUNS,
    );
  });

  it('daily is the same all day and different the next day', () => {
    const scopes = [undefined, ...seed.categories.filter((c) => c.entries.length >= 2).map((c) => c.name)];
    fc.assert(
      fc.property(fc.constantFrom(...scopes), dates, fc.integer({ min: 0, max: DAY_MS - 1 }), (category, date, ms) => {
        const scope = category === undefined ? {} : { category };
        const day = Math.floor(date.getTime() / DAY_MS) * DAY_MS;
        const morning = linkdex.daily(new Date(day), scope);
        const later = linkdex.daily(new Date(day + ms), scope);
        const tomorrow = linkdex.daily(new Date(day + DAY_MS), scope);
        expect(morning.ok && later.ok && tomorrow.ok).toBe(true);
        if (!morning.ok || !later.ok || !tomorrow.ok) return;
        expect(later.value?.id).toBe(morning.value?.id);
        expect(tomorrow.value?.id, `same link on ${new Date(day).toISOString()} and the day after`).not.toBe(morning.value?.id);
      }),
      RUNS,
    );
  });

  it('daily shows every link once per cycle of pool-size days', () => {
    const scopes = [undefined, ...categoryNames];
    fc.assert(
      fc.property(fc.constantFrom(...scopes), fc.integer({ min: -100, max: 200 }), (category, cycle) => {
        const pool = category === undefined ? seed.entries : (seed.categories.find((c) => c.name === category)?.entries ?? []);
        const n = pool.length;
        const seen = new Set<string | undefined>();
        for (let i = 0; i < n; i++) {
          const picked = linkdex.daily(new Date((cycle * n + i) * DAY_MS + 1000), category === undefined ? {} : { category });
          seen.add(picked.ok ? picked.value?.id : undefined);
        }
        expect(seen).toEqual(new Set(pool.map((e) => e.id)));
      }),
      { numRuns: 20 },
    );
  });
});

describe('console parsing and sessions', () => {
  const commandWords = fc.constantFrom(
    '/search',
    '/category',
    '/random',
    '/help',
    '/SEARCH',
    '/Random',
    '/quit',
    '/nope',
    '/',
    'search',
    '',
  );
  const optionWords = fc.constantFrom(
    'query:',
    'category:',
    'name:',
    'today',
    'TODAY',
    'today:',
    'today:yes',
    'today:maybe',
    'category:Observability',
    'category:devops',
    'category:',
    ':',
    '::',
    'all',
    'kafka',
    'n',
    'p',
  );
  const consoleLine = fc.oneof(
    anyText,
    fc.tuple(commandWords, fc.array(fc.oneof(optionWords, shortText), { maxLength: 6 })).map(([head, words]) => [head, ...words].join(' ')),
    fc.constantFrom('n', 'p', 'N', ' p ', '/quit', '/EXIT', '/category', '/search kafka', '/category all', '/category Programming'),
  );

  it('parseLine never throws, and only fills options the command has', () => {
    fc.assert(
      fc.property(consoleLine, (line) => {
        const parsed = parseLine(line, commands);
        if (!parsed.ok) {
          expect(parsed.error.length).toBeGreaterThan(0);
          return;
        }
        expect(commands).toContain(parsed.command);
        const options = new Map(parsed.command.options.map((o) => [o.name, o.type]));
        for (const [key, value] of Object.entries(parsed.input)) {
          expect(options.has(key), `option ${key} is not an option of /${parsed.command.name}`).toBe(true);
          expect(typeof value).toBe(options.get(key));
        }
      }),
      RUNS,
    );
  });

  it('ConsoleSession.handle never throws over a whole session, and answers terminal-safe text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(consoleLine, { minLength: 1, maxLength: 6 }), async (lines) => {
        const session = new ConsoleSession(
          () => linkdex,
          commands,
          () => FIXED_NOW,
        );
        for (const line of lines) {
          const reply = await session.handle(line);
          expect(typeof reply.text).toBe('string');
          const quits = /^(\/quit|\/exit)(\s|$)|^(quit|exit)$/i.test(line.trim());
          expect(reply.quit === true).toBe(quits);
          const trimmed = line.trim();
          const parsed = trimmed === '' ? undefined : parseLine(trimmed.startsWith('/') ? trimmed : `/search ${trimmed}`, commands);
          // Answers (not the echo of a line that failed to parse) must not carry control characters to the terminal.
          if (parsed?.ok) expect(reply.text.replace(/\n/g, '')).not.toMatch(/\p{Cc}/u);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('ConsoleSession.complete never throws and returns completions of the line', () => {
    const session = new ConsoleSession(
      () => linkdex,
      commands,
      () => FIXED_NOW,
    );
    const completionLine = fc.oneof(
      consoleLine,
      fc
        .tuple(fc.constantFrom('/category ', '/CATEGORY ', '/search kafka category:', '/random category:', 'category:'), anyText)
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(completionLine, (line) => {
        const [completions, original] = session.complete(line);
        expect(original).toBe(line);
        expect(completions.length).toBeLessThanOrEqual(25 + commands.length + CONSOLE_COMMANDS.length);
        for (const c of completions) expect(typeof c).toBe('string');
        if (!line.includes(' ')) for (const c of completions) expect(c.startsWith(line.toLowerCase())).toBe(true);
      }),
      RUNS,
    );
  });
});
