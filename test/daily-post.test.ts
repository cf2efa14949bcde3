import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCommand } from '../src/commands/command.js';
import { random } from '../src/commands/random.js';
import { dueDay, readDailyState, startDailyPost, type DailyPostOptions } from '../src/discord/daily-post.js';
import { expectValidWebhookBody } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { seedLinkdex } from './helpers.js';

const at = (iso: string) => new Date(iso);
const NINE = 9 * 60;

describe('when the daily link is due', () => {
  it('is due once the time has passed that UTC day, and only until it is posted', () => {
    expect(dueDay(at('2026-11-24T08:59:59Z'), NINE, {})).toBeUndefined();
    expect(dueDay(at('2026-11-24T09:00:00Z'), NINE, {})).toBe('2026-11-24');
    // Started in the afternoon without a post today: posts now, once.
    expect(dueDay(at('2026-11-24T15:00:00Z'), NINE, { lastPosted: '2026-11-23' })).toBe('2026-11-24');
    expect(dueDay(at('2026-11-24T15:00:00Z'), NINE, { lastPosted: '2026-11-24' })).toBeUndefined();
    expect(dueDay(at('2026-11-25T09:00:00Z'), NINE, { lastPosted: '2026-11-24' })).toBe('2026-11-25');
  });

  it('reads a missing or corrupt state file as "never posted"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linkdex-state-'));
    expect(await readDailyState(path.join(dir, 'none.json'))).toEqual({});
    writeFileSync(path.join(dir, 'bad.json'), '{not json');
    expect(await readDailyState(path.join(dir, 'bad.json'))).toEqual({});
  });

  it("ignores a refusal an earlier version kept in the state file, so it does not hold back the day's post", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'linkdex-state-')), 'daily.json');
    writeFileSync(file, JSON.stringify({ lastPosted: '2026-11-23', lastRefused: '2026-11-24' }));
    const state = await readDailyState(file);
    expect(state).toEqual({ lastPosted: '2026-11-23' });
    expect(dueDay(at('2026-11-24T15:00:00Z'), NINE, state)).toBe('2026-11-24');
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

  /** A daily post at 09:00 UTC in the fake's channel, on the seed, checked every minute, and `more`. */
  function posting(
    stateFile: string,
    logger: DailyPostOptions['logger'],
    now: () => Date,
    more: Partial<DailyPostOptions> = {},
  ): DailyPostOptions {
    return { rest, channelId: fake.channelId, minutes: NINE, stateFile, linkdex: () => linkdex, logger, now, everyMs: 60_000, ...more };
  }

  it('posts once a day, survives a restart without posting twice, and posts again the next day', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'linkdex-daily-')), 'daily.json');
    let now = at('2026-11-24T09:00:30Z');
    const { lines, logger } = logs();
    const options = posting(stateFile, logger, () => now);
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
      const post = startDailyPost(posting(stateFile, logger, () => at('2026-11-24T10:00:00Z'), { channelId }));
      await post.check();
      await post.check();
      post.stop();
      const errors = lines.filter((l) => l.startsWith(`cannot post the link of the day in channel ${channelId}`));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(expected);
      expect(errors[0]).toContain('check DAILY_CHANNEL_ID');
    }
  });

  it('posts the same day once the channel is fixed: at the next start, or within the hour while running', async () => {
    // The guild's own channel, forbidden for a while; the messages posted there by the tests above are left out.
    const channelId = fake.channelId;
    const before = fake.channelMessages.length;
    const attemptsBefore = fake.requests.length;
    fake.forbiddenChannels.add(channelId);
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'linkdex-daily-')), 'daily.json');
    let now = at('2026-11-24T10:00:00Z');
    const { lines, logger } = logs();
    const options = posting(stateFile, logger, () => now, { channelId });
    const toChannel = () => fake.channelMessages.slice(before).filter((m) => m.channelId === channelId);
    const attempts = () =>
      fake.requests.slice(attemptsBefore).filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${channelId}/messages`));

    // Refused: logged once; the next checks within the hour send nothing.
    const first = startDailyPost(options);
    await first.check();
    now = at('2026-11-24T10:30:00Z');
    await first.check();
    first.stop();
    expect(attempts()).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(`cannot post the link of the day in channel ${channelId}`))).toHaveLength(1);

    // The permission is fixed and the bot restarted: that day's link is posted at once.
    fake.forbiddenChannels.delete(channelId);
    const restarted = startDailyPost(options);
    await restarted.check();
    restarted.stop();
    expect(toChannel()).toHaveLength(1);
    expect(JSON.stringify(toChannel()[0]?.body)).toContain('📅 Link of the day · 2026-11-24');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ lastPosted: '2026-11-24' });

    // The next day, refused again and fixed without a restart: posted an hour after the refusal, logged once.
    fake.forbiddenChannels.add(channelId);
    now = at('2026-11-25T09:00:00Z');
    const running = startDailyPost(options);
    await running.check();
    fake.forbiddenChannels.delete(channelId);
    now = at('2026-11-25T09:59:00Z');
    await running.check();
    expect(toChannel()).toHaveLength(1);
    now = at('2026-11-25T10:00:00Z');
    await running.check();
    await running.check();
    running.stop();
    expect(toChannel()).toHaveLength(2);
    expect(JSON.stringify(toChannel()[1]?.body)).toContain('📅 Link of the day · 2026-11-25');
    expect(lines.filter((l) => l.startsWith(`cannot post the link of the day in channel ${channelId}`))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('posted the link of the day for'))).toHaveLength(2);
  });
  it("is /random today:true answered the way a member's is: asked by the operator, in the daily channel, through the registry", async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'linkdex-daily-')), 'daily.json');
    const asked: { input: unknown; place: unknown; caller: unknown }[] = [];
    const spy = defineCommand({
      ...random,
      run(ctx, input, page) {
        asked.push({ input, place: ctx.place, caller: ctx.caller.userId });
        return random.run(ctx, input, page);
      },
    });
    const { logger } = logs();
    const before = fake.channelMessages.length;
    const daily = startDailyPost(posting(stateFile, logger, () => at('2026-11-26T10:00:00Z'), { commands: [spy] }));
    await daily.check();
    daily.stop();
    expect(asked).toEqual([
      { input: { today: true }, place: { guildId: null, channelId: fake.channelId, inDm: false }, caller: 'operator' },
    ]);
    expect(JSON.stringify(fake.channelMessages[before]?.body)).toContain('📅 Link of the day · 2026-11-26');
  });
});
