/**
 * Issue 13, items 7 and 8: content cannot fake a link, a heading, a mention, or hide and reorder
 * itself, on any surface that shows it. Each attack is reproduced from markdown, and what members
 * would see is read back with a Discord markdown parser.
 */
import { silentLogger } from '../src/logger.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST, type APIEmbed, type APIInteraction } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import type { MessageAnswer } from '../src/answers/answer.js';
import { entryChoices } from '../src/answers/choices.js';
import { formatProblem } from '../src/catalog/problems.js';
import type { Entry } from '../src/catalog/types.js';
import { ConsoleSession } from '../src/console/console-session.js';
import { answerInteraction, type Callback } from '../src/discord/answer-interaction.js';
import { startDailyPosts } from '../src/discord/daily-post.js';
import { openStorage } from '../src/storage/open-storage.js';
import { renderMessage } from '../src/discord/render-message.js';
import { Linkdex } from '../src/linkdex.js';
import { renderText } from '../src/render/text.js';
import { collapseWhitespace, escapeDiscordMarkdown, hasVisibleCharacter, safeUrl, withoutHiddenCharacters } from '../src/text.js';
import { expectValidCallback, expectValidWebhookBody } from './discord-payload.js';
import {
  allNodes,
  FORMATTING_TYPES,
  LINK_TYPES,
  linksIn,
  markdownParts,
  parseDiscord,
  shownText,
  type ShownLink,
} from './discord-markdown.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction as autocomplete, commandInteraction as command } from '../dev/fake-discord/interactions.js';
import { catalogOf } from './helpers.js';

const now = () => new Date('2026-11-24T10:00:00Z');

/** Every attack of the issue, one per line, in a content file. */
const HOSTILE = [
  '# Tools',
  '',
  '- [Safe](https://good.example/) - \\[click me\\](https://evil.example/x)',
  '- [Heading](https://h.example/) - # Big words',
  '- [Backslash](https://b.example/dir\\\\)',
  '- [\u200b\u200b\u200b](https://zw.example/page)',
  '- [\u202egnp.exe](https://bidi.example/)',
  '- [Ping](https://ping.example/) - <@123456789012345678> @everyone <#123456789012345678> <@&123456789012345678> @here',
  '',
  '| Tool | Note |',
  '| --- | --- |',
  '| [Small](https://s.example/) | -# fine print |',
  '',
].join('\n');

/** The only links a member may see: each entry's title, to that entry's URL (as Discord reads it back). */
const ENTRY_LINKS: ShownLink[] = [
  { text: 'Safe', target: 'https://good.example/' },
  { text: 'Heading', target: 'https://h.example/' },
  { text: 'Backslash', target: 'https://b.example/dir%5C' },
  { text: 'zw.example/page', target: 'https://zw.example/page' },
  { text: 'gnp.exe', target: 'https://bidi.example/' },
  { text: 'Ping', target: 'https://ping.example/' },
  { text: 'Small', target: 'https://s.example/' },
];

/** Characters that hide or reorder text (no emoji in this content, so no joiner either). */
const HIDDEN = /\p{Default_Ignorable_Code_Point}/u;

function hostileLinkdex(pick = 0): Linkdex {
  return new Linkdex(catalogOf(HOSTILE, 'hostile.md'), () => pick);
}

async function answer(interaction: APIInteraction, linkdex: Linkdex): Promise<Callback> {
  const onError = (e: unknown) => {
    throw e;
  };
  const { callback } = await answerInteraction(interaction, {
    linkdex: () => linkdex,
    commands,
    now,
    onError,
    services: { logger: silentLogger() },
  });
  expectValidCallback(callback);
  return callback;
}

function embedsOf(callback: Callback): APIEmbed[] {
  if (!('data' in callback) || !('embeds' in callback.data)) throw new Error('not a message');
  expect(callback.data.allowed_mentions).toEqual({ parse: [] });
  return callback.data.embeds ?? [];
}

/** What every embed must satisfy: no formatting, mention or link from content, nothing hidden. */
function expectNothingFaked(embeds: readonly APIEmbed[]): void {
  for (const embed of embeds) {
    expect(JSON.stringify(embed)).not.toMatch(HIDDEN);
    for (const { where, text } of markdownParts(embed)) {
      const tree = parseDiscord(text);
      const formatting = allNodes(tree).filter((n) => FORMATTING_TYPES.has(n.type));
      expect(formatting, `${where}: ${text}`).toEqual([]);
      for (const link of linksIn(tree)) expect(ENTRY_LINKS, `${where}: ${text}`).toContainEqual(link);
    }
  }
}

describe('a masked link in a description (issue 13 item 7)', () => {
  it('shows as the text written, escaped once: the only link is the entry title to its URL', async () => {
    const embeds = embedsOf(await answer(command('category', { name: 'tools' }), hostileLinkdex()));
    const value = embeds[0]?.fields?.[0]?.value ?? '';
    const [first, description] = value.split('\n');
    expect(first).toBe('1. **[Safe](https://good.example/)** · good.example');
    expect(description).toBe('\\[click me\\](https\\://evil.example/x)');
    expect(shownText(parseDiscord(description ?? ''))).toBe('[click me](https://evil.example/x)');
    expect(linksIn(parseDiscord(`${first}\n${description}`))).toEqual([{ text: 'Safe', target: 'https://good.example/' }]);
  });

  it('was a link to evil.example when escaped twice (the bug this replaces)', () => {
    // What the bot sent before: an escaped backslash, then a bare bracket.
    expect(linksIn(parseDiscord('\\\\[click me\\](https://evil.example/x)'))).toEqual([
      { text: 'click me\\', target: 'https://evil.example/x' },
    ]);
  });
});

describe('markup, backslashes, invisible titles, bidi overrides and mentions (issue 13 item 8)', () => {
  it('are reported at file:line', () => {
    const problems = catalogOf(HOSTILE, 'hostile.md').problems.map(formatProblem);
    expect(problems).toEqual([
      'hostile.md:4 warning line-markup description “# Big words” of “Heading” starts with “# ”, which Discord shows as a heading; it is shown as written',
      'hostile.md:5 warning url-backslash URL “https://b.example/dir\\” of “Backslash” ends in a backslash, which browsers may read as “/”; a typo? It is sent as %5C',
      'hostile.md:6 warning invisible-text link to “https://zw.example/page” has a title of only invisible characters; its address is shown instead',
      'hostile.md:7 warning bidi-control title “gnp.exe” contains U+202E RIGHT-TO-LEFT OVERRIDE, which can make text read backwards or out of order; it is removed',
      'hostile.md:8 warning mention-syntax description “<@123456789012345678> @everyone <#123456789012345678> <@&123456789012345678> @h…” of “Ping” contains “<@123456789012345678>”, which Discord shows as a mention; it is shown as written and pings nobody',
      'hostile.md:12 warning line-markup description “-# fine print” of “Small” starts with “-# ”, which Discord shows as small grey subtext; it is shown as written',
    ]);
  });

  it('cannot reorder the problem lines that name them', () => {
    const twice = '# T\n\n- [A](https://x.example/\u202egnp.exe)\n- [B](https://x.example/\u202egnp.exe)\n';
    const lines = catalogOf(twice, 'twice.md').problems.map(formatProblem);
    expect(lines).toEqual([
      'twice.md:3 warning bidi-control URL “https://x.example/gnp.exe” of “A” contains U+202E RIGHT-TO-LEFT OVERRIDE, which can make text read backwards or out of order; it is sent percent-encoded',
      'twice.md:4 warning bidi-control URL “https://x.example/gnp.exe” of “B” contains U+202E RIGHT-TO-LEFT OVERRIDE, which can make text read backwards or out of order; it is sent percent-encoded',
      'twice.md:4 warning duplicate-url URL https://x.example/gnp.exe of “B” is also the URL of “A” at twice.md:3; the titles have nothing in common, so one of them probably links to the wrong page',
    ]);
  });

  it('are neutralised in the catalog: nothing hidden is kept, a title nobody can see becomes the address', () => {
    const entries = catalogOf(HOSTILE, 'hostile.md').entries;
    expect(entries.map((e) => e.title)).toEqual(['Safe', 'Heading', 'Backslash', 'zw.example/page', 'gnp.exe', 'Ping', 'Small']);
    // Markup and mentions stay in the data (they are text); the renderers escape them.
    expect(entries[1]?.description).toBe('# Big words');
    expect(entries[2]?.url).toBe('https://b.example/dir\\');
  });

  it('show as written in a list: no heading, subtext, pill or broken link', async () => {
    const embeds = embedsOf(await answer(command('category', { name: 'tools' }), hostileLinkdex()));
    expectNothingFaked(embeds);
    const lines = (embeds[0]?.fields ?? []).flatMap((f) => f.value.split('\n'));
    expect(lines).toEqual([
      '1. **[Safe](https://good.example/)** · good.example',
      '\\[click me\\](https\\://evil.example/x)',
      '2. **[Heading](https://h.example/)** · h.example',
      '\\# Big words',
      '3. **[Backslash](https://b.example/dir%5C)** · b.example',
      '4. **[zw.example/page](https://zw.example/page)** · zw.example',
      '5. **[gnp.exe](https://bidi.example/)** · bidi.example',
      '6. **[Ping](https://ping.example/)** · ping.example',
      '\\<@123456789012345678\\> \\@everyone \\<#123456789012345678\\> \\<@&123456789012345678\\> \\@here',
      '7. **[Small](https://s.example/)** · s.example',
      '\\-\\# fine print',
    ]);
    // What a member reads is what was written.
    const shown = (embeds[0]?.fields ?? []).map((f) => shownText(parseDiscord(f.value))).join('\n');
    expect(shown).toContain('\n# Big words\n');
    expect(shown).toContain('\n<@123456789012345678> @everyone <#123456789012345678> <@&123456789012345678> @here\n');
    expect(shown).toContain('\n-# fine print');
    expect(linksIn(parseDiscord(lines.join('\n')))).toEqual(ENTRY_LINKS);
  });

  it('show as written in the single-link answer of each entry, whose link is its URL', async () => {
    for (let pick = 0; pick < ENTRY_LINKS.length; pick++) {
      const embeds = embedsOf(await answer(command('random'), hostileLinkdex(pick)));
      expectNothingFaked(embeds);
      const embed = embeds[0];
      expect(embed?.url).toBe(ENTRY_LINKS[pick]?.target);
      expect(shownText(parseDiscord(embed?.title ?? ''))).toBe(ENTRY_LINKS[pick]?.text);
    }
    const heading = embedsOf(await answer(command('random'), hostileLinkdex(1)))[0];
    expect(heading?.description).toBe('\\# Big words');
    const subtext = embedsOf(await answer(command('random'), hostileLinkdex(6)))[0];
    expect(subtext?.description).toBe('\\-\\# fine print');
  });

  it('are neutralised in the daily post', async () => {
    const fake = new FakeDiscord();
    await fake.start();
    try {
      const rest = new REST({ api: fake.apiUrl }).setToken(FAKE_TOKEN);
      // A catalog of one link: the link of the day is that one.
      const ping = new Linkdex(
        catalogOf('# \u202eTools\n\n- [\u202egnp.exe](https://bidi.example/) - @everyone <@123456789012345678> # no heading\n'),
      );
      const quiet = () => undefined;
      const storage = await openStorage({ databaseUrl: undefined, stateDir: mkdtempSync(path.join(tmpdir(), 'linkdex-escape-')) });
      const post = startDailyPosts({
        rest,
        storage,
        fallback: { channelId: fake.channelId, minutes: 9 * 60 },
        linkdex: () => ping,
        logger: { info: quiet, warn: quiet, error: quiet },
        now,
        everyMs: 60_000,
      });
      await post.check();
      post.stop();
      await storage.close();
      const body = fake.channelMessages[0]?.body as { embeds: APIEmbed[]; allowed_mentions: unknown } | undefined;
      expectValidWebhookBody(body, 'POST');
      expect(body?.allowed_mentions).toEqual({ parse: [] });
      expect(JSON.stringify(body)).not.toMatch(HIDDEN);
      expectNothingFaked(body?.embeds ?? []);
      expect(body?.embeds[0]?.description).toBe('\\@everyone \\<@123456789012345678\\> # no heading');
      expect(body?.embeds[0]?.author?.name).toBe('📅 Link of the day · 2026-11-24');
    } finally {
      await fake.stop();
    }
  });

  it('are neutralised in autocomplete choices, which are plain text', async () => {
    const bidi = new Linkdex(catalogOf('# \u202eTools \u200bHere\n\n- [\u202egnp.exe \u2066x\u2069](https://bidi.example/)\n'));
    const search = await answer(autocomplete('search', { query: 'gnp' }, 'query'), bidi);
    const category = await answer(autocomplete('random', { category: 'tools' }, 'category'), bidi);
    const names = [search, category].flatMap((c) =>
      'data' in c && 'choices' in c.data ? (c.data.choices ?? []).map((ch) => ch.name) : [],
    );
    expect(names).toEqual(['gnp.exe x · Tools Here', 'Tools Here (1)']);
  });

  it('are neutralised in the console and the command line, which print plain text', async () => {
    const session = new ConsoleSession(() => hostileLinkdex(4), commands, now);
    const random = (await session.handle('/random')).text;
    expect(random).not.toMatch(HIDDEN);
    expect(random.split('\n').slice(2, 4)).toEqual(['gnp.exe  (bidi.example)', 'https://bidi.example/']);
    const list = (await session.handle('/category tools')).text;
    expect(list).not.toMatch(HIDDEN);
    expect(list).toContain('  3. Backslash  (b.example)\n     https://b.example/dir%5C\n');
    expect(list).toContain('  4. zw.example/page  (zw.example)\n');
    // A query echoed back loses what would reorder it, too.
    expect((await session.handle('/search \u202eelpmaxe')).text).not.toMatch(HIDDEN);
  });

  it('cannot come from what a member types either', async () => {
    const query = '\u202e# @everyone <@123456789012345678> [x](https://evil.example/) \u200b';
    const embeds = embedsOf(await answer(command('search', { query }), hostileLinkdex()));
    expectNothingFaked(embeds);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: hostile titles, descriptions, categories and URLs, rendered on every surface.

/** Pieces of every attack above, and of the harmless text around them. */
const piece = fc.constantFrom(
  ...['[', ']', '(', ')', '\\', '*', '**', '_', '__', '~~', '`', '```', '|', '||', '<', '>', ':', '//', '.', ' ', '\n', '\t'],
  ...['# ', '## ', '-# ', '> ', '>>> ', '1. ', '- ', '* ', '+ '],
  ...['@everyone', '@here', '<@123456789012345678>', '<@!123456789012345678>', '<@&123456789012345678>', '<#123456789012345678>'],
  ...['</deploy:123456789012345678>', '<t:1700000000:R>', '<:smile:123456789012345678>', '<123456789012345678:customize>'],
  ...['https://evil.example/x', '<https://evil.example>', '[click](https://evil.example)', '\\[x\\](https://evil.example)'],
  ...['mailto:a@b.example', '<a@b.example>', '¯\\_(ツ)_/¯', 'gnp.exe', 'word', 'Kafka', 'é', 'ش', 'क्ष', '👍'],
  ...['\u202e', '\u202d', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'],
  ...[
    '\u3164',
    '\u115f',
    '\u00ad',
    '\u034f',
    '\u2800',
    '\ufe0f',
    '\u{e0041}',
    '👨\u200d👩\u200d👧',
    '❤\ufe0f',
    '🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}',
  ],
);
/** Text as the catalog keeps it: one line, runs of spaces collapsed. */
const hostileText = (maxPieces: number) =>
  fc
    .oneof(
      fc.array(piece, { maxLength: maxPieces }).map((parts) => parts.join('')),
      fc.string({ unit: 'grapheme', maxLength: maxPieces * 2 }),
      fc.string({ unit: 'binary', maxLength: maxPieces }),
    )
    .map(collapseWhitespace);
const title = hostileText(8).filter((t) => t.length <= 40 && hasVisibleCharacter(withoutHiddenCharacters(t)));
const urlPiece = fc.constantFrom(
  'a',
  'b/',
  '\\',
  '(',
  ')',
  '[',
  ']',
  ' ',
  '<',
  '>',
  '"',
  "'",
  '`',
  '*',
  '_',
  '|',
  '~',
  '#',
  '?q=',
  '&',
  '\u202e',
  '\u200b',
  'é',
);
const url = fc
  .tuple(fc.constantFrom('https://good.example/', 'http://sub.good.example/p/', 'https://[::1]/'), fc.array(urlPiece, { maxLength: 8 }))
  .map(([base, parts]) => base + parts.join(''))
  .filter((u) => URL.canParse(u));

interface Made {
  title: string;
  url: string;
  description: string;
  category: string;
}
const made = fc.record({ title, url, description: hostileText(10), category: title });

function entriesOf(list: readonly Made[]): Entry[] {
  return list.map((m, i) => ({ id: `e${i}`, ...m, section: [m.category], page: m.category, source: { file: 'x.md', line: i + 1 } }));
}

/** What a member must never get from content: bidi controls and characters that hide text (joiners in emoji are kept). */
const NEVER_SHOWN = /\u034f|[\u00ad\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]/u;

/** The URL a link opens: percent-encoding undone where it is only there to keep the link whole. */
function opened(target: string): string {
  return decodeURI(target);
}

describe('hostile content, generated', () => {
  it('never yields a link other than an entry title to its URL, formatting, a mention, or a hidden character', () => {
    fc.assert(
      fc.property(fc.array(made, { minLength: 1, maxLength: 5 }), (list) => {
        const entries = entriesOf(list);
        const links = entries.flatMap((e) => {
          const text = withoutHiddenCharacters(e.title);
          // Brackets Discord cannot hold in a link's text (not in pairs) show as their full-width forms.
          return [text, text.replace(/\[/g, '［').replace(/]/g, '］')].map((t) => ({ text: t, target: e.url }));
        });
        const category = list[0]?.category ?? 'x';
        const answers: MessageAnswer[] = [
          {
            kind: 'links',
            title: category,
            subtitle: list[0]?.description ?? '',
            groups: [{ category, entries }],
            noun: 'link',
            page: 1,
            pageCount: 1,
            total: entries.length,
          },
          ...entries.map((entry): MessageAnswer => ({ kind: 'link', title: entry.title, entry })),
          {
            kind: 'categories',
            title: category,
            items: list.map((m) => ({ name: m.category, count: 1, pages: [] })),
            page: 1,
            pageCount: 1,
            total: list.length,
          },
          {
            kind: 'notice',
            code: 'no-results',
            tone: 'info',
            title: category,
            message: list[0]?.description ?? '',
            suggestions: list.map((m) => m.title),
          },
        ];
        for (const answer of answers) {
          const message = renderMessage(answer);
          expectValidCallback({ type: 4, data: message });
          expect(message.allowed_mentions).toEqual({ parse: [] });
          expect(JSON.stringify(message)).not.toMatch(NEVER_SHOWN);
          for (const embed of message.embeds) {
            for (const { where, text } of markdownParts(embed)) {
              const tree = parseDiscord(text);
              expect(
                allNodes(tree).filter((n) => FORMATTING_TYPES.has(n.type)),
                `${where}: ${text}`,
              ).toEqual([]);
              for (const link of linksIn(tree)) {
                expect(links, `${where}: ${text}`).toContainEqual({ text: link.text, target: opened(link.target) });
              }
            }
            // The single link's embed URL is the entry's.
            if (answer.kind === 'link' && embed.url !== undefined) expect(opened(embed.url)).toBe(answer.entry.url);
          }
          if (answer.kind === 'links') {
            // Each link line reads as written: number, title, host, then the description, nothing eaten or added.
            const lines = (message.embeds[0]?.fields ?? []).map((f) => shownText(parseDiscord(f.value))).join('\n');
            for (const entry of entries) {
              const variants = links.filter((l) => l.target === entry.url).map((l) => l.text);
              expect(
                variants.some((v) => lines.includes(v)),
                `${entry.title} in ${lines}`,
              ).toBe(true);
            }
            const shownLinks = (message.embeds[0]?.fields ?? []).flatMap((f) => linksIn(parseDiscord(f.value)));
            expect(shownLinks.map((l) => l.target)).toEqual(entries.slice(0, shownLinks.length).map((e) => safeUrl(e.url)));
          }
          const text = renderText(answer);
          expect(text).not.toMatch(NEVER_SHOWN);
          expect(text.replace(/\n/g, '')).not.toMatch(/\p{Cc}/u);
        }
        const linkdex = new Linkdex(
          { entries, categories: [{ name: category, pages: [], entries }], pages: [], problems: [], loadedAt: new Date(0) },
          () => 0,
        );
        for (const choice of entryChoices(linkdex, '', undefined, now())) expect(choice.name).not.toMatch(NEVER_SHOWN);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('escapes any text once: Discord shows exactly the text, with nothing hidden', () => {
    fc.assert(
      fc.property(hostileText(20), (text) => {
        const tree = parseDiscord(escapeDiscordMarkdown(text));
        expect(allNodes(tree).filter((n) => FORMATTING_TYPES.has(n.type) || LINK_TYPES.has(n.type))).toEqual([]);
        expect(shownText(tree)).toBe(withoutHiddenCharacters(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes text of several lines too: no line of it can start a heading, subtext or quote', () => {
    fc.assert(
      fc.property(fc.array(hostileText(8).filter(hasVisibleCharacter), { minLength: 2, maxLength: 5 }), (lines) => {
        const text = lines.join('\n');
        const tree = parseDiscord(escapeDiscordMarkdown(text));
        expect(allNodes(tree).filter((n) => FORMATTING_TYPES.has(n.type) || LINK_TYPES.has(n.type))).toEqual([]);
        expect(shownText(tree)).toBe(withoutHiddenCharacters(text));
      }),
      { numRuns: 1000 },
    );
  });
});
