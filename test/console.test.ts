import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { usageOf } from '../src/commands/command.js';
import { ConsoleSession, parseLine } from '../src/console/console-session.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex(() => 0);
const session = () =>
  new ConsoleSession(
    () => linkdex,
    commands,
    () => new Date('2026-11-24T10:00:00Z'),
  );

describe('reading a console line like a slash command', () => {
  const parsed = (line: string) => {
    const p = parseLine(line, commands);
    return p.ok ? { command: p.command.name, input: p.input } : p.error;
  };

  it('gives free text to the first option and option:value text up to the next option', () => {
    expect(parsed('/search distributed tracing category:Distributed Systems')).toEqual({
      command: 'search',
      input: { query: 'distributed tracing', category: 'Distributed Systems' },
    });
    expect(parsed('/SEARCH query:kafka')).toEqual({ command: 'search', input: { query: 'kafka' } });
  });

  it('reads booleans, including a bare option name', () => {
    expect(parsed('/random today')).toEqual({ command: 'random', input: { today: true } });
    expect(parsed('/random category:rust today:no')).toEqual({ command: 'random', input: { category: 'rust', today: false } });
    expect(parsed('/random today:perhaps')).toBe('today: must be true or false, not “perhaps”');
  });

  it('names the commands when one is unknown', () => {
    expect(parsed('/serch kafka')).toBe('Unknown command /serch. Commands: /search, /category, /random, /help, /settings, /clear, /quit');
    expect(parsed('/help me')).toBe('/help takes no text. Try /help.');
  });
});

describe('the console session', () => {
  it('answers like the bot, as text', async () => {
    const reply = (await session().handle('/search kafka')).text;
    expect(reply.split('\n').slice(0, 4)).toEqual([
      'Search: “kafka”',
      '',
      '■ Distributed messaging, Streams',
      '  1. Kafka - Capacity Planning  (slideshare.net)',
    ]);
  });

  it('shows a quoted query once quoted and searches it as a phrase', async () => {
    const reply = (await session().handle('/search "distributed tracing"')).text.split('\n');
    expect(reply[0]).toBe('Search: “distributed tracing”');
    expect(reply.at(-1)).toBe('4 results');
    expect((await session().handle('"tracing distributed"')).text.split('\n')[0]).toBe(
      'No results: Nothing matches “tracing distributed”.',
    );
  });

  it("searches for words that are also names of Object's properties, as for any word", async () => {
    for (const word of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect((await session().handle(word)).text).toBe((await session().handle(`/search ${word}`)).text);
    }
    expect((await session().handle('__proto__')).text.split('\n')[0]).toBe('Search: “__proto__”');
  });

  it('treats plain words as a search', async () => {
    expect((await session().handle('kafka')).text).toBe((await session().handle('/search kafka')).text);
  });

  it('pages with n and p, and says when there is no further page', async () => {
    const s = session();
    expect((await s.handle('/category devops')).text).toContain('Page 1/3 · 24 links\n(n: next page, p: previous page)');
    expect((await s.handle('n')).text).toContain(' 11. How to Create and Manage CRON Jobs');
    expect((await s.handle('n')).text).toContain('Page 3/3 · 24 links');
    expect((await s.handle('n')).text).toBe('Already on the last page.');
    expect((await s.handle('p')).text).toContain('Page 2/3 · 24 links');
    expect((await session().handle('p')).text).toBe('Nothing to page through. Try /search kafka or /category.');
  });

  it('gives the same link of the day as the bot for that UTC day', async () => {
    const text = (await session().handle('/random today')).text;
    expect(text.split('\n')[0]).toBe('📅 Link of the day · 2026-11-24');
  });

  it('explains unknown categories and empty results with suggestions', async () => {
    expect((await session().handle('/category distributed')).text).toBe(
      'Ambiguous category: “distributed” matches more than one category; type more of the name.\n' +
        'Did you mean: Distributed Systems · Distributed messaging, Streams',
    );
    expect((await session().handle('/category distibuted')).text).toBe(
      'Unknown category: No category matches “distibuted”.\nDid you mean: Distributed Systems · Distributed messaging, Streams',
    );
    expect((await session().handle('/random category:nope')).text).toMatch(
      /^Unknown category: No such category “nope”\. The categories are: Architectural Case studies · .* · C, C\+\+\.$/,
    );
    expect((await session().handle('/search zzqxv')).text).toBe('No results: Nothing matches “zzqxv”.');
    expect((await session().handle('/search serch category:rust')).text).toBe(
      'No results: Nothing matches “serch” in Rust.\n' +
        'Did you mean: OpenObserve - Elasticsearch/Splunk/Datadog alternative for logs, metrics, traces · ' +
        'Monitoring your own infrastructure using Grafana, InfluxDB, and CollectD',
    );
  });

  it('quits on /quit and /exit, whatever follows them', async () => {
    expect(await session().handle('/quit')).toEqual({ text: 'Bye.', quit: true });
    expect((await session().handle('/EXIT')).quit).toBe(true);
    expect(await session().handle('/quit now')).toEqual({ text: 'Bye.', quit: true });
  });

  it('reads bare help, quit, exit and clear as the commands every shell knows, not as searches', async () => {
    expect((await session().handle('help')).text).toBe((await session().handle('/help')).text);
    expect(await session().handle(' Quit ')).toEqual({ text: 'Bye.', quit: true });
    expect(await session().handle('exit')).toEqual({ text: 'Bye.', quit: true });
    expect(await session().handle('clear')).toEqual({ text: '', clear: true });
    expect(await session().handle('/clear')).toEqual({ text: '', clear: true });
    // With other words they are a search again.
    expect((await session().handle('help desk')).text).toBe((await session().handle('/search help desk')).text);
  });

  it('/help lists the console’s own keys and says when the catalog was loaded, in words', async () => {
    const linkdexAt = (loadedAt: Date) => ({ ...linkdex, catalog: { ...linkdex.catalog, loadedAt } }) as typeof linkdex;
    const at = async (loadedAt: string, now: string) =>
      (
        await new ConsoleSession(
          () => linkdexAt(new Date(loadedAt)),
          commands,
          () => new Date(now),
        ).handle('/help')
      ).text;
    const lines = (await at('2026-11-24T09:55:00Z', '2026-11-24T10:00:30Z')).split('\n');
    // The widest usage sets the column: /random's, today.
    const width = Math.max(...commands.map((c) => usageOf(c).length));
    const column = (usage: string, text: string) => `  ${usage.padEnd(width)}  ${text}`;
    expect(lines).toEqual([
      'linkdex — A curated catalog of links. Search it, browse a category, or get a random link.',
      '',
      ...commands.map((c) => column(usageOf(c), c.description)),
      '',
      'In this console:',
      column('kafka', 'plain words search, as /search kafka does'),
      column('n, p', 'the next and the previous page of the last answer'),
      column('/clear', 'clear the screen (or clear)'),
      column('/quit', 'leave (or exit, quit, Ctrl-D); Ctrl-C clears the line'),
      '  Tab completes commands and category names; the arrow keys recall earlier lines.',
      '',
      '233 links in 23 categories, loaded 5 minutes ago (2026-11-24 09:55 UTC).',
    ]);
    expect(await at('2026-11-24T09:59:40Z', '2026-11-24T10:00:00Z')).toMatch(/loaded just now \(2026-11-24 09:59 UTC\)\.$/);
    expect(await at('2026-11-24T07:00:00Z', '2026-11-24T10:00:00Z')).toMatch(/loaded 3 hours ago /);
    expect(await at('2026-11-20T10:00:00Z', '2026-11-24T10:00:00Z')).toMatch(/loaded 4 days ago /);
  });

  it('completes command names and category names', () => {
    const s = session();
    expect(s.complete('/ra')).toEqual([['/random'], '/ra']);
    expect(s.complete('/')[0]).toEqual(['/search', '/category', '/random', '/help', '/settings', '/clear', '/quit', '/exit']);
    expect(s.complete('/category obs')).toEqual([['/category Observability'], '/category obs']);
    expect(s.complete('/search kafka category:dist')).toEqual([
      ['/search kafka category:Distributed Systems', '/search kafka category:Distributed messaging, Streams'],
      '/search kafka category:dist',
    ]);
    expect(s.complete('/search kaf')).toEqual([[], '/search kaf']);
  });

  it('offers only completions that keep what was typed, or the one category the line means', () => {
    const s = session();
    expect(s.complete('/category distributed mes')).toEqual([['/category Distributed messaging, Streams'], '/category distributed mes']);
    // "systems" starts a later word of one name only: the line means that category.
    expect(s.complete('/category systems')[0]).toEqual(['/category Distributed Systems']);
    // "api" starts two names and is a later word of none: both kept.
    expect(s.complete('/category api')[0]).toEqual(['/category API Development, Security, Cryptography', '/category API']);
    // Several names by a later word or by spelling: completing any would erase the typed text.
    expect(s.complete('/category security')[0]).toEqual(['/category Security']);
    expect(s.complete('/category ssecurity')[0]).toEqual([]);
  });
});
