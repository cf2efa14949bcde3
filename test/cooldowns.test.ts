import { silentLogger } from '../src/logger.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { Cooldowns } from '../src/serve/cooldowns.js';
import { expectValidCallback } from './discord-payload.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction, MEMBER_USER } from '../dev/fake-discord/interactions.js';
import { seedLinkdex } from './helpers.js';

describe('cooldowns', () => {
  it('allow a burst up to the limit, then say exactly how long to wait', () => {
    const cooldowns = new Cooldowns(5, 10_000);
    for (let i = 0; i < 5; i++) expect(cooldowns.take('ada', 1_000 + i * 100)).toEqual({ ok: true });
    expect(cooldowns.take('ada', 2_000)).toEqual({ ok: false, retryAfterMs: 9_000 });
    expect(cooldowns.take('bob', 2_000)).toEqual({ ok: true });
    // The first command leaves the window at 11,000: one more fits then.
    expect(cooldowns.take('ada', 11_001)).toEqual({ ok: true });
    expect(cooldowns.take('ada', 11_002)).toMatchObject({ ok: false });
  });

  it('are off with a limit of 0, and forget the least recently active members past their cap', () => {
    const off = new Cooldowns(0, 10_000);
    for (let i = 0; i < 100; i++) expect(off.take('ada', i)).toEqual({ ok: true });
    const small = new Cooldowns(1, 10_000, 2);
    small.take('a', 0);
    small.take('b', 1);
    small.take('c', 2);
    expect(small.members).toBe(2);
    expect(small.take('a', 3)).toEqual({ ok: true });
  });

  it('answer the sixth command in 10 s privately with the wait, and never limit autocomplete or buttons', async () => {
    const linkdex = seedLinkdex();
    let now = Date.UTC(2026, 10, 24, 10, 0, 0);
    const ctx = {
      linkdex: () => linkdex,
      commands,
      now: () => new Date(now),
      onError: () => undefined,
      services: { logger: silentLogger() },
      cooldowns: new Cooldowns(5, 10_000),
    };
    for (let i = 0; i < 5; i++) {
      const { callback, summary } = await answerInteraction(commandInteraction('search', { query: 'kafka' }), ctx);
      expect(summary.outcome).toBe('answered');
      expect(callback.type).toBe(4);
      now += 1_000;
    }
    const refused = await answerInteraction(commandInteraction('search', { query: 'kafka' }), ctx);
    expectValidCallback(refused.callback);
    expect(refused.summary.outcome).toBe('cooldown');
    expect(refused.callback).toMatchObject({
      type: 4,
      data: { flags: 64, embeds: [{ title: 'Slow down', description: 'Try again in 5 s.' }] },
    });
    expect((await answerInteraction(autocompleteInteraction('search', { query: 'ku' }, 'query'), ctx)).summary.outcome).toBe(
      'autocomplete',
    );
    const next = (
      await answerInteraction(
        commandInteraction('search', { query: 'monitoring' }, { user: { ...MEMBER_USER, id: '1310000000000000999' } }),
        ctx,
      )
    ).callback;
    expect(next.type).toBe(4);
    const page = await answerInteraction(buttonInteraction('lx|search|2|n|query=monitoring'), ctx);
    expect(page.summary.outcome).toBe('answered');
  });
});
