import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { editDistance, editsToPrefix } from '../src/search/edit-distance.js';
import { MAX_QUERY_CHARS, parseQuery } from '../src/search/query.js';
import { SearchIndex } from '../src/search/search-index.js';
import { catalogOf, corporaDir, seedCatalog, seedLinkdex } from './helpers.js';

const index = new SearchIndex(seedCatalog());
const titles = (query: string, limit = 10) => index.search(query, { limit }).hits.map((e) => e.title);
const categories = (query: string, limit = 10) => index.search(query, { limit }).hits.map((e) => e.category);

describe('search on the seed catalog', () => {
  it('puts titles that start with an exact word first: kafka', () => {
    expect(titles('kafka', 3)).toEqual(['Kafka - Capacity Planning', 'Kafka Without Zookeeper - A Sneak peak', 'RabbitMQ vs Kafka']);
    expect(titles('kafka').every((t) => /kafka/i.test(t))).toBe(true);
  });

  it('finds links that have every word of a phrase: distributed tracing', () => {
    expect(titles('distributed tracing', 4).sort()).toEqual([
      'Distributed tracing covering Client (Mobile App) tracing at slack',
      'Distributed tracing using Tempo, OpenTelemetry and Grafana Cloud',
      'Distributed tracing vs. Logging',
      'OpenTelemetry, Distributed Tracing, W3c Trace Context',
    ]);
  });

  it.each([
    ['kuberntes', 'Kubernetes for Everyone'],
    ['obsevability', 'Observability in 2022'],
    ['promethues', 'Prometheus and Cardinality of Metric'],
  ])('forgives a typo: %s finds %s first', (query, first) => {
    expect(titles(query)[0]).toBe(first);
  });

  it('finds every kubernetes link, and only those, as the word is typed: ku, kube', () => {
    const kubernetes = ['Kubernetes for Everyone', 'E-book kubernetes Up & Running', 'Alternatives for Local Kubernetes development'];
    expect(titles('ku')).toEqual(kubernetes);
    expect(titles('kube')).toEqual(kubernetes);
    expect(titles('kuberntes')).toEqual(kubernetes);
  });

  it('completes obs to titles with a word that starts so, those that start with it first', () => {
    const found = titles('obs', 9);
    expect(found.slice(0, 3)).toEqual([
      'Observability in 2022',
      'Observability @ Cloudflare',
      'Observing Network Traffic with Open source tools',
    ]);
    expect(found.every((t) => /\bobs/i.test(t))).toBe(true);
    // After the titles come the links filed under a category whose name starts so.
    expect(
      categories('obs', 20)
        .slice(9)
        .every((c) => c === 'Observability'),
    ).toBe(true);
  });

  it('matches a host name: github', () => {
    const hits = index.search('github', { limit: 20 }).hits;
    expect(hits).toHaveLength(20);
    expect(hits.every((e) => new URL(e.url).hostname === 'github.com')).toBe(true);
    // Titles that name GitHub rank above links that are merely hosted there.
    expect(hits.slice(0, 2).map((e) => e.title)).toEqual([
      'Github Workflow - Test them locally using Act',
      'Act - Run Github Actions locally',
    ]);
  });

  it('matches a category name: observability', () => {
    const found = categories('observability', 10);
    expect(found.filter((c) => c === 'Observability').length).toBeGreaterThanOrEqual(9);
    expect(found.slice(0, 7).every((c) => c === 'Observability')).toBe(true);
  });

  it.each(['zzqxv', 'qwpoeiru', 'asdf qwer', 'xkcdxkcd', '!!!', '   '])('finds nothing rather than noise for %j', (query) => {
    expect(index.search(query).hits).toEqual([]);
  });

  it('gives did-you-mean suggestions when nothing matches: closest categories, then titles', () => {
    expect(index.search('kafka xyzzy').suggestions.slice(0, 2)).toEqual([
      'Kafka - Capacity Planning',
      'Kafka Without Zookeeper - A Sneak peak',
    ]);
    expect(index.search('observabilty zzqxv').suggestions[0]).toBe('Observability');
    expect(index.search('zzqxv').suggestions).toEqual([]);
  });

  it('leaves suggestions out when asked to, as autocomplete does', () => {
    expect(index.search('kafka xyzzy', { suggest: false })).toEqual({ query: 'kafka xyzzy', hits: [], suggestions: [] });
  });

  it('matches letters that carry their accent in the letter, as typed without it', () => {
    const accents = new SearchIndex(
      catalogOf('# Cities\n\n- [Łódź transit map](https://a.example) - trams\n- [Øresund bridge](https://b.example) - Straße\n'),
    );
    const found = (q: string) => accents.search(q).hits.map((e) => e.title);
    expect(found('lodz')).toEqual(['Łódź transit map']);
    expect(found('oresund')).toEqual(['Øresund bridge']);
    expect(found('strasse')).toEqual(['Øresund bridge']);
  });

  it('ranks in a fixed order, whatever the query time', () => {
    expect(titles('monitoring', 50)).toEqual(titles('monitoring', 50));
    expect(new Set(titles('monitoring', 50)).size).toBe(titles('monitoring', 50).length);
  });

  it('respects the limit and the category filter', () => {
    expect(index.search('the', { limit: 3 }).hits).toHaveLength(3);
    const hits = index.search('kafka', { category: 'Observability' }).hits;
    expect(hits.map((e) => e.title)).toEqual(['Tracing at Slack using Kafka']);
  });

  it('ignores accents and case', () => {
    expect(titles('KAFKÁ', 1)).toEqual(titles('kafka', 1));
  });
});

describe('equal scores', () => {
  it('keep the shorter title first, then content order', () => {
    const index = new SearchIndex(
      catalogOf(
        '# H\n- [Obsidian git plugin](https://a.example.com)\n- [Obsidian](https://b.example.com)\n- [Obsidian](https://c.example.com)\n',
      ),
    );
    expect(index.search('obsidian').hits.map((e) => e.url)).toEqual([
      'https://b.example.com',
      'https://c.example.com',
      'https://a.example.com',
    ]);
  });
});

describe('category names', () => {
  const linkdex = seedLinkdex();
  const resolve = (name: string) => {
    const match = linkdex.resolveCategory(name);
    return match.found ? match.category.name : { suggestions: match.suggestions };
  };

  it('resolve exactly, by prefix, by word and by spelling', () => {
    expect(resolve('observability')).toBe('Observability');
    expect(resolve('devops')).toBe('Devops/Monitoring');
    expect(resolve('monitoring')).toBe('Devops/Monitoring');
    expect(resolve('obsevability')).toBe('Observability');
    expect(resolve('API')).toBe('API');
  });

  it('do not guess between equally good names', () => {
    expect(resolve('distributed')).toEqual({ suggestions: ['Distributed Systems', 'Distributed messaging, Streams'] });
    expect(resolve('zzqxv')).toEqual({ suggestions: [] });
  });

  it('say why none was found: ambiguous, misspelled, or nothing close', () => {
    const miss = (name: string) => {
      const match = linkdex.resolveCategory(name);
      return match.found ? match.category.name : { reason: match.reason, suggestions: match.suggestions };
    };
    expect(miss('dist')).toEqual({ reason: 'ambiguous', suggestions: ['Distributed Systems', 'Distributed messaging, Streams'] });
    expect(miss('distibuted')).toEqual({ reason: 'misspelled', suggestions: ['Distributed Systems', 'Distributed messaging, Streams'] });
    expect(miss('nope')).toEqual({ reason: 'unknown', suggestions: [] });
    expect(miss('  ')).toEqual({ reason: 'unknown', suggestions: [] });
  });

  it.each(['nope', 'open', 'pipe', 'sec', 'xyz', 'workflowz engine', 'zzqxv'])(
    'find no category for %j rather than a wrong one',
    (name) => {
      const match = linkdex.resolveCategory(name);
      expect(match.found ? match.category.name : null).toBe(
        // Words that do begin a category's words find it; the others find nothing.
        { open: 'Open source Pipelining, workflows', pipe: 'Open source Pipelining, workflows', sec: 'Security' }[name] ?? null,
      );
    },
  );

  it('measure a misspelling against the start of a word', () => {
    expect(editsToPrefix('obsevab', 'observability', 2)).toBe(1);
    expect(editsToPrefix('devopz', 'devops', 1)).toBe(1);
    // One edit from "open": why words under MIN_FUZZY_WORD letters must be typed right.
    expect(editsToPrefix('nope', 'open', 1)).toBe(1);
    expect(editsToPrefix('zzqxv', 'observability', 1)).toBe(2);
    expect(editsToPrefix('kafka', 'kafka', 0)).toBe(0);
  });

  it('complete as a member types', () => {
    expect(linkdex.categories.complete('dist')).toEqual(['Distributed Systems', 'Distributed messaging, Streams']);
    expect(linkdex.categories.complete('')).toHaveLength(23);
    expect(linkdex.categories.complete('', 5)).toHaveLength(5);
  });
});

describe('swapped letters, the commonest typo', () => {
  it('find the word on the seed: kafak, obsevrability', () => {
    expect(titles('kafak', 2)).toEqual(['Kafka - Capacity Planning', 'Kafka Without Zookeeper - A Sneak peak']);
    expect(titles('obsevrability', 1)).toEqual(['Observability in 2022']);
  });

  it('find the word on awesome-python: pyhton, djnago', () => {
    const python = new SearchIndex(
      buildCatalog([{ file: 'awesome-python.md', text: readFileSync(`${corporaDir}awesome-python.md`, 'utf8') }]),
    );
    expect(python.search('djnago', { limit: 1 }).hits.map((e) => e.title)).toEqual(['django']);
    const hits = python.search('pyhton', { limit: 10 }).hits;
    expect(hits).toHaveLength(10);
    expect(hits.every((e) => /python/i.test(`${e.title} ${e.url}`))).toBe(true);
  });
});

describe('reading a query', () => {
  it('reads plain words (the quick path) as the full cleaning reads them: case, repeats, the bounds', () => {
    const long = Array.from({ length: 12 }, (_, i) => `Word${i % 9}`).join(' ');
    const plain = [
      'kafka',
      'Kafka',
      'web Framework web',
      'k8s 2024',
      long,
      'a'.repeat(MAX_QUERY_CHARS),
      `${'b'.repeat(60)} ${'c'.repeat(39)}`,
    ];
    for (const raw of plain) {
      // Spaces around force the full path, which removes them.
      expect(parseQuery(raw), raw).toEqual(parseQuery(` ${raw}  `));
    }
    expect(parseQuery(long).words).toEqual(['word0', 'word1', 'word2', 'word3', 'word4', 'word5', 'word6', 'word7']);
    expect(parseQuery('Web Framework').text).toBe('Web Framework');
  });
});

describe('quoted phrases (issue 12, item 17)', () => {
  it('shows a query of many phrases within the query bound, quotes included', () => {
    // Phrases written against words ("x0"y0"x1"y1…) are shown apart, which adds a space each.
    const raw = Array.from({ length: 20 }, (_, i) => `"x${i}"y${i}`).join('');
    const shown = parseQuery(raw).text;
    expect(shown.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(shown.startsWith('‘x0’ y0 ‘x1’ y1')).toBe(true);
  });

  it('show the query once quoted and find the same links as the word: "kafka"', () => {
    const quoted = index.search('"kafka"', { limit: 100 });
    expect(quoted.query).toBe('kafka');
    expect(index.search('“kafka”').query).toBe('kafka');
    expect(quoted.hits).toEqual(index.search('kafka', { limit: 100 }).hits);
  });

  it('need their words adjacent and in order: "distributed tracing"', () => {
    const phrase = titles('"distributed tracing"');
    expect(phrase).toEqual([
      'Distributed tracing vs. Logging',
      'Distributed tracing using Tempo, OpenTelemetry and Grafana Cloud',
      'Distributed tracing covering Client (Mobile App) tracing at slack',
      'OpenTelemetry, Distributed Tracing, W3c Trace Context',
    ]);
    expect(titles('distributed tracing').length).toBeGreaterThan(phrase.length);
    expect(titles('"tracing distributed"')).toEqual([]);
  });

  it('take each quoted word as typed: no typo forgiven inside quotes', () => {
    expect(titles('kafak', 1)).toEqual(['Kafka - Capacity Planning']);
    expect(titles('"kafak"')).toEqual([]);
    expect(titles('"kafk"')).toEqual([]);
  });

  it('mix with other words, shown in single quotes inside the query', () => {
    const result = index.search('"distributed tracing" slack');
    expect(result.query).toBe('‘distributed tracing’ slack');
    expect(result.hits[0]?.title).toBe('Distributed tracing covering Client (Mobile App) tracing at slack');
    for (const hit of result.hits) expect(`${hit.title} ${hit.description}`).toMatch(/distributed tracing/i);
  });

  it('still being typed (no closing quote) let the last word be the start of one, as autocomplete needs', () => {
    expect(titles('"distributed trac')).toEqual(titles('"distributed tracing"'));
  });

  it('do not span two fields: the end of a title and the start of its description', () => {
    const split = new SearchIndex(
      catalogOf('# H\n- [Event sourcing](https://a.example.com) - patterns\n- [Why sourcing patterns](https://b.example.com)\n'),
    );
    expect(split.search('"sourcing patterns"').hits.map((e) => e.url)).toEqual(['https://b.example.com']);
  });

  it('are checked before candidates are cut to the best 100, so a large catalog still finds the few that have them', () => {
    const lines = [
      '# H',
      ...Array.from({ length: 300 }, (_, i) => `- [Alpha and beta ${i}](https://a${i}.example.com)`),
      ...Array.from({ length: 3 }, (_, i) => `- [A much longer title where beta alpha comes late ${i}](https://z${i}.example.com)`),
    ];
    const big = new SearchIndex(catalogOf(lines.join('\n')));
    expect(big.search('beta alpha', { limit: 500 }).hits.length).toBe(100);
    expect(big.search('"beta alpha"', { limit: 500 }).hits.map((e) => e.url)).toEqual([
      'https://z0.example.com',
      'https://z1.example.com',
      'https://z2.example.com',
    ]);
  });

  it('leave an apostrophe alone: don’t is no quote', () => {
    expect(index.search('don’t').query).toBe('don’t');
  });
});

describe('did you mean, when a search finds nothing (issue 12, item 18)', () => {
  const workflows = new SearchIndex(
    buildCatalog([{ file: 'awesome-workflow-engines.md', text: readFileSync(`${corporaDir}awesome-workflow-engines.md`, 'utf8') }]),
  );

  it('suggests the closest word the catalog has, as a query: serch', () => {
    expect(workflows.search('serch')).toEqual({ query: 'serch', hits: [], suggestions: ['such'] });
    // The corrected query is offered only when it finds something.
    expect(workflows.search('serch engine').suggestions[0]).toBe('such engine');
    expect(workflows.search('serch xyzzy').suggestions).not.toContain('such xyzzy');
  });

  it('suggests the titles a search in one category would find elsewhere: serch in Rust', () => {
    expect(index.search('serch', { category: 'Rust' })).toEqual({
      query: 'serch',
      hits: [],
      suggestions: [
        'OpenObserve - Elasticsearch/Splunk/Datadog alternative for logs, metrics, traces',
        'Monitoring your own infrastructure using Grafana, InfluxDB, and CollectD',
      ],
    });
  });

  it('suggests nothing rather than another word altogether', () => {
    expect(workflows.search('promethues').suggestions).toEqual([]);
    expect(workflows.search('zzqxv').suggestions).toEqual([]);
    expect(index.search('qzxj wpvk mmrt').suggestions).toEqual([]);
  });

  it('count a swap of neighbouring letters as one edit', () => {
    expect(editDistance('promethues', 'prometheus', 3)).toBe(1);
    expect(editDistance('serch', 'search', 3)).toBe(1);
    expect(editDistance('serch', 'such', 3)).toBe(2);
    expect(editDistance('serch', 'server', 2)).toBe(3);
  });
});

describe('"did you mean" categories', () => {
  it('scores only the category names fuse can match, and finds what fuse over every name finds', () => {
    const catalog = buildCatalog([{ file: 'awesome.md', text: readFileSync(`${corporaDir}awesome.md`, 'utf8') }]);
    const names = catalog.categories.map((c) => c.name);
    expect(names.length).toBeGreaterThan(20);
    const index = new SearchIndex(catalog) as unknown as {
      categoryHits(query: string): { item: string; refIndex: number; score?: number }[];
      categoryNames: { search(query: string): { item: string; refIndex: number; score?: number }[] };
    };
    const titles = catalog.entries.slice(0, 40).map((e) => e.title);
    const queries = names.flatMap((name, i) => [
      name,
      name.toUpperCase(),
      name.slice(0, 2) + name.slice(3),
      ...name.split(/\s+/),
      `${titles[i % titles.length] ?? ''} ${name}`,
      `${name} ${titles[(i + 7) % titles.length] ?? ''} and more words after it`,
    ]);
    queries.push('Sécurité', 'observabilty', 'zzqxv', 'a', 'x'.repeat(70));
    const plain = (hits: { item: string; refIndex: number; score?: number }[]) =>
      hits.map((h) => ({ item: h.item, refIndex: h.refIndex, score: h.score })).sort((a, b) => a.refIndex - b.refIndex);
    let found = 0;
    for (const query of queries) {
      const expected = plain(index.categoryNames.search(query));
      expect(plain(index.categoryHits(query)), query).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(queries.length / 2);
  });
});
