import { describe, expect, it } from 'vitest';
import { commands, findCommand } from '../src/commands/index.js';
import { NOTICE_CODES, type Answer, type MessageAnswer } from '../src/answers/answer.js';
import * as notices from '../src/answers/notices.js';
import { exitCodeOf, NOTICE_OUTCOMES, outcomeOf } from '../src/answers/outcomes.js';
import type { Entry } from '../src/catalog/types.js';
import { OPERATOR, type CommandInput } from '../src/commands/command.js';
import { silentLogger } from '../src/logger.js';
import { Linkdex } from '../src/linkdex.js';
import { renderText } from '../src/render/text.js';
import { catalogOf, seedLinkdex } from './helpers.js';

const text = [
  '---',
  'title: Tools',
  '---',
  '# Editors',
  '- [Vim](https://www.vim.org) - The *ubiquitous* text editor.',
  '- [Neovim](https://neovim.io) - Vim, refactored.',
  '# Shells',
  ...Array.from({ length: 12 }, (_, i) => `- [Shell ${i + 1}](https://shell${i + 1}.example.com)`),
].join('\n');
const linkdex = new Linkdex(catalogOf(text, 'tools.md'), () => 1);
const now = new Date('2026-11-24T10:00:00Z');

function run(name: string, input: CommandInput, page = 1): MessageAnswer {
  const command = findCommand(name);
  if (!command) throw new Error(`no command ${name}`);
  return command.run({ linkdex, now, commands, services: { logger: silentLogger() }, ...OPERATOR }, input, page) as MessageAnswer;
}

const vim = linkdex.catalog.entries[0];
const neovim = linkdex.catalog.entries[1];

describe('the command registry', () => {
  it('lists each command once, with names and texts Discord accepts', () => {
    expect(commands.map((c) => c.name)).toEqual(['search', 'category', 'random', 'help', 'settings']);
    for (const c of commands) {
      expect(c.name).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const o of [...c.options, ...c.options.flatMap((s) => s.options ?? [])]) {
        expect(o.name).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
        expect(o.description.length).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe('/search', () => {
  it('answers with the hits of one page, grouped by category', () => {
    expect(run('search', { query: 'vim' })).toEqual({
      kind: 'links',
      title: 'Search: “vim”',
      groups: [{ category: 'Editors', entries: [vim, neovim] }],
      page: 1,
      pageCount: 1,
      total: 2,
      noun: 'result',
      navigation: 'previous-next',
      // The same hits as data, best first, for the command line's --json.
      subject: { kind: 'search', query: 'vim', hits: [vim, neovim], suggestions: [] },
    });
  });

  it('answers a picked autocomplete suggestion (an entry id) with exactly that link', () => {
    expect(run('search', { query: neovim?.id })).toEqual({
      kind: 'link',
      title: 'Neovim',
      entry: neovim,
      subject: { kind: 'search', query: neovim?.id, hits: [neovim], suggestions: [] },
    });
  });

  it('pages, and clamps a page past the end to the last one', () => {
    const second = run('search', { query: 'shell' }, 2);
    expect(second).toMatchObject({ kind: 'links', page: 2, pageCount: 2, total: 12 });
    expect(second.kind === 'links' && second.groups[0]?.entries.map((e) => e.title)).toEqual(['Shell 11', 'Shell 12']);
    expect(run('search', { query: 'shell' }, 99)).toMatchObject({ page: 2 });
  });

  it('explains what went wrong instead of answering nothing', () => {
    expect(run('search', { query: '  ' })).toMatchObject({ kind: 'notice', tone: 'error', title: 'Empty search' });
    expect(run('search', { query: 'zzqxv' })).toEqual({
      kind: 'notice',
      code: 'no-results',
      tone: 'info',
      title: 'No results',
      message: 'Nothing matches “zzqxv”.',
      suggestions: [],
      subject: { kind: 'search', query: 'zzqxv', hits: [], suggestions: [] },
    });
    expect(run('search', { query: 'vim', category: 'zzqxv' })).toEqual({
      kind: 'notice',
      code: 'unknown-category',
      tone: 'error',
      title: 'Unknown category',
      message: 'No such category “zzqxv”. The categories are: Editors · Shells.',
      suggestions: [],
      subject: { kind: 'search', query: 'vim', hits: [], suggestions: [] },
    });
    expect(run('search', { query: 'vim', category: 'shells' })).toMatchObject({
      kind: 'notice',
      message: 'Nothing matches “vim” in Shells.',
    });
  });
});

describe('/category', () => {
  it('lists every category with its count for "all" or no name', () => {
    const all = { kind: 'categories', title: 'Categories', page: 1, pageCount: 1, total: 2 };
    expect(run('category', {})).toMatchObject(all);
    expect(run('category', { name: 'ALL' })).toEqual({
      ...all,
      items: [
        { name: 'Editors', count: 2, pages: ['Tools'] },
        { name: 'Shells', count: 12, pages: ['Tools'] },
      ],
    });
  });

  it('lists the categories of a page by its title', () => {
    expect(run('category', { name: 'tools' })).toMatchObject({ kind: 'categories', title: 'Categories in Tools', total: 2 });
  });

  it("shows a category's links in content order with its page and count", () => {
    expect(run('category', { name: 'edit' })).toEqual({
      kind: 'links',
      title: 'Editors',
      subtitle: 'From Tools · 2 links',
      groups: [{ category: 'Editors', entries: [vim, neovim] }],
      page: 1,
      pageCount: 1,
      total: 2,
      noun: 'link',
      subject: { kind: 'category', name: 'Editors' },
    });
  });
});

describe('/random', () => {
  it('answers with one link, from a category when asked', () => {
    expect(run('random', {})).toEqual({ kind: 'link', title: '🎲 Random link', entry: neovim, another: true });
    expect(run('random', { category: 'shells' })).toMatchObject({ title: '🎲 Random link in Shells', entry: { title: 'Shell 2' } });
  });

  it('gives the link of the day with its UTC date', () => {
    const answer = run('random', { today: true });
    expect(answer).toMatchObject({ kind: 'link', title: '📅 Link of the day · 2026-11-24' });
    expect(run('random', { today: true })).toEqual(answer);
  });
});

describe('/help', () => {
  it('lists the commands and the size of the catalog', () => {
    const answer = run('help', {});
    expect(answer).toMatchObject({ kind: 'help', entryCount: 14, categoryCount: 2 });
    expect(answer.kind === 'help' && answer.commands.map((c) => c.usage)).toEqual([
      '/search query:<text> [category:<text>]',
      '/category name:<text>',
      '/random [category:<text>] [today:<true|false>]',
      '/help',
      '/settings show|daily|daily-off|cooldown',
    ]);
  });
});

describe('answers as text', () => {
  it('list links with their number, host, address and description under their category', () => {
    expect(renderText(run('search', { query: 'vim' }))).toBe(
      [
        'Search: “vim”',
        '',
        '■ Editors',
        '  1. Vim  (vim.org)',
        '     https://www.vim.org',
        '     The ubiquitous text editor.',
        '  2. Neovim  (neovim.io)',
        '     https://neovim.io',
        '     Vim, refactored.',
        '',
        '2 results',
      ].join('\n'),
    );
  });

  it('show one link with its category and page', () => {
    expect(renderText(run('random', {}))).toBe(
      ['🎲 Random link', '', 'Neovim  (neovim.io)', 'https://neovim.io', 'Vim, refactored.', '', 'Category: Editors · Page: Tools'].join(
        '\n',
      ),
    );
  });

  it('never pass a control character from content to the terminal', () => {
    const hostile = catalogOf('# H\n- [Evil\u001b title](https://evil.example.com) - bell\u0007 rings\n');
    const entry = hostile.entries[0] as Entry;
    const out = renderText({ kind: 'link', title: 'x', entry });
    expect([...out].filter((c) => c !== '\n' && (c.codePointAt(0) ?? 0) < 0x20)).toEqual([]);
    expect(out).toContain('Evil title');
  });
});

describe('category names that find no category, on the seed (issue 12, items 15 and 16)', () => {
  const seed = seedLinkdex(() => 0);
  const runSeed = (name: string, input: CommandInput): MessageAnswer => {
    const command = findCommand(name);
    if (!command) throw new Error(`no command ${name}`);
    return command.run({ linkdex: seed, now, commands, services: { logger: silentLogger() }, ...OPERATOR }, input, 1) as MessageAnswer;
  };
  const allNames = seed.catalog.categories.map((c) => c.name).join(' · ');

  it('a far-off name ("nope") is no category, not "Open source Pipelining, workflows": the answer lists them all', () => {
    const expected = {
      kind: 'notice',
      code: 'unknown-category',
      tone: 'error',
      title: 'Unknown category',
      message: `No such category “nope”. The categories are: ${allNames}.`,
      suggestions: [],
    };
    expect(runSeed('category', { name: 'nope' })).toEqual(expected);
    expect(runSeed('random', { category: 'nope' })).toEqual(expected);
    expect(runSeed('random', { category: 'nope', today: true })).toEqual(expected);
    expect(runSeed('search', { query: 'kafka', category: 'nope' })).toEqual({
      ...expected,
      subject: { kind: 'search', query: 'kafka', hits: [], suggestions: [] },
    });
  });

  it('an ambiguous name ("dist") says so and lists the categories it matches', () => {
    const expected = {
      kind: 'notice',
      code: 'ambiguous-category',
      tone: 'error',
      title: 'Ambiguous category',
      message: '“dist” matches more than one category; type more of the name.',
      suggestions: ['Distributed Systems', 'Distributed messaging, Streams'],
    };
    expect(runSeed('category', { name: 'dist' })).toEqual(expected);
    expect(runSeed('random', { category: 'dist' })).toEqual(expected);
  });

  it('a misspelled name close to several says none matches and suggests them; close to one, it is that one', () => {
    expect(runSeed('category', { name: 'distibuted' })).toEqual({
      kind: 'notice',
      code: 'unknown-category',
      tone: 'error',
      title: 'Unknown category',
      message: 'No category matches “distibuted”.',
      suggestions: ['Distributed Systems', 'Distributed messaging, Streams'],
    });
    expect(runSeed('category', { name: 'obsevability' })).toMatchObject({ kind: 'links', title: 'Observability' });
    expect(runSeed('random', { category: 'devopz' })).toMatchObject({ kind: 'link', title: '🎲 Random link in Devops/Monitoring' });
  });

  it('reads the same as text, as the console and the command line show it', () => {
    expect(renderText(runSeed('category', { name: 'dist' }))).toBe(
      'Ambiguous category: “dist” matches more than one category; type more of the name.\n' +
        'Did you mean: Distributed Systems · Distributed messaging, Streams',
    );
  });
});

describe('notice codes', () => {
  it('give every code one outcome for metrics and the log, and one exit code, as they were before codes', () => {
    expect(Object.keys(NOTICE_OUTCOMES).sort()).toEqual([...NOTICE_CODES].sort());
    const outcomes = Object.fromEntries(NOTICE_CODES.map((code) => [code, NOTICE_OUTCOMES[code].outcome]));
    expect(outcomes).toEqual({
      'empty-search': 'not-found',
      'no-results': 'not-found',
      'unknown-category': 'not-found',
      'ambiguous-category': 'not-found',
      'empty-catalog': 'not-found',
      'unknown-command': 'not-found',
      'catalog-unavailable': 'unavailable',
      'catalog-loading': 'unavailable',
      cooldown: 'cooldown',
      'stale-button': 'unknown-button',
      'handler-failed': 'error',
      'needs-discord': 'unavailable',
      settings: 'answered',
      'guild-only': 'unavailable',
      'invalid-setting': 'not-found',
      'storage-unavailable': 'unavailable',
    });
    // A notice is not an answer to the command line: exit 2, as an unknown category or no results always were;
    // a server's settings, shown or saved, are the answer asked for.
    for (const code of NOTICE_CODES) expect(NOTICE_OUTCOMES[code].exitCode, code).toBe(code === 'settings' ? 0 : 2);
  });

  it('are what each notice carries, and outcomeOf and exitCodeOf read them', () => {
    const built: [Answer, string][] = [
      [notices.emptySearch(), 'empty-search'],
      [notices.noResults('zzqxv', '', []), 'no-results'],
      [run('category', { name: 'zzqxv' }), 'unknown-category'],
      [run('random', { category: 'qqq' }), 'unknown-category'],
      [notices.unknownCategory('s', { reason: 'ambiguous', suggestions: ['Shells', 'Scripts'] }, []), 'ambiguous-category'],
      [notices.emptyCatalog(), 'empty-catalog'],
      [notices.catalogUnavailable(), 'catalog-unavailable'],
      [notices.catalogStillLoading(), 'catalog-loading'],
      [notices.slowDown(1500), 'cooldown'],
      [notices.unknownCommand('gone'), 'unknown-command'],
      [notices.unknownButton(), 'stale-button'],
      [notices.somethingWentWrongNotice(), 'handler-failed'],
      [notices.needsDiscord(), 'needs-discord'],
      [notices.settingsNotice('Settings', ['Cooldown: off.']), 'settings'],
      [notices.guildOnly('settings'), 'guild-only'],
      [notices.invalidSetting('Bad time', 'no'), 'invalid-setting'],
      [notices.storageUnavailable(), 'storage-unavailable'],
    ];
    for (const [answer, code] of built) {
      expect(answer).toMatchObject({ kind: 'notice', code });
      expect(outcomeOf(answer)).toBe(NOTICE_OUTCOMES[code as keyof typeof NOTICE_OUTCOMES].outcome);
      expect(exitCodeOf(answer)).toBe(code === 'settings' ? 0 : 2);
    }
    const links = run('search', { query: 'vim' });
    expect([outcomeOf(links), exitCodeOf(links)]).toEqual(['answered', 0]);
    const form: Answer = { kind: 'modal', command: 'suggest', modal: 'new', target: '', title: 'Suggest a link', fields: [] };
    const ack: Answer = { kind: 'ack', ephemeral: true, followUp: () => Promise.resolve(links) };
    expect([outcomeOf(form), exitCodeOf(form), outcomeOf(ack), exitCodeOf(ack)]).toEqual(['answered', 0, 'answered', 0]);
  });
});
