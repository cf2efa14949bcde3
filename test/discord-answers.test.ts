import { silentLogger } from '../src/logger.js';
import type { APIInteraction } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { commands } from '../src/commands/index.js';
import { choice } from '../src/answers/choices.js';
import { answerInteraction, type Callback } from '../src/discord/answer-interaction.js';
import type { AnyCommand } from '../src/commands/command.js';
import { decodeCustomId, encodeCustomId } from '../src/discord/custom-id.js';
import { Linkdex } from '../src/linkdex.js';
import { expectValidCallback } from './discord-payload.js';
import {
  autocompleteInteraction as autocomplete,
  buttonInteraction as button,
  commandInteraction as command,
} from '../dev/fake-discord/interactions.js';
import { catalogOf, seedCatalog } from './helpers.js';

const seed = new Linkdex(seedCatalog(), () => 0);
const now = () => new Date('2026-11-24T10:00:00Z');

async function answer(
  interaction: APIInteraction,
  linkdex = seed,
  registry: readonly AnyCommand[] = commands,
  onError = vi.fn(),
): Promise<Callback> {
  const { callback } = await answerInteraction(interaction, {
    linkdex: () => linkdex,
    commands: registry,
    now,
    onError,
    services: { logger: silentLogger() },
  });
  expectValidCallback(callback);
  return callback;
}

function embedOf(callback: Callback) {
  if (!('data' in callback) || !('embeds' in callback.data)) throw new Error('not a message');
  return { embed: callback.data.embeds[0], data: callback.data };
}

describe('/search on Discord', () => {
  it('answers with the links grouped by category, the count and the page in the footer', async () => {
    const callback = await answer(command('search', { query: 'kafka' }));
    expect(callback.type).toBe(4);
    const { embed, data } = embedOf(callback);
    expect(embed?.title).toBe('Search: “kafka”');
    // A group longer than one field's 1,024 characters continues in a field with a blank name.
    expect(embed?.fields?.map((f) => f.name)).toEqual(['Distributed messaging, Streams', '\u200b', 'Observability']);
    expect(embed?.fields?.[0]?.value.split('\n')[0]).toBe(
      '1. **[Kafka - Capacity Planning](https://www.slideshare.net/slideshow/embed_code/key/EYwSnTsR6GxuyG)** · slideshare.net',
    );
    expect(embed?.fields?.[2]?.value).toBe(
      '10. **[Tracing at Slack using Kafka](https://slack.engineering/tracing-at-slack-thinking-in-causal-graphs/)** · slack.engineering',
    );
    expect(embed?.footer?.text).toBe('10 results');
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.flags).toBeUndefined();
    expect(data.components).toEqual([]);
  });

  it('pages with Previous and Next buttons that replay the search', async () => {
    const first = embedOf(await answer(command('search', { query: 'monitoring' })));
    expect(first.embed?.footer?.text).toMatch(/^\d+ results · page 1\/\d+$/);
    const row = first.data.components[0]?.components ?? [];
    expect(row.map((b) => ('label' in b ? b.label : ''))).toEqual(['◀ Previous', 'Next ▶']);
    expect(row.map((b) => ('disabled' in b ? b.disabled : undefined))).toEqual([true, false]);
    const next = row[1] && 'custom_id' in row[1] ? row[1].custom_id : '';
    const second = await answer(button(next));
    expect(second.type).toBe(7);
    expect(embedOf(second).embed?.footer?.text).toMatch(/page 2\//);
    expect(embedOf(second).embed?.fields?.[0]?.value.startsWith('11. ')).toBe(true);
  });

  it('tells the member alone when nothing matches, with suggestions', async () => {
    const { embed, data } = embedOf(await answer(command('search', { query: 'observabilty zzqxv' })));
    expect(data.flags).toBe(64);
    expect(embed?.title).toBe('No results');
    expect(embed?.description).toContain('**Did you mean:**\n• Observability');
  });

  it('autocompletes with up to 25 links whose value is the entry id, and answers a picked one exactly', async () => {
    const callback = await answer(autocomplete('search', { query: 'kube' }, 'query'));
    expect(callback.type).toBe(8);
    const choices = 'data' in callback && 'choices' in callback.data ? callback.data.choices : [];
    expect(choices.map((c) => c.name)).toEqual([
      'Kubernetes for Everyone · Distributed Systems',
      'E-book kubernetes Up & Running · Distributed Systems',
      'Alternatives for Local Kubernetes development · Tools, Libraries',
    ]);
    const picked = embedOf(await answer(command('search', { query: choices[0]?.value ?? '' })));
    expect(picked.embed?.title).toBe('Kubernetes for Everyone');
    expect(picked.embed?.url).toBe(seed.catalog.entries.find((e) => e.title === 'Kubernetes for Everyone')?.url);
    const empty = await answer(autocomplete('search', { query: '' }, 'query'));
    expect('data' in empty && 'choices' in empty.data && empty.data.choices).toHaveLength(25);
  });

  it('autocompletes category names', async () => {
    const callback = await answer(autocomplete('search', { query: 'x', category: 'dist' }, 'category'));
    expect('data' in callback && 'choices' in callback.data && callback.data.choices).toEqual([
      { name: 'Distributed Systems (11)', value: 'Distributed Systems' },
      { name: 'Distributed messaging, Streams (23)', value: 'Distributed messaging, Streams' },
    ]);
  });
});

describe('/category and /random on Discord', () => {
  it('shows a category with its page and count, in its colour, with first/previous/next/last', async () => {
    const { embed, data } = embedOf(await answer(command('category', { name: 'devops' })));
    expect(embed?.title).toBe('Devops/Monitoring');
    expect(embed?.description).toBe('From Programming · 24 links');
    expect(embed?.footer?.text).toBe('24 links · page 1/3');
    expect(data.components[0]?.components.map((b) => ('label' in b ? b.label : ''))).toEqual(['⏮ First', '◀ Previous', 'Next ▶', 'Last ⏭']);
    const again = embedOf(await answer(command('category', { name: 'Devops/Monitoring' })));
    expect(again.embed?.color).toBe(embed?.color);
  });

  it('answers a random link with its title and URL, and an Another button that draws again', async () => {
    const { embed, data } = embedOf(await answer(command('random')));
    const first = seed.catalog.entries[0];
    expect(embed).toMatchObject({ author: { name: '🎲 Random link' }, url: first?.url });
    const another = data.components[0]?.components[0];
    expect(another && 'label' in another && another.label).toBe('🎲 Another');
    const redraw = await answer(button(another && 'custom_id' in another ? another.custom_id : ''));
    expect(redraw.type).toBe(7);
  });

  it('gives the link of the day with no Another button', async () => {
    const { embed, data } = embedOf(await answer(command('random', { today: true })));
    expect(embed?.author?.name).toBe('📅 Link of the day · 2026-11-24');
    expect(data.components).toEqual([]);
  });
});

describe('buttons and failures', () => {
  it('answers a button from another bot or version privately', async () => {
    const { embed, data } = embedOf(await answer(button('something-else')));
    expect(data.flags).toBe(64);
    expect(embed?.title).toBe('This button no longer works');
  });

  it('answers a button whose category is gone privately, naming it', async () => {
    const id = encodeCustomId({ command: 'category', page: 2, nav: 'n', input: { name: 'Vanished Category' } });
    const { embed, data } = embedOf(await answer(button(id)));
    expect(data.flags).toBe(64);
    expect(embed?.description).toMatch(/^No such category “Vanished Category”\. The categories are: Architectural Case studies · /);
  });

  it('answers "something went wrong" privately when a handler throws, and reports the error', async () => {
    const onError = vi.fn();
    const broken: AnyCommand = {
      name: 'search',
      description: 'broken',
      options: [],
      run: () => {
        throw new Error('boom');
      },
      autocomplete: () => {
        throw new Error('boom');
      },
    };
    const { embed, data } = embedOf(await answer(command('search'), seed, [broken], onError));
    expect(embed?.title).toBe('Something went wrong');
    expect(data.flags).toBe(64);
    expect(JSON.stringify(data)).not.toContain('boom');
    expect(onError).toHaveBeenCalledTimes(1);
    const suggestions = await answer(autocomplete('search', { query: 'x' }, 'query'), seed, [broken], onError);
    expect(suggestions).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe("a handler's own choices", () => {
  it('are made valid: 25 at most, 100 characters, nothing hidden, none without a value; choices made valid stay so', async () => {
    const made = choice('Made by choice', 'made');
    expect(() => Object.assign(made, { name: '' })).toThrow();
    const raw: AnyCommand = {
      name: 'search',
      description: 'raw choices',
      options: [],
      run: () => {
        throw new Error('not run');
      },
      autocomplete: () => [
        made,
        { name: `Hidden\u202eevil ${'x'.repeat(200)}`, value: 'v'.repeat(150) },
        { name: 'No value', value: '' },
        ...Array.from({ length: 30 }, (_, i) => ({ name: `Plain ${i}`, value: `p${i}` })),
      ],
    };
    const callback = await answer(autocomplete('search', { query: 'x' }, 'query'), seed, [raw]);
    expectValidCallback(callback);
    const choices = (callback as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices).toHaveLength(24);
    expect(choices[0]).toEqual({ name: 'Made by choice', value: 'made' });
    expect(choices[1]?.name).toBe(`Hiddenevil ${'x'.repeat(88)}…`);
    expect(choices[1]?.value).toBe(`${'v'.repeat(99)}…`);
    expect(choices.map((c) => c.value)).not.toContain('');
  });
});

describe('hostile content', () => {
  const hostile = new Linkdex(
    catalogOf(
      [
        `# ${'Category '.repeat(60)}`,
        ...Array.from(
          { length: 12 },
          (_, i) =>
            `- [@everyone **bold** _x_ | \`code\` [${'T'.repeat(300)}] ${i}](https://example.com/${'p'.repeat(1500)}${i}(x)) - ${'<@123> '.repeat(200)}`,
        ),
      ].join('\n'),
    ),
    () => 0,
  );

  it('stays within every limit, escapes markdown and mentions nobody', async () => {
    for (const interaction of [
      command('search', { query: 'everyone' }),
      command('category', { name: 'category' }),
      command('random'),
      command('help'),
      autocomplete('search', { query: 'everyone' }, 'query'),
    ]) {
      const callback = await answer(interaction, hostile);
      if ('data' in callback && 'embeds' in callback.data) {
        const json = JSON.stringify(callback.data.embeds);
        expect(json).not.toMatch(/[^\\]\*\*bold/);
        expect(callback.data.allowed_mentions).toEqual({ parse: [] });
      }
    }
  });
});

describe('markdown in content', () => {
  it('is escaped, so it cannot bold, hide, strike, split or fake a link', async () => {
    const tricky = new Linkdex(catalogOf('# H\n- [A *b* _c_ `d` | [e] ~f~ ||g||](https://x.example.com) - h **i** @everyone\n'), () => 0);
    const { embed } = embedOf(await answer(command('search', { query: 'example' }), tricky));
    expect(embed?.fields?.[0]?.value).toBe(
      '1. **[A b c d \\| \\[e\\] f \\|\\|g\\|\\|](https://x.example.com)** · x.example.com\nh i \\@everyone',
    );
  });
});

describe('custom ids', () => {
  it('round-trip the command, page and input, escaping separators', () => {
    const id = encodeCustomId({ command: 'search', page: 3, nav: 'n', input: { query: 'a|b=c%d', category: 'Rust' } });
    expect(decodeCustomId(id, commands)).toEqual({
      kind: 'replay',
      command: 'search',
      page: 3,
      nav: 'n',
      input: { query: 'a|b=c%d', category: 'Rust' },
    });
  });

  it('never exceed 100 characters, shortening the longest text', () => {
    const id = encodeCustomId({ command: 'search', page: 10, nav: 'l', input: { query: 'q'.repeat(300), category: 'Observability' } });
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodeCustomId(id, commands)).toMatchObject({ kind: 'replay', input: { category: 'Observability' } });
  });

  it('refuse what is not theirs', () => {
    for (const id of ['', 'lx', 'lx|nope|1|n', 'lx|search|0|n', 'lx|search|1|z', 'lx|search|1|n|evil=1', 'other|search|1|n']) {
      expect(decodeCustomId(id, commands)).toEqual({ kind: 'stale' });
    }
  });
});
