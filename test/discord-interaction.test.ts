import type { APIInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeCustomId, encodeActionId, encodeCustomId, encodeModalId, MAX_CUSTOM_ID } from '../src/discord/custom-id.js';
import { interactionFromApi } from '../src/discord/interaction-from-api.js';
import {
  autocompleteInteraction,
  buttonInteraction,
  commandInteraction,
  MEMBER_USER,
  messageCommandInteraction,
  modalSubmitInteraction,
  pingInteraction,
} from '../dev/fake-discord/interactions.js';
import { FAKE_IDS } from '../dev/fake-discord/fake-discord.js';
import { testCommands } from './discord-test-commands.js';

const asker = {
  caller: { userId: MEMBER_USER.id, displayName: 'Ada', locale: 'en-US' },
  place: { guildId: FAKE_IDS.guild, channelId: FAKE_IDS.channel, inDm: false },
  permissions: { manageServer: false, sendMessages: true },
};

describe('custom ids of every kind', () => {
  it('round-trip a replay, an action and a form, separators in their target escaped', () => {
    const replay = encodeCustomId({ command: 'search', page: 2, nav: 'n', input: { query: 'a|b' } });
    expect(decodeCustomId(replay, testCommands)).toEqual({ kind: 'replay', command: 'search', page: 2, nav: 'n', input: { query: 'a|b' } });
    const action = encodeActionId({ command: 'suggest', action: 'approve', target: 'id|with=%odd' });
    expect(action).toBe('lx:a|suggest|approve|id%7Cwith%3D%25odd');
    expect(decodeCustomId(action, testCommands)).toEqual({ kind: 'action', command: 'suggest', action: 'approve', target: 'id|with=%odd' });
    const modal = encodeModalId({ command: 'suggest', modal: 'edit', target: '' });
    expect(decodeCustomId(modal, testCommands)).toEqual({ kind: 'modal', command: 'suggest', modal: 'edit', target: '' });
  });

  it('refuse to encode a target that does not fit in 100 characters, naming it', () => {
    expect(encodeActionId({ command: 'suggest', action: 'approve', target: 'x'.repeat(79) }).length).toBe(MAX_CUSTOM_ID);
    expect(() => encodeActionId({ command: 'suggest', action: 'approve', target: 'x'.repeat(80) })).toThrow(
      /custom id for suggest\/approve is 101 characters \(at most 100\)/,
    );
  });

  it('decode hostile or unknown ids as stale, never throwing', () => {
    const hostile: unknown[] = [
      '',
      'lx:a',
      'lx:a|suggest|approve',
      'lx:a|suggest|approve|1|2',
      `lx:a|suggest|approve|${'1'.repeat(100)}`,
      'lx:a|suggest|__proto__|1',
      'lx:a|suggest|constructor|1',
      'lx:a|suggest|toString|1',
      'lx:a|__proto__|approve|1',
      'lx:a|nope|approve|1',
      'lx:a|search|approve|1',
      'lx:m|suggest|nope|1',
      'lx:m|suggest|__proto__|1',
      'lx:m|search|edit|1',
      'lx:x|suggest|approve|1',
      'lx|__proto__|1|n',
      'lx|search|1|n|__proto__=1',
      '%7C|%|=',
      undefined,
      42,
    ];
    for (const id of hostile) expect(decodeCustomId(id, testCommands), String(id)).toEqual({ kind: 'stale' });
  });
});

describe('interactionFromApi', () => {
  it('reads a slash command: its name, its options, who asked and where', () => {
    const api = commandInteraction('search', { query: 'kafka', category: 'Rust' });
    expect(interactionFromApi(api, testCommands)).toEqual({
      id: api.id,
      kind: 'slash',
      command: 'search',
      input: { query: 'kafka', category: 'Rust' },
      ...asker,
    });
  });

  it('reads autocomplete with the option being typed', () => {
    const api = autocompleteInteraction('search', { query: 'kaf' }, 'query');
    expect(interactionFromApi(api, testCommands)).toMatchObject({
      kind: 'autocomplete',
      command: 'search',
      input: { query: 'kaf' },
      focused: { name: 'query', value: 'kaf' },
    });
  });

  it('reads a button as a replay, an action, or stale', () => {
    const replay = buttonInteraction('lx|search|2|n|query=kafka');
    expect(interactionFromApi(replay, testCommands)).toMatchObject({
      kind: 'button',
      press: { kind: 'replay', command: 'search', page: 2, input: { query: 'kafka' } },
      customId: 'lx|search|2|n|query=kafka',
      ...asker,
    });
    expect(interactionFromApi(buttonInteraction('lx:a|suggest|approve|s-1'), testCommands)).toMatchObject({
      kind: 'button',
      press: { kind: 'action', command: 'suggest', action: 'approve', target: 's-1' },
    });
    // A form's id on a button is not a button's.
    for (const id of ['lx:m|suggest|edit|s-1', 'lx:a|suggest|gone|s-1', 'whatever']) {
      expect(interactionFromApi(buttonInteraction(id), testCommands)).toMatchObject({ kind: 'button', press: { kind: 'stale' } });
    }
  });

  it('reads a form submission with its fields, sent in labels or in action rows', () => {
    for (const rows of [false, true]) {
      const api = modalSubmitInteraction('lx:m|suggest|edit|s-42', { url: 'https://example.com', why: '' }, { rows });
      expect(interactionFromApi(api, testCommands)).toEqual({
        id: api.id,
        kind: 'modal-submit',
        form: { kind: 'modal', command: 'suggest', modal: 'edit', target: 's-42' },
        fields: { url: 'https://example.com', why: '' },
        customId: 'lx:m|suggest|edit|s-42',
        ...asker,
      });
    }
    const stale = interactionFromApi(modalSubmitInteraction('lx:m|suggest|gone|1', { __proto__: 'x' }), testCommands);
    expect(stale).toMatchObject({ kind: 'modal-submit', form: { kind: 'stale' } });
    expect(Object.getPrototypeOf(stale.kind === 'modal-submit' ? stale.fields : null)).toBe(Object.prototype);
  });

  it('reads a message command with the message it was started from', () => {
    const api = messageCommandInteraction('Find links', 'anyone know a good kafka talk?');
    const interaction = interactionFromApi(api, testCommands);
    expect(interaction).toMatchObject({
      kind: 'message-command',
      command: 'Find links',
      message: { content: 'anyone know a good kafka talk?', authorId: MEMBER_USER.id },
    });
  });

  it('reads a PING, with no one asking', () => {
    const api = pingInteraction();
    expect(interactionFromApi(api, testCommands)).toMatchObject({ id: api.id, kind: 'ping', caller: { userId: 'unknown' } });
  });
});

describe('interactionFromApi on payloads that are not what their type says', () => {
  it('reads an unknown kind or a broken payload as a stale button, never throwing', () => {
    const unknownKind = { ...commandInteraction('search'), type: 42 } as unknown as APIInteraction;
    const broken = { ...buttonInteraction('lx|search|1|n'), data: undefined } as unknown as APIInteraction;
    for (const api of [unknownKind, broken]) {
      expect(interactionFromApi(api, testCommands)).toMatchObject({ id: api.id, kind: 'button', press: { kind: 'stale' } });
    }
  });
});
