/**
 * The bot's promises about time and failure, in-process against the fake Discord: a slow answer
 * is deferred and edited in, a hanging one ends in "something went wrong", a throwing one is
 * answered privately, and the bot goes on answering.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import type { Answer } from '../src/answers/answer.js';
import { Secret } from '../src/config.js';
import type { AnyCommand } from '../src/commands/command.js';
import { startBot, type RunningBot } from '../src/discord/bot.js';
import { createLogger } from '../src/logger.js';
import { expectValidCallback, expectValidWebhookBody } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { commandInteraction } from '../dev/fake-discord/interactions.js';
import { seedLinkdex } from './helpers.js';

const answer: Answer = { kind: 'notice', code: 'no-results', tone: 'info', title: 'Slow', message: 'worth the wait', suggestions: [] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const registry: AnyCommand[] = [
  ...commands,
  { name: 'slow', description: 'answers after 600 ms', options: [], run: async () => (await sleep(600), answer) },
  { name: 'hang', description: 'never answers', options: [], run: () => new Promise(() => undefined) },
  {
    name: 'boom',
    description: 'throws',
    options: [],
    run: () => {
      throw new Error('secret internals');
    },
  },
];

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
    commands: registry,
    logger: createLogger('info', sink),
    deferAfterMs: 200,
    giveUpAfterMs: 800,
  });
}, 20_000);

afterAll(async () => {
  await bot.stop(100);
  await fake.stop();
});

describe('answers that take time or fail', () => {
  it('defers a slow answer within the deadline, then edits the original message', async () => {
    const interaction = commandInteraction('slow', {});
    const reply = await fake.dispatchInteraction(interaction);
    expect(reply.body).toEqual({ type: 5 });
    expect(reply.ms).toBeLessThan(3000);
    const edit = await fake.waitForWebhook(interaction.token);
    expect(edit.method).toBe('PATCH');
    expect(edit.messageId).toBe('@original');
    expectValidWebhookBody(edit.body);
    expect(JSON.stringify(edit.body)).toContain('worth the wait');
  });

  it('replaces an answer that never comes with "something went wrong", logged with the interaction id', async () => {
    const interaction = commandInteraction('hang', {});
    expect((await fake.dispatchInteraction(interaction)).body).toEqual({ type: 5 });
    const edit = await fake.waitForWebhook(interaction.token);
    expect(JSON.stringify(edit.body)).toContain('Something went wrong');
    expect(logs.some((l) => l.includes(`"interaction":"${interaction.id}"`) && l.includes('ran too long'))).toBe(true);
  });

  it('answers a handler that throws privately, without its internals, and keeps running', async () => {
    const interaction = commandInteraction('boom', {});
    const reply = await fake.dispatchInteraction(interaction);
    expectValidCallback(reply.body);
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64, embeds: [{ title: 'Something went wrong' }] } });
    expect(JSON.stringify(reply.body)).not.toContain('secret internals');
    expect(logs.some((l) => l.includes(`"interaction":"${interaction.id}"`) && l.includes('secret internals'))).toBe(true);
    const after = await fake.dispatchInteraction(commandInteraction('search', { query: 'kafka' }));
    expect(after.body.type).toBe(4);
  });

  it('logs a callback Discord keeps refusing (500, after discord.js retries) and answers the next interaction', async () => {
    // @discordjs/rest retries a 5xx three times, so the fault must outlast the retries.
    fake.addFault({ pathPrefix: '/interactions/', method: 'POST', status: 500, times: 4 });
    const refused = commandInteraction('help', {});
    await fake.dispatchInteraction(refused, { timeoutMs: 1500 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect(logs.some((l) => l.includes(`"interaction":"${refused.id}"`) && l.includes('could not send the answer'))).toBe(true);
    const next = await fake.dispatchInteraction(commandInteraction('help', {}));
    expect(next.body.type).toBe(4);
  });

  it('logs each interaction once, with its command, options, outcome and latency, and never a token', () => {
    const lines = logs.filter((l) => l.includes('"msg":"interaction"'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const search = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['command'] === 'search');
    expect(search).toMatchObject({ command: 'search', options: { query: 'kafka' }, outcome: 'answered' });
    expect(typeof search?.['latencyMs']).toBe('number');
    expect(logs.join('')).not.toContain(FAKE_TOKEN);
    // Exactly one summary line per interaction, whatever else was logged about it.
    const ids = lines.map((l) => (JSON.parse(l) as Record<string, unknown>)['interaction']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
