import { silentLogger } from '../src/logger.js';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { expectValidCallback } from './discord-payload.js';
import { autocompleteInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex();
const ctx = {
  linkdex: () => linkdex,
  commands,
  now: () => new Date('2026-11-24T10:00:00Z'),
  services: { logger: silentLogger() },
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

describe('1,000 random queries through /search and its autocomplete', () => {
  it('are all answered validly and within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        expectValidCallback((await answerInteraction(commandInteraction('search', { query: q }), ctx)).callback);
        expectValidCallback((await answerInteraction(autocompleteInteraction('search', { query: q }, 'query'), ctx)).callback);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
