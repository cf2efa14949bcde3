import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDay, readDailyState, startDailyPost } from '../src/discord/daily-post.js';
import { expectValidWebhookBody } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { seedLinkdex } from './helpers.js';

const at = (iso: string) => new Date(iso);
const NINE = 9 * 60;

describe('when the daily link is due', () => {
  it('is due once the time has passed that UTC day, and only until it is posted or refused', () => {
    expect(dueDay(at('2026-11-24T08:59:59Z'), NINE, {})).toBeUndefined();
    expect(dueDay(at('2026-11-24T09:00:00Z'), NINE, {})).toBe('2026-11-24');
    // Started in the afternoon without a post today: posts now, once.
    expect(dueDay(at('2026-11-24T15:00:00Z'), NINE, { lastPosted: '2026-11-23' })).toBe('2026-11-24');
    expect(dueDay(at('2026-11-24T15:00:00Z'), NINE, { lastPosted: '2026-11-24' })).toBeUndefined();
    expect(dueDay(at('2026-11-24T15:00:00Z'), NINE, { lastRefused: '2026-11-24' })).toBeUndefined();
    expect(dueDay(at('2026-11-25T09:00:00Z'), NINE, { lastPosted: '2026-11-24', lastRefused: '2026-11-24' })).toBe('2026-11-25');
  });

  it('reads a missing or corrupt state file as "never posted"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkdex-state-'));
    expect(await readDailyState(path.join(dir, 'none.json'))).toEqual({});
    writeFileSync(path.join(dir, 'bad.json'), '{not json');
    expect(await readDailyState(path.join(dir, 'bad.json'))).toEqual({});
  });
});

describe('posting the link of the day', () => {
  const fake = new FakeDiscord();
  const linkdex = seedLinkdex();
  let rest: REST;
  beforeAll(async () => {
    await fake.start();
    rest = new REST({ api: fake.apiUrl }).setToken(FAKE_TOKEN);
  });
  afterAll(() => fake.stop());

  function logs() {
    const lines: string[] = [];
    const log = (obj: object, msg?: string) => void lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    return { lines, logger: { info: log, warn: log, error: log } };
  }

  it('posts once a day, survives a restart without posting twice, and posts again the next day', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'linkdex-daily-')), 'daily.json');
    let now = at('2026-11-24T09:00:30Z');
    const { lines, logger } = logs();
    const options = {
      rest,
      channelId: fake.channelId,
      minutes: NINE,
      stateFile,
      linkdex: () => linkdex,
      logger,
      now: () => now,
      everyMs: 60_000,
    };
    const first = startDailyPost(options);
    await first.check();
    await first.check();
    first.stop();
    const posted = fake.channelMessages.filter((m) => m.channelId === fake.channelId);
    expect(posted).toHaveLength(1);
    expectValidWebhookBody(posted[0]?.body, 'POST');
    expect(JSON.stringify(posted[0]?.body)).toContain('📅 Link of the day · 2026-11-24');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ lastPosted: '2026-11-24' });

    const restarted = startDailyPost(options);
    await restarted.check();
    expect(fake.channelMessages).toHaveLength(1);
    now = at('2026-11-25T09:01:00Z');
    await restarted.check();
    restarted.stop();
    expect(fake.channelMessages).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('posted the link of the day'))).toHaveLength(2);
  });

  it('logs a missing permission or an unknown channel clearly, once a day, without failing', async () => {
    const forbidden = '1310000000000000777';
    fake.forbiddenChannels.add(forbidden);
    for (const [channelId, expected] of [
      [forbidden, 'Missing Permissions'],
      ['1310000000000000888', 'Unknown Channel'],
    ] as const) {
      const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'linkdex-daily-')), 'daily.json');
      const { lines, logger } = logs();
      const post = startDailyPost({
        rest,
        channelId,
        minutes: NINE,
        stateFile,
        linkdex: () => linkdex,
        logger,
        now: () => at('2026-11-24T10:00:00Z'),
        everyMs: 60_000,
      });
      await post.check();
      await post.check();
      post.stop();
      const errors = lines.filter((l) => l.startsWith(`cannot post the link of the day in channel ${channelId}`));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(expected);
      expect(errors[0]).toContain('check DAILY_CHANNEL_ID');
    }
  });
});
