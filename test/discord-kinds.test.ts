/**
 * Every kind of interaction end to end through the Discord adapter: Discord's payload in, the
 * callback body (and the edit, for an acknowledgement) out, each checked against Discord's schema.
 */
import type { APIInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../src/discord/command-definitions.js';
import { respondOnDiscord } from '../src/discord/discord-transport.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { defineCommand } from '../src/commands/command.js';
import type { MessageData } from '../src/discord/render-message.js';
import { silentLogger } from '../src/logger.js';
import { withDefaults } from '../src/serve/options.js';
import { encodeActionId, encodeModalId } from '../src/discord/custom-id.js';
import {
  autocompleteInteraction,
  buttonInteraction,
  commandInteraction,
  messageCommandInteraction,
  modalSubmitInteraction,
  pingInteraction,
} from '../dev/fake-discord/interactions.js';
import { expectValidCallback, expectValidCommandsBody, expectValidWebhookBody } from './discord-payload.js';
import { testCommands, testMessageCommands } from './discord-test-commands.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex();

async function drive(api: APIInteraction): Promise<{ callback: Record<string, unknown>; edits: MessageData[] }> {
  const callbacks: unknown[] = [];
  const edits: MessageData[] = [];
  const options = withDefaults({
    linkdex: () => linkdex,
    commands: testCommands,
    messageCommands: testMessageCommands,
    logger: silentLogger(),
    now: () => new Date('2026-11-24T10:00:00Z'),
  });
  await respondOnDiscord(api, { reply: async (c) => void callbacks.push(c), editOriginal: async (d) => void edits.push(d) }, options);
  expect(callbacks).toHaveLength(1);
  const callback = callbacks[0] as Record<string, unknown>;
  expectValidCallback(callback, { over: 'http' });
  for (const edit of edits) expectValidWebhookBody(edit);
  return { callback, edits };
}

const embedTitle = (data: unknown) => (data as MessageData).embeds[0]?.title;
const embedText = (data: unknown) => (data as MessageData).embeds[0]?.description;

describe('every kind of interaction through the Discord adapter', () => {
  it('a slash command: a message with the answer', async () => {
    const { callback } = await drive(commandInteraction('search', { query: 'kafka' }));
    expect(callback['type']).toBe(4);
    expect(embedTitle(callback['data'])).toBe('Search: “kafka”');
  });

  it('autocomplete: the choices', async () => {
    const { callback } = await drive(autocompleteInteraction('category', { name: 'obs' }, 'name'));
    expect(callback).toEqual({ type: 8, data: { choices: [expect.objectContaining({ value: 'Observability' })] } });
  });

  it('a replay button: the message redrawn at the page it carries', async () => {
    const { callback } = await drive(buttonInteraction('lx|search|2|n|query=monitoring'));
    expect(callback['type']).toBe(7);
    expect((callback['data'] as MessageData).embeds[0]?.footer?.text).toMatch(/page 2\//);
  });

  it('an action button: the action run on its target, told to the clicker alone', async () => {
    const { callback } = await drive(buttonInteraction(encodeActionId({ command: 'suggest', action: 'approve', target: 's-9' })));
    expect(callback['type']).toBe(4);
    expect((callback['data'] as MessageData).flags).toBe(64);
    expect(embedText(callback['data'])).toBe('Ada approved suggestion s-9');
  });

  it('a command that opens a form: a modal of labelled text inputs, whose submission its handler answers', async () => {
    const { callback } = await drive(commandInteraction('suggest'));
    expect(callback).toEqual({
      type: 9,
      data: {
        custom_id: 'lx:m|suggest|edit|s-42',
        title: 'Suggest a link',
        components: [
          {
            type: 18,
            label: 'Link',
            component: { type: 4, custom_id: 'url', style: 1, required: true, placeholder: 'https://…', max_length: 200 },
          },
          { type: 18, label: 'Why is it good?', component: { type: 4, custom_id: 'why', style: 2, required: false, value: 'Because' } },
        ],
      },
    });
    const submitted = await drive(modalSubmitInteraction('lx:m|suggest|edit|s-42', { url: 'https://example.com/talk', why: 'clear' }));
    expect(submitted.callback['type']).toBe(4);
    expect(embedText(submitted.callback['data'])).toBe('suggestion s-42: https\\://example.com/talk — clear');
  });

  it('an action that opens a form: the modal, from a button', async () => {
    const { callback } = await drive(buttonInteraction(encodeActionId({ command: 'suggest', action: 'edit', target: 's-7' })));
    expect(callback['type']).toBe(9);
    expect((callback['data'] as { custom_id: string }).custom_id).toBe(encodeModalId({ command: 'suggest', modal: 'edit', target: 's-7' }));
  });

  it('an acknowledgement: a private deferral, edited into the follow-up answer', async () => {
    const { callback, edits } = await drive(buttonInteraction(encodeActionId({ command: 'suggest', action: 'later', target: 's-3' })));
    expect(callback).toEqual({ type: 5, data: { flags: 64 } });
    expect(edits.map((e) => embedText(e))).toEqual(['suggestion s-3 is written']);
  });

  it('a message command: its answer about the message it was started from', async () => {
    const { callback } = await drive(messageCommandInteraction('Find links', 'kafka'));
    expect(callback['type']).toBe(4);
    expect(embedTitle(callback['data'])).toBe('Search: “kafka”');
  });

  it('a PING: a PONG', async () => {
    expect((await drive(pingInteraction())).callback).toEqual({ type: 1 });
  });

  it('a stale button, a stale form, a failing action: private notices, never a crash', async () => {
    for (const api of [
      buttonInteraction('lx:a|suggest|gone|1'),
      buttonInteraction('lx|nope|1|n'),
      modalSubmitInteraction('lx:m|suggest|gone|1', { url: 'x' }),
    ]) {
      const { callback } = await drive(api);
      expect(callback['type']).toBe(4);
      expect((callback['data'] as MessageData).flags).toBe(64);
      expect(embedTitle(callback['data'])).toBe('This button no longer works');
    }
    const failed = await drive(buttonInteraction(encodeActionId({ command: 'suggest', action: 'fail', target: '1' })));
    expect(embedTitle(failed.callback['data'])).toBe('Something went wrong');
  });
});

describe('registering message commands', () => {
  it('adds one type-3 command per message command after the slash commands, and nothing when there are none', () => {
    const slash = commandDefinitions(testCommands);
    expect(commandDefinitions(testCommands, [])).toEqual(slash);
    const body = commandDefinitions(testCommands, testMessageCommands);
    expectValidCommandsBody(body);
    expect(body.slice(0, slash.length)).toEqual(slash);
    expect(body.slice(slash.length)).toEqual([{ type: 3, name: 'Find links' }]);
  });
});

describe("a handler's choices", () => {
  it('are made valid by the one sanitiser: 25 at most, names cut to 100 without hidden characters, none without a value', async () => {
    const wild = defineCommand({
      name: 'wild',
      description: 'Returns wild choices',
      options: [{ name: 'q', description: 'q', type: 'string', autocomplete: true }],
      run: () => ({ kind: 'notice', code: 'no-results', tone: 'info', title: 't', message: 'm', suggestions: [] }),
      autocomplete: () => [
        { name: `a\u200bb${'x'.repeat(150)}`, value: 'v'.repeat(150) },
        { name: 'no value', value: '' },
        ...Array.from({ length: 30 }, (_, i) => ({ name: `n${i}`, value: `v${i}` })),
      ],
    });
    const answered = await answerInteraction(autocompleteInteraction('wild', { q: '' }, 'q'), {
      linkdex: () => linkdex,
      commands: [wild],
      now: () => new Date(),
      services: { logger: silentLogger() },
      onError: (error) => {
        throw error;
      },
    });
    expectValidCallback(answered.callback);
    const choices = (answered.callback as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices).toHaveLength(24);
    expect(choices[0]?.name).toBe(`ab${'x'.repeat(97)}…`);
    expect(choices[0]?.value).toHaveLength(100);
    expect(choices.some((c) => c.value === '')).toBe(false);
  });
});
