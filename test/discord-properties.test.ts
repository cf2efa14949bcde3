import { ApplicationCommandOptionType, InteractionType, type APIInteraction } from 'discord.js';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { commands } from '../commands/index.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { expectValidCallback } from './discord-payload.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex();
const ctx = {
  linkdex: () => linkdex,
  commands,
  now: () => new Date('2026-11-24T10:00:00Z'),
  onError: (e: unknown) => {
    throw e;
  },
};

/** What members really paste: unicode, markdown, mentions, links, and walls of text. */
const query = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '**',
        '__',
        '`',
        '|',
        '[',
        ']',
        '(',
        ')',
        '@everyone',
        '@here',
        '<@123456789012345678>',
        '<@&1>',
        'kafka',
        'obs',
        ' ',
        '\n',
        '👩‍💻',
        'https://x.y/(z)',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
  fc.string({ minLength: 5000, maxLength: 6000 }),
);

function interaction(type: InteractionType, value: string, focused: boolean): APIInteraction {
  const options = [{ name: 'query', type: ApplicationCommandOptionType.String, value, ...(focused ? { focused: true } : {}) }];
  return {
    id: '1',
    token: 't',
    application_id: '2',
    type,
    data: { id: '3', name: 'search', type: 1, options },
  } as unknown as APIInteraction;
}

describe('1,000 random queries through /search and its autocomplete', () => {
  it('are all answered validly and within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        expectValidCallback((await answerInteraction(interaction(InteractionType.ApplicationCommand, q, false), ctx)).callback);
        expectValidCallback((await answerInteraction(interaction(InteractionType.ApplicationCommandAutocomplete, q, true), ctx)).callback);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
