/**
 * The gateway bot answers from Discord's payload: discord.js must not build an interaction object
 * of its own for each one (work on every keystroke before the answer leaves). It relies on a
 * discord.js internal, so this fails first when an upgrade moves it.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'discord.js';
import { commands } from '../src/commands/index.js';
import { Secret } from '../src/config.js';
import { skipInteractionStructures, startBot, type RunningBot } from '../src/discord/bot.js';
import { createLogger } from '../src/logger.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { seedLinkdex } from './helpers.js';

const fake = new FakeDiscord();
const logs: string[] = [];
let bot: RunningBot;

beforeAll(async () => {
  await fake.start();
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  const linkdex = seedLinkdex();
  bot = await startBot({
    token: new Secret(FAKE_TOKEN),
    apiUrl: fake.apiUrl,
    linkdex: () => linkdex,
    commands,
    logger: createLogger('info', sink),
  });
}, 20_000);

afterAll(async () => {
  await bot.stop(100);
  await fake.stop();
});

describe('discord.js builds no interaction objects', () => {
  it('finds the handler it empties in this discord.js', async () => {
    const client = new Client({ intents: [] });
    try {
      expect(skipInteractionStructures(client)).toBe(true);
    } finally {
      await client.destroy();
    }
    expect(logs.join('')).not.toContain('discord.js has changed');
  });

  it('answers autocomplete and commands without discord.js emitting interactionCreate', async () => {
    const emitted: unknown[] = [];
    bot.client.on('interactionCreate', (interaction) => emitted.push(interaction));
    const typed = await fake.dispatchInteraction(autocompleteInteraction('search', { query: 'kafka' }, 'query'));
    expect(typed.body).toMatchObject({
      type: 8,
      data: { choices: expect.arrayContaining([expect.objectContaining({ name: expect.stringContaining('Kafka') })]) },
    });
    const asked = await fake.dispatchInteraction(commandInteraction('help', {}));
    expect(asked.body.type).toBe(4);
    expect(emitted).toEqual([]);
  });
});
