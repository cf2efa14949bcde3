import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDailyPosts, type DailyPostOptions, type DailyPostResult } from '../src/discord/daily-post.js';
import { pickServerDaily } from '../src/pick/daily.js';
import { dailyTargets, dueTargets, type DailyTarget } from '../src/serve/daily-schedule.js';
import { openStorage } from '../src/storage/open-storage.js';
import type { GuildSettings, Storage } from '../src/storage/storage.js';
import { expectValidWebhookBody } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { seedLinkdex } from './helpers.js';

const at = (iso: string) => new Date(iso);
const UPDATED = '2026-01-01T00:00:00.000Z';
const settingsOf = (guildId: string, daily?: GuildSettings['daily']): GuildSettings => ({
  guildId,
  ...(daily ? { daily } : {}),
  updatedAt: UPDATED,
});

describe("which servers' links are due", () => {
  const berlin = settingsOf('1', { channelId: '11', time: '09:00', timezone: 'Europe/Berlin' });
  const la = settingsOf('2', { channelId: '22', time: '23:30', timezone: 'America/Los_Angeles', category: 'Rust' });
  const tokyo = settingsOf('3', { channelId: '33', time: '00:15', timezone: 'Asia/Tokyo' });
  const cooldownOnly: GuildSettings = { guildId: '4', cooldown: { commands: 1, seconds: 5 }, updatedAt: UPDATED };

  it("lists each server's own, and the environment's channel unless its server has its own", () => {
    const all = [berlin, la, tokyo, cooldownOnly];
    expect(dailyTargets(all, { channelId: '99', minutes: 540, guildId: '4' }).map((t) => [t.key, t.channelId, t.source])).toEqual([
      ['1', '11', 'settings'],
      ['2', '22', 'settings'],
      ['3', '33', 'settings'],
      // Server 4 set only a cooldown: it follows DAILY_CHANNEL_ID.
      ['4', '99', 'environment'],
    ]);
    // Server 1's settings override DAILY_CHANNEL_ID for it.
    expect(dailyTargets(all, { channelId: '99', minutes: 540, guildId: '1' }).filter((t) => t.key === '1')).toEqual([
      { key: '1', channelId: '11', minutes: 540, timezone: 'Europe/Berlin', source: 'settings' },
    ]);
    // No DISCORD_GUILD_ID: the channel is the key (the old JSON state's day is migrated under it).
    expect(dailyTargets([], { channelId: '99', minutes: 540 })).toEqual([
      { key: 'channel:99', channelId: '99', minutes: 540, timezone: 'UTC', source: 'environment' },
    ]);
  });

  const due = (targets: DailyTarget[], iso: string) => dueTargets(targets, at(iso)).map(({ target, day }) => `${target.key} ${day}`);

  it('is due once local time has passed the posting time, each server on its own local day', () => {
    const targets = dailyTargets([berlin, la, tokyo], { channelId: '99', minutes: 9 * 60 });
    // 07:59 UTC in winter is 08:59 in Berlin, 23:59 the day before in LA, 16:59 in Tokyo.
    expect(due(targets, '2026-02-10T07:59:00Z')).toEqual(['2 2026-02-09', '3 2026-02-10']);
    // 08:00 UTC: 09:00 in Berlin; midnight in LA, a new day there whose 23:30 is far off.
    expect(due(targets, '2026-02-10T08:00:00Z')).toEqual(['1 2026-02-10', '3 2026-02-10']);
    // 15:14 UTC is 00:14 the next day in Tokyo: not yet; 15:15 is.
    expect(due(targets, '2026-02-10T15:14:00Z')).toEqual(['1 2026-02-10', 'channel:99 2026-02-10']);
    expect(due(targets, '2026-02-10T15:15:00Z')).toEqual(['1 2026-02-10', '3 2026-02-11', 'channel:99 2026-02-10']);
  });

  it('follows a DST change: 09:00 in Berlin is 08:00 UTC before the last Sunday of March, 07:00 UTC after', () => {
    const targets = dailyTargets([berlin], undefined);
    expect(due(targets, '2026-03-28T07:59:00Z')).toEqual([]);
    expect(due(targets, '2026-03-28T08:00:00Z')).toEqual(['1 2026-03-28']);
    expect(due(targets, '2026-03-29T06:59:00Z')).toEqual([]);
    expect(due(targets, '2026-03-29T07:00:00Z')).toEqual(['1 2026-03-29']);
    // A time the spring change skips (02:30) is due as soon as the clock is past it.
    const skipped = dailyTargets([settingsOf('5', { channelId: '55', time: '02:30', timezone: 'Europe/Berlin' })], undefined);
    expect(due(skipped, '2026-03-29T00:59:00Z')).toEqual([]);
    expect(due(skipped, '2026-03-29T01:00:00Z')).toEqual(['5 2026-03-29']);
  });
});

describe("each server's cycle", () => {
  const pool = seedLinkdex().catalog.entries;

  it('shows every link once before any repeats, and differs from server to server', () => {
    const days = Array.from({ length: pool.length }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    const cycle = (server: string) => days.map((day) => pickServerDaily(pool, day, server)?.id);
    const a = cycle('1310000000000000100');
    const b = cycle('1310000000000000101');
    // Days 2026-01-01… may fall across two cycles; whatever the split, no link repeats within either part.
    const start = days.findIndex((day) => Math.floor(Date.parse(day) / 86_400_000) % pool.length === 0);
    for (const part of [a.slice(0, start), a.slice(start), b.slice(0, start), b.slice(start)]) expect(new Set(part).size).toBe(part.length);
    const same = a.filter((id, i) => id === b[i]).length;
    expect(same).toBeLessThan(pool.length / 4);
  });
});

describe('posting each server’s link of the day', () => {
  const fake = new FakeDiscord({ guildIds: ['1310000000000000100', '1310000000000000101'] });
  const linkdex = seedLinkdex();
  const folder = mkdtempSync(path.join(tmpdir(), 'linkdex-daily-'));
  let rest: REST;
  let stores = 0;
  beforeAll(async () => {
    await fake.start();
    rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken(FAKE_TOKEN);
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  const [first, second] = fake.guildIds as [string, string];
  const [firstChannel, secondChannel] = fake.channelIds as [string, string];

  async function store(): Promise<Storage> {
    const storage = await openStorage({ databaseUrl: undefined, stateDir: path.join(folder, String(++stores)) });
    await storage.saveSettings(settingsOf(first, { channelId: firstChannel, time: '09:00', timezone: 'Europe/Berlin' }));
    await storage.saveSettings(settingsOf(second, { channelId: secondChannel, time: '09:00', timezone: 'America/New_York' }));
    return storage;
  }

  function logs() {
    const lines: string[] = [];
    const log = (obj: object, msg?: string) => void lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    return { lines, logger: { info: log, warn: log, error: log } };
  }

  function posting(storage: Storage, now: () => Date, more: Partial<DailyPostOptions> = {}): DailyPostOptions {
    return { rest, storage, linkdex: () => linkdex, logger: logs().logger, now, everyMs: 60_000, ...more };
  }

  const postedIn = (channelId: string, since: number) => fake.channelMessages.slice(since).filter((m) => m.channelId === channelId);

  it('posts once per server per day at its local time, with a nonce Discord enforces, and again the next day', async () => {
    const storage = await store();
    const before = fake.channelMessages.length;
    // 08:30 UTC: 09:30 in Berlin, 03:30 in New York.
    let now = at('2026-11-24T08:30:00Z');
    const results: DailyPostResult[] = [];
    const daily = startDailyPosts(posting(storage, () => now, { onResult: (r) => results.push(r) }));
    await daily.check();
    await daily.check();
    expect(postedIn(firstChannel, before)).toHaveLength(1);
    expect(postedIn(secondChannel, before)).toHaveLength(0);
    const body = postedIn(firstChannel, before)[0]?.body as Record<string, unknown>;
    expectValidWebhookBody(body, 'POST');
    expect(body['enforce_nonce']).toBe(true);
    expect(String(body['nonce'])).toMatch(/^[0-9a-f]{1,25}$/);
    expect(JSON.stringify(body)).toContain('📅 Link of the day · 2026-11-24');
    // 14:00 UTC: 09:00 in New York.
    now = at('2026-11-24T14:00:00Z');
    await daily.check();
    daily.stop();
    expect(postedIn(secondChannel, before)).toHaveLength(1);

    // A restart the same day posts nothing more; the next day each server gets its link again.
    const restarted = startDailyPosts(posting(storage, () => now));
    await restarted.check();
    expect(fake.channelMessages.length - before).toBe(2);
    now = at('2026-11-25T14:00:00Z');
    await restarted.check();
    restarted.stop();
    expect(fake.channelMessages.length - before).toBe(4);
    expect(JSON.stringify(postedIn(secondChannel, before)[1]?.body)).toContain('📅 Link of the day · 2026-11-25');
    expect(results).toEqual(['posted', 'posted']);
    expect((await storage.exportState()).dailyPosted).toHaveLength(4);
    await storage.close();
  });

  it('posts exactly once per server when two processes check the same minute on one store', async () => {
    const storage = await store();
    const before = fake.channelMessages.length;
    const now = () => at('2026-11-26T15:00:00Z');
    const a = startDailyPosts(posting(storage, now));
    const b = startDailyPosts(posting(storage, now));
    await Promise.all([a.check(), b.check(), a.check(), b.check()]);
    a.stop();
    b.stop();
    expect(postedIn(firstChannel, before)).toHaveLength(1);
    expect(postedIn(secondChannel, before)).toHaveLength(1);
    await storage.close();
  });

  it("posts the environment's channel at DAILY_TIME (UTC) for its server unless that server has its own", async () => {
    const storage = await openStorage({ databaseUrl: undefined, stateDir: path.join(folder, 'fallback') });
    const before = fake.channelMessages.length;
    let now = at('2026-11-24T09:00:00Z');
    const daily = startDailyPosts(
      posting(storage, () => now, { fallback: { channelId: secondChannel, minutes: 9 * 60, guildId: second } }),
    );
    await daily.check();
    expect(postedIn(secondChannel, before)).toHaveLength(1);
    expect((await storage.exportState()).dailyPosted).toEqual([{ guildId: second, day: '2026-11-24' }]);
    // The server's own settings win: a channel of its own, at its own time.
    await storage.saveSettings(settingsOf(second, { channelId: firstChannel, time: '10:00', timezone: 'UTC' }));
    now = at('2026-11-25T09:00:00Z');
    await daily.check();
    expect(fake.channelMessages.length - before).toBe(1);
    now = at('2026-11-25T10:00:00Z');
    await daily.check();
    daily.stop();
    expect(postedIn(firstChannel, before)).toHaveLength(1);
    expect(postedIn(secondChannel, before)).toHaveLength(1);
    await storage.close();
  });

  it('gives the claim back when sending fails, retries the next minute, and counts it', async () => {
    const storage = await store();
    await storage.deleteGuild(second);
    const before = fake.channelMessages.length;
    const results: DailyPostResult[] = [];
    const { lines, logger } = logs();
    fake.failNext(`/channels/${firstChannel}/messages`, 400, { message: 'Invalid Form Body', code: 50035 });
    const daily = startDailyPosts(posting(storage, () => at('2026-11-27T09:00:00Z'), { logger, onResult: (r) => results.push(r) }));
    await daily.check();
    expect(postedIn(firstChannel, before)).toHaveLength(0);
    expect(lines.filter((l) => l.startsWith('posting the link of the day failed; will retry'))).toHaveLength(1);
    await daily.check();
    daily.stop();
    expect(postedIn(firstChannel, before)).toHaveLength(1);
    expect(results).toEqual(['failed', 'posted']);
    await storage.close();
  });

  it('logs a refused channel once, tries it hourly, and posts the same day at once in a channel fixed by /settings', async () => {
    const storage = await store();
    await storage.deleteGuild(second);
    const forbidden = '1310000000000000777';
    fake.forbiddenChannels.add(forbidden);
    fake.extraChannels.set(forbidden, { guildId: first, type: 0 });
    await storage.saveSettings(settingsOf(first, { channelId: forbidden, time: '09:00', timezone: 'UTC' }));
    const before = fake.channelMessages.length;
    const attemptsBefore = fake.requests.length;
    const attempts = () =>
      fake.requests.slice(attemptsBefore).filter((r) => r.method === 'POST' && r.path.endsWith(`/channels/${forbidden}/messages`));
    let now = at('2026-11-28T09:00:00Z');
    const { lines, logger } = logs();
    const results: DailyPostResult[] = [];
    const daily = startDailyPosts(posting(storage, () => now, { logger, onResult: (r) => results.push(r) }));
    await daily.check();
    now = at('2026-11-28T09:30:00Z');
    await daily.check();
    expect(attempts()).toHaveLength(1);
    const refusals = lines.filter((l) => l.startsWith(`cannot post the link of the day in channel ${forbidden}`));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain('Missing Permissions');
    expect(refusals[0]).toContain('check /settings daily');

    // Within the hour, the permission given: tried again on the hour, posted once.
    fake.forbiddenChannels.delete(forbidden);
    now = at('2026-11-28T10:00:00Z');
    await daily.check();
    await daily.check();
    expect(postedIn(forbidden, before)).toHaveLength(1);

    // The next day refused again; the admin picks another channel: posted at the next check, not an hour later.
    fake.forbiddenChannels.add(forbidden);
    now = at('2026-11-29T09:00:00Z');
    await daily.check();
    await storage.saveSettings(settingsOf(first, { channelId: firstChannel, time: '09:00', timezone: 'UTC' }));
    now = at('2026-11-29T09:01:00Z');
    await daily.check();
    daily.stop();
    expect(postedIn(firstChannel, before)).toHaveLength(1);
    expect(JSON.stringify(postedIn(firstChannel, before)[0]?.body)).toContain('📅 Link of the day · 2026-11-29');
    expect(results).toEqual(['refused', 'posted', 'refused', 'posted']);
    await storage.close();
  });

  it('says so and goes on when the database cannot be read', async () => {
    const storage = await store();
    const { lines, logger } = logs();
    await storage.close();
    const daily = startDailyPosts(posting(storage, () => at('2026-11-30T15:00:00Z'), { logger }));
    await daily.check();
    daily.stop();
    expect(lines.filter((l) => l.startsWith('cannot read the servers’ settings for the link of the day; will retry'))).toHaveLength(1);
  });
});
