/** The payload validators reject what Discord would reject (or what we promised not to send), and say where. */
import { describe, expect, it } from 'vitest';
import { expectValidCallback, expectValidCommandsBody, expectValidWebhookBody } from './discord-payload.js';

const NO_MENTIONS = { parse: [] };

type Component = Record<string, unknown>;

function button(customId: string, label = 'Next'): Component {
  return { type: 2, style: 2, label, custom_id: customId };
}

function row(...buttons: Component[]) {
  return { type: 1, components: buttons };
}

function message(data: Record<string, unknown>, type = 4) {
  return { type, data: { allowed_mentions: NO_MENTIONS, ...data } };
}

const goodMessage = message({
  content: 'Results for **rust**',
  embeds: [
    {
      title: 'Rust',
      url: 'https://www.rust-lang.org/',
      description: 'A language empowering everyone to build reliable software.',
      color: 0xdea584,
      fields: [{ name: 'Category', value: 'Languages', inline: true }],
      footer: { text: 'Page 1 of 3' },
      author: { name: 'linkdex' },
    },
  ],
  components: [row(button('search:prev:rust:0', 'Previous'), button('search:next:rust:2'))],
});

describe('expectValidCallback accepts what Discord accepts', () => {
  it.each([
    ['a reply with embeds and buttons', goodMessage],
    ['a plain reply', message({ content: 'No link matches “zzz”.' })],
    ['an ephemeral reply', message({ content: 'Unknown category.', flags: 64 })],
    ['a deferred reply', { type: 5, data: { flags: 0 } }],
    ['a deferred reply without data', { type: 5 }],
    ['a deferred update', { type: 6 }],
    ['an update', message({ content: 'Page 2', components: [] }, 7)],
    ['autocomplete choices', { type: 8, data: { choices: [{ name: 'Rust', value: 'rust' }] } }],
    ['no autocomplete choices', { type: 8, data: { choices: [] } }],
    [
      '25 choices of 100 characters',
      { type: 8, data: { choices: Array.from({ length: 25 }, (_, i) => ({ name: 'n'.repeat(100), value: `${i}`.padEnd(100, 'v') })) } },
    ],
    [
      'exactly 6,000 embed characters',
      message({ embeds: [{ description: 'a'.repeat(4096) }, { title: 't'.repeat(256), description: 'b'.repeat(1648) }] }),
    ],
    [
      'five rows of five buttons',
      message({ components: Array.from({ length: 5 }, (_, r) => row(...Array.from({ length: 5 }, (_, b) => button(`b${r}${b}`)))) }),
    ],
    ['a 100-character custom_id', message({ components: [row(button('c'.repeat(100)))] })],
    ['discord.js extras (tts, enforce_nonce)', message({ content: 'x', tts: false, enforce_nonce: false })],
  ])('%s', (_name, body) => {
    expect(() => expectValidCallback(body)).not.toThrow();
  });
});

describe('expectValidCallback rejects, naming the rule and the place', () => {
  it('embeds adding up to 6,001 characters', () => {
    const body = message({ embeds: [{ description: 'a'.repeat(4096) }, { title: 't'.repeat(256), description: 'b'.repeat(1649) }] });
    expect(() => expectValidCallback(body)).toThrow(
      /callback\.data\.embeds: .*add up to 6001 characters; at most 6000 allowed \[embed total ≤ 6000\]/,
    );
  });

  it('embed text counted across title, description, fields, footer and author', () => {
    const embed = {
      title: 't'.repeat(256),
      description: 'd'.repeat(4096),
      fields: [{ name: 'n'.repeat(256), value: 'v'.repeat(1024) }],
      footer: { text: 'f'.repeat(200) },
      author: { name: 'a'.repeat(169) },
    };
    expect(() => expectValidCallback(message({ embeds: [embed] }))).toThrow(/add up to 6001 characters/);
  });

  it('six action rows', () => {
    const body = message({ components: Array.from({ length: 6 }, (_, i) => row(button(`b${i}`))) });
    expect(() => expectValidCallback(body)).toThrow('callback.data.components: has 6 action rows; at most 5 allowed [≤ 5 action rows]');
  });

  it('six buttons in a row', () => {
    const body = message({ components: [row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)))] });
    expect(() => expectValidCallback(body)).toThrow('callback.data.components[0].components: is 6 items; at most 5 allowed');
  });

  it('a 101-character custom_id', () => {
    const body = message({ components: [row(button('c'.repeat(101)))] });
    expect(() => expectValidCallback(body)).toThrow(
      'callback.data.components[0].components[0].custom_id: is 101 characters; at most 100 allowed [CreateMessageInteractionCallbackRequestSchema]',
    );
  });

  it('the same custom_id twice in a message', () => {
    const body = message({ components: [row(button('page:2')), row(button('page:2', 'Again'))] });
    expect(() => expectValidCallback(body)).toThrow(
      'callback.data.components[1].components[0].custom_id: "page:2" is also used at callback.data.components[0].components[0].custom_id [custom_id unique]',
    );
  });

  it('a 101-character autocomplete choice value', () => {
    const body = { type: 8, data: { choices: [{ name: 'Rust', value: 'v'.repeat(101) }] } };
    expect(() => expectValidCallback(body)).toThrow(
      'callback.data.choices[0].value: is 101 characters; at most 100 allowed [choice value ≤ 100]',
    );
  });

  it('26 autocomplete choices, and an empty choice name', () => {
    const many = { type: 8, data: { choices: Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })) } };
    expect(() => expectValidCallback(many)).toThrow('callback.data.choices: is 26 items; at most 25 allowed');
    const empty = { type: 8, data: { choices: [{ name: '', value: 'x' }] } };
    expect(() => expectValidCallback(empty)).toThrow('callback.data.choices[0].name: is 0 characters; at least 1 required');
  });

  it('a message without allowed_mentions, or one that allows mentions', () => {
    expect(() => expectValidCallback({ type: 4, data: { content: 'hi' } })).toThrow(
      /callback\.data\.allowed_mentions: is missing.*\[allowed_mentions \{parse: \[\]\}\]/,
    );
    expect(() => expectValidCallback({ type: 7, data: { content: 'hi' } })).toThrow(/callback\.data\.allowed_mentions: is missing/);
    expect(() => expectValidCallback(message({ content: 'hi', allowed_mentions: { parse: ['users'] } }))).toThrow(
      'callback.data.allowed_mentions.parse: is an array of 1; must be []',
    );
    expect(() => expectValidCallback(message({ content: 'hi', allowed_mentions: { parse: [], users: ['1310000000000000300'] } }))).toThrow(
      'callback.data.allowed_mentions.users: allows 1 mention(s); must be empty',
    );
  });

  it('an unknown component type, and an unknown field', () => {
    const unknownType = message({ components: [{ type: 1, components: [{ type: 99, custom_id: 'x' }] }] });
    expect(() => expectValidCallback(unknownType)).toThrow(
      /callback\.data\.components\[0\]\.components\[0\]\.type: unknown type 99; allowed: 2, 3, 5, 6, 7, 8/,
    );
    const camelCase = { type: 4, data: { content: 'hi', allowedMentions: NO_MENTIONS } };
    expect(() => expectValidCallback(camelCase)).toThrow('callback.data.allowedMentions: unknown field (Discord ignores it)');
  });

  it('field values past 1,024 characters, empty field names, bad urls and colors', () => {
    expect(() => expectValidCallback(message({ embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] }))).toThrow(
      'callback.data.embeds[0].fields[0].value: is 1025 characters; at most 1024 allowed',
    );
    expect(() => expectValidCallback(message({ embeds: [{ fields: [{ name: '', value: 'v' }] }] }))).toThrow(
      'callback.data.embeds[0].fields[0].name: is 0 characters; at least 1 required [embed field name 1–256]',
    );
    expect(() => expectValidCallback(message({ embeds: [{ title: 'x', url: 'not a url' }] }))).toThrow(
      'callback.data.embeds[0].url: "not a url" is not a valid url',
    );
    expect(() => expectValidCallback(message({ embeds: [{ title: 'x', color: 0x1000000 }] }))).toThrow(
      'callback.data.embeds[0].color: is 16777216',
    );
  });

  it('eleven embeds, an empty embed, and an empty message', () => {
    expect(() => expectValidCallback(message({ embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) }))).toThrow(
      'callback.data.embeds: is 11 items; at most 10 allowed',
    );
    expect(() => expectValidCallback(message({ embeds: [{ color: 1 }] }))).toThrow('callback.data.embeds[0]: has no title, description');
    expect(() => expectValidCallback(message({ content: '' }))).toThrow(
      /callback\.data: has no content, embeds, components or attachments/,
    );
  });

  it('buttons without custom_id, link buttons with one, and rows mixing a select menu', () => {
    expect(() => expectValidCallback(message({ components: [row({ type: 2, style: 1, label: 'x' })] }))).toThrow(
      'callback.data.components[0].components[0]: a style 1 button needs custom_id and no url [button custom_id]',
    );
    expect(() =>
      expectValidCallback(message({ components: [row({ type: 2, style: 5, label: 'x', url: 'https://a.dev', custom_id: 'x' })] })),
    ).toThrow('a link button (style 5) needs url and no custom_id');
    const select = { type: 3, custom_id: 'pick', options: [{ label: 'Go', value: 'go' }] };
    expect(() => expectValidCallback(message({ components: [row(select, button('next'))] }))).toThrow(
      'callback.data.components[0].components: mixes a select menu with other components [select menu alone in its row]',
    );
    expect(() => expectValidCallback(message({ components: [row(select)] }))).not.toThrow();
  });

  it('content past 2,000 characters, an unknown callback type, a PONG and a non-object', () => {
    expect(() => expectValidCallback(message({ content: 'x'.repeat(2001) }))).toThrow(
      'callback.data.content: is 2001 characters; at most 2000 allowed',
    );
    expect(() => expectValidCallback({ type: 3, data: {} })).toThrow('callback.type: is 3; expected 4, 5, 6, 7 or 8');
    expect(() => expectValidCallback({ type: 1 })).toThrow('PONG');
    expect(() => expectValidCallback('pong')).toThrow('callback: expected an object');
  });

  it('deferrals that carry a message', () => {
    expect(() => expectValidCallback({ type: 5, data: { content: 'wait' } })).toThrow(
      'callback.data.content: is ignored by Discord in a deferral',
    );
    expect(() => expectValidCallback({ type: 6, data: { content: 'wait' } })).toThrow('[deferred update carries no data]');
  });

  it('lists every failure at once', () => {
    const body = { type: 4, data: { content: 'hi', components: Array.from({ length: 6 }, (_, i) => row(button(`b${i}`))) } };
    let error: unknown;
    try {
      expectValidCallback(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const text = (error as Error).message;
    expect(text).toContain('[≤ 5 action rows]');
    expect(text).toContain('[allowed_mentions {parse: []}]');
    expect(text.split('\n')).toHaveLength(3);
  });
});

describe('expectValidWebhookBody', () => {
  it('accepts an edit and a follow-up with allowed_mentions', () => {
    expect(() => expectValidWebhookBody({ content: 'done', allowed_mentions: NO_MENTIONS, tts: false }, 'PATCH')).not.toThrow();
    expect(() => expectValidWebhookBody({ content: 'more', allowed_mentions: NO_MENTIONS, flags: 64 }, 'POST')).not.toThrow();
  });

  it('rejects an edit without allowed_mentions or with too much embed text', () => {
    expect(() => expectValidWebhookBody({ content: 'done' })).toThrow('edit.allowed_mentions: is missing');
    const embeds = [{ description: 'a'.repeat(4096) }, { description: 'b'.repeat(1905) }];
    expect(() => expectValidWebhookBody({ embeds, allowed_mentions: NO_MENTIONS })).toThrow('edit.embeds: title + description');
    expect(() => expectValidWebhookBody({ allowed_mentions: NO_MENTIONS }, 'POST')).toThrow('followup: has no content');
  });
});

describe('expectValidCommandsBody', () => {
  const search = {
    name: 'search',
    description: 'Search the catalog',
    options: [
      { type: 3, name: 'query', description: 'What to look for', required: true, autocomplete: true },
      { type: 3, name: 'category', description: 'Only this category', autocomplete: true },
      { type: 5, name: 'public', description: 'Show the answer to everyone' },
    ],
  };
  const random = {
    name: 'random',
    description: 'A random link',
    options: [{ type: 3, name: 'category', description: 'From this category', choices: [{ name: 'Go', value: 'go' }] }],
  };

  it('accepts a valid deploy, including an empty one and the nsfw flag', () => {
    expect(() => expectValidCommandsBody([search, random, { name: 'help', description: 'How to use linkdex', nsfw: false }])).not.toThrow();
    expect(() => expectValidCommandsBody([])).not.toThrow();
  });

  it('rejects bad names, missing descriptions and an unknown option type', () => {
    expect(() => expectValidCommandsBody([{ ...search, name: 'Search' }])).toThrow(
      'commands[0].name: "Search" has upper-case letters [command name lower case]',
    );
    expect(() => expectValidCommandsBody([{ ...search, name: 'link search' }])).toThrow(
      'commands[0].name: "link search" is not a valid name',
    );
    expect(() => expectValidCommandsBody([{ name: 'help' }])).toThrow('commands[0].description: is required [command description 1–100]');
    expect(() => expectValidCommandsBody([{ name: 'help', description: 'd'.repeat(101) }])).toThrow(
      'commands[0].description: is 101 characters; at most 100 allowed',
    );
    expect(() => expectValidCommandsBody([{ name: 'x', description: 'y', options: [{ type: 42, name: 'q', description: 'd' }] }])).toThrow(
      /commands\[0\]\.options\[0\]\.type: unknown type 42; allowed: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11/,
    );
  });

  it('rejects option and choice limits', () => {
    const options = Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, description: 'd' }));
    expect(() => expectValidCommandsBody([{ name: 'x', description: 'y', options }])).toThrow(
      'commands[0].options: is 26 items; at most 25 allowed',
    );
    const longChoice = {
      ...random,
      options: [{ type: 3, name: 'category', description: 'd', choices: [{ name: 'Go', value: 'g'.repeat(101) }] }],
    };
    expect(() => expectValidCommandsBody([longChoice])).toThrow(
      'commands[0].options[0].choices[0].value: is 101 characters; at most 100 allowed [choice value ≤ 100]',
    );
    const order = { ...search, options: [search.options[1], search.options[0]] };
    expect(() => expectValidCommandsBody([order])).toThrow('commands[0].options[1]: is required but follows an optional option');
    const twice = { ...search, options: [search.options[0], search.options[0]] };
    expect(() => expectValidCommandsBody([twice])).toThrow('commands[0].options[1].name: "query" is also option 0');
  });

  it('rejects more than 100 slash commands, duplicate names and a non-array body', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `c${i}`, description: 'd' }));
    expect(() => expectValidCommandsBody(many)).toThrow('commands: has 101 slash commands; at most 100 allowed');
    expect(() => expectValidCommandsBody([search, search])).toThrow('commands[1].name: "search" is also command 0');
    expect(() => expectValidCommandsBody({ commands: [search] })).toThrow('commands: expected an array of commands, got an object');
  });
});
