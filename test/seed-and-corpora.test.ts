import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/catalog/build-catalog.js';
import { formatProblem } from '../src/catalog/problems.js';
import { corporaDir, seedCatalog } from './helpers.js';

function corpus(name: string) {
  return buildCatalog([{ file: name, text: readFileSync(`${corporaDir}${name}`, 'utf8') }]);
}

describe('the seed catalog', () => {
  const catalog = seedCatalog();

  it('has 233 entries: its 234 link items less the one whose URL has no valid host', () => {
    expect(catalog.entries).toHaveLength(233);
    expect(catalog.entries.some((e) => e.title.startsWith('Unleash'))).toBe(false);
  });

  it('has its 23 categories in content order, under the page "Programming"', () => {
    expect(catalog.categories).toHaveLength(23);
    expect(catalog.categories.slice(0, 3).map((c) => [c.name, c.entries.length])).toEqual([
      ['Architectural Case studies', 4],
      ['Books on Architecture,Design', 3],
      ['Strategies/Approaches', 33],
    ]);
    expect(catalog.categories.at(-1)).toMatchObject({ name: 'C, C++', pages: ['Programming'] });
    expect(catalog.pages).toEqual([
      { title: 'Programming', file: 'content/programming.md', date: '2020-02-07T07:03:07.000Z', draft: false, entryCount: 233 },
    ]);
  });

  it('has ids unique in the catalog', () => {
    expect(new Set(catalog.entries.map((e) => e.id)).size).toBe(233);
  });

  it('reads its odd lines as a careful reader would', () => {
    const byLine = (line: number) => catalog.entries.find((e) => e.source.line === line);
    // "(" on the line above the list does not swallow the first item.
    expect(byLine(112)?.title).toBe('Collection of TILs (Today I learned)');
    // The stray *** after "Collaboration" is not part of the title.
    expect(byLine(135)?.title).toBe('Virtual whiteboard for sketching hand-drawn like diagrams with Collaboration');
    // The trailing "7" is text after the link, so it is the description.
    expect(byLine(154)).toMatchObject({ title: 'Definitive guide to key management', description: '7' });
    expect(byLine(222)?.url).toBe(
      'https://orangematter.solarwinds.com/2017/10/05/monitoring-and-observability-with-use-and-red/#:~:text=Taken%20together%2C%20RED%20and%20USE,they%20react%20to%20the%20workload.',
    );
  });

  it('reports every flaw listed in shared/seed/README.md, with file:line', () => {
    expect(catalog.problems.map(formatProblem)).toEqual([
      'content/programming.md:60 error invalid-url link “Unleash - Open-source feature management platform” has an invalid URL “https://gUnleash/unleash”: its host “gunleash” has no dot',
      'content/programming.md:75 warning duplicate-title title “API Security Checklist” is also used at content/programming.md:71 for a different URL: https://github.com/shieldfy/API-Security-Checklist there, https://curity.medium.com/api-security-checklist-a-guide-to-protecting-your-apis-c8fb5d385605 here',
      'content/programming.md:111 warning stray-text stray text “(” with no words or link; leftover markup?',
      'content/programming.md:135 warning stray-markup title “Virtual whiteboard for sketching hand-drawn like diagrams with Collaboration***” contains stray * characters; check the emphasis markup',
      'content/programming.md:154 warning glued-text text “7” is stuck to the end of link “Definitive guide to key management”; a typo?',
      'content/programming.md:179 warning duplicate-url URL https://danielmiessler.com/projects/webappsec_testing_resources/ of “lazydocker - Docker mgmt tool for linux” is also the URL of “Web Application Security Testing” at content/programming.md:157; the titles have nothing in common, so one of them probably links to the wrong page',
      'content/programming.md:190 warning duplicate-url URL https://github.com/nektos/act of “Act - Run Github Actions locally” is also the URL of “Github Workflow - Test them locally using Act” at content/programming.md:184',
      'content/programming.md:222 warning text-fragment link “Monitoring and Observability With USE and RED” uses a text fragment (#:~:text=), which breaks when the page changes; link to the page itself',
      'content/programming.md:275 warning text-fragment link “Getting started with Rust” uses a text fragment (#:~:text=), which breaks when the page changes; link to the page itself',
    ]);
  });
});

describe('real awesome-lists', () => {
  it('awesome.md: 684 entries, the 713 list items less its 27-line table of contents and the two linkless group items', () => {
    const catalog = corpus('awesome.md');
    expect(catalog.entries).toHaveLength(684);
    // Nested items under "- Linux" (no link of its own) are entries of the heading's category.
    expect(catalog.entries.find((e) => e.title === 'Containers')).toMatchObject({ category: 'Platforms', section: ['Platforms'] });
    expect(catalog.entries.some((e) => e.url.startsWith('#'))).toBe(false);
    // The HTML header's links are not list items.
    expect(catalog.entries.some((e) => e.url.includes('sindresorhus.com/supercharge'))).toBe(false);
  });

  it('awesome-python.md: 505 entries; group labels such as "- Agent Skills" and the anchor index are not entries', () => {
    const catalog = corpus('awesome-python.md');
    expect(catalog.entries).toHaveLength(505);
    expect(catalog.entries[0]).toMatchObject({
      title: 'django-ai-plugins',
      category: 'AI and Agents',
      section: ['Awesome Python', 'Projects', 'AI and Agents'],
      description: 'Django backend agent skills for Django, DRF, Celery, and Django-specific code review.',
    });
    expect(catalog.categories.some((c) => c.name === 'Categories')).toBe(false);
  });

  it('awesome-workflow-engines.md: 114 entries; the star badges after each name are neither entries nor description', () => {
    const catalog = corpus('awesome-workflow-engines.md');
    expect(catalog.entries).toHaveLength(114);
    expect(catalog.entries[0]).toMatchObject({
      title: 'Activepieces',
      url: 'https://github.com/activepieces/activepieces',
      description: 'Open source no-code business automation, alternative to Zapier',
    });
    expect(catalog.entries.some((e) => e.url.includes('img.shields.io'))).toBe(false);
    expect(catalog.categories.map((c) => [c.name, c.entries.length])).toEqual([
      ['Full fledged product', 77],
      ['BPM Suite', 5],
      ['SAAS', 11],
      ['Library (embedded usage)', 21],
    ]);
  });
});
