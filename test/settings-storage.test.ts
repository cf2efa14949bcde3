/**
 * /settings, per-server cooldowns and leaving a server, on a real SQLite file: what is saved,
 * what members then get, and what happens when the database goes away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermissionFlagsBits, REST, type APIInteraction, type APIRole } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, settingsDefaults } from '../src/app.js';
import { commands } from '../src/commands/index.js';
import type { CommandServices } from '../src/commands/command.js';
import { loadConfig, Secret } from '../src/config.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { startBot } from '../src/discord/bot.js';
import { channelPermissions, restChannelAccess } from '../src/discord/channel-access.js';
import { silentLogger } from '../src/logger.js';
import { Cooldowns, ServerCooldowns } from '../src/serve/cooldowns.js';
import { SettingsCache } from '../src/serve/settings-cache.js';
import { openStorage } from '../src/storage/open-storage.js';
import type { Storage } from '../src/storage/storage.js';
import { FAKE_IDS, FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { commandInteraction, subcommandAutocompleteInteraction, subcommandInteraction } from '../dev/fake-discord/interactions.js';
import { expectValidCallback } from './discord-payload.js';
import { repoRoot, seedLinkdex } from './helpers.js';

const folder = mkdtempSync(path.join(tmpdir(), 'linkdex-settings-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let opened = 0;
const linkdex = seedLinkdex();
const config = loadConfig(
  { LOG_LEVEL: 'silent', DAILY_CHANNEL_ID: '1310000000000000999', DAILY_TIME: '08:15', DISCORD_GUILD_ID: FAKE_IDS.guild },
  repoRoot,
);
const GUILD = FAKE_IDS.guild;
const OTHER_GUILD = '1310000000000000101';

/** A storage, the services commands get with it, and a way to answer Discord's payloads as the app does. */
async function setup(extra: Partial<CommandServices> = {}): Promise<{
  storage: Storage;
  ask: (api: APIInteraction) => Promise<{ title: string; text: string; flags: unknown }>;
}> {
  const storage = await openStorage({ databaseUrl: undefined, stateDir: path.join(folder, String(++opened)) });
  const logger = silentLogger();
  const settings = new SettingsCache(storage, logger);
  const services: CommandServices = { logger, storage, settings, defaults: settingsDefaults(config), ...extra };
  const cooldowns = new ServerCooldowns(new Cooldowns(5, 10_000), settings, storage, logger);
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const ask = async (api: APIInteraction) => {
    const { callback } = await answerInteraction(api, {
      linkdex: () => linkdex,
      commands,
      now: () => new Date((clock += 1000)),
      services,
      cooldowns,
      onError: (error) => {
        throw error;
      },
    });
    expectValidCallback(callback);
    const data = (
      callback as unknown as { data: { embeds?: { title: string; description?: string }[]; flags?: unknown; choices?: unknown } }
    ).data;
    return { title: data.embeds?.[0]?.title ?? '', text: data.embeds?.[0]?.description ?? JSON.stringify(data.choices), flags: data.flags };
  };
  return { storage, ask };
}

const text = { id: FAKE_IDS.channel, type: 0 };
const inOther = { guildId: OTHER_GUILD };

describe('/settings saves and shows a server’s settings', () => {
  it('shows the defaults, saves a link of the day and a cooldown, and turns the daily link off again', async () => {
    const { storage, ask } = await setup();
    expect(await ask(subcommandInteraction('settings', 'show'))).toEqual({
      title: 'Settings of this server',
      text:
        "Link of the day: <#1310000000000000999> at 08:15 (UTC), the bot's default.\n" +
        "Cooldown: 5 commands per member every 10 seconds, the bot's default.",
      flags: 64,
    });
    // Another server does not follow DAILY_CHANNEL_ID: it is DISCORD_GUILD_ID's.
    expect((await ask(subcommandInteraction('settings', 'show', {}, [], inOther))).text).toBe(
      "Link of the day: off.\nCooldown: 5 commands per member every 10 seconds, the bot's default.",
    );

    const saved = await ask(
      subcommandInteraction(
        'settings',
        'daily',
        { channel: FAKE_IDS.channel, time: '7:30'.padStart(5, '0'), timezone: 'berlin', category: 'observ' },
        [text],
      ),
    );
    expect(saved).toEqual({
      title: 'Settings saved',
      text:
        `Link of the day: <#${FAKE_IDS.channel}> at 07:30 (Europe/Berlin), from “Observability”.\n` +
        "Cooldown: 5 commands per member every 10 seconds, the bot's default.",
      flags: 64,
    });
    expect((await storage.settings(GUILD))?.daily).toEqual({
      channelId: FAKE_IDS.channel,
      time: '07:30',
      timezone: 'Europe/Berlin',
      category: 'Observability',
    });

    expect((await ask(subcommandInteraction('settings', 'cooldown', { commands: 3, seconds: 30 }))).text).toBe(
      `Link of the day: <#${FAKE_IDS.channel}> at 07:30 (Europe/Berlin), from “Observability”.\nCooldown: 3 commands per member every 30 seconds.`,
    );
    expect(await ask(subcommandInteraction('settings', 'daily-off'))).toEqual({
      title: 'Link of the day off',
      text: "This server's own link of the day is off; it follows the bot's default again: <#1310000000000000999> at 08:15 (UTC).",
      flags: 64,
    });
    expect((await ask(subcommandInteraction('settings', 'daily-off', {}, [], inOther))).text).toBe(
      'This server will get no link of the day.',
    );
    expect(await storage.settings(GUILD)).toMatchObject({ guildId: GUILD, cooldown: { commands: 3, seconds: 30 } });
    expect((await storage.settings(GUILD))?.daily).toBeUndefined();
    await storage.close();
  });

  it('says the database cannot be reached, privately, instead of failing, and saves nothing', async () => {
    const { storage, ask } = await setup();
    await storage.close();
    const unavailable = {
      title: 'Settings not available',
      text: 'The bot cannot reach its database right now, so nothing was saved. Try again in a minute.',
      flags: 64,
    };
    expect(await ask(subcommandInteraction('settings', 'show'))).toEqual(unavailable);
    expect(await ask(subcommandInteraction('settings', 'cooldown', { commands: 1, seconds: 60 }))).toEqual(unavailable);
    expect(
      await ask(subcommandInteraction('settings', 'daily', { channel: FAKE_IDS.channel, time: '09:00', timezone: 'UTC' }, [text])),
    ).toEqual(unavailable);
  });
});

describe("a server's own cooldown", () => {
  const help = (context = {}) => commandInteraction('help', {}, context);

  it('overrides the default for its members, is read from memory, and changes as soon as it is saved', async () => {
    const { storage, ask } = await setup();
    await ask(subcommandInteraction('settings', 'cooldown', { commands: 1, seconds: 60 }));
    expect((await ask(help())).title).toBe('linkdex');
    expect(await ask(help())).toMatchObject({ title: 'Slow down', flags: 64 });
    // Another server follows the default (5 in 10 s).
    expect((await ask(help(inOther))).title).toBe('linkdex');
    expect((await ask(help(inOther))).title).toBe('linkdex');

    // Saved anywhere in this process: heard, and the next command follows it.
    await storage.saveSettings({ guildId: GUILD, cooldown: { commands: 0, seconds: 60 }, updatedAt: new Date().toISOString() });
    for (let i = 0; i < 3; i++) expect((await ask(help())).title).toBe('linkdex');
    await storage.close();
  });

  it('goes on from memory when the database goes away; autocomplete never needs it', async () => {
    const { storage, ask } = await setup();
    await ask(subcommandInteraction('settings', 'cooldown', { commands: 1, seconds: 60 }));
    await storage.close();
    // Still the server's rule, from memory: one command a minute.
    expect((await ask(help())).title).toBe('linkdex');
    expect((await ask(help())).title).toBe('Slow down');
    // A server never read: the default, not a refusal.
    expect((await ask(help(inOther))).title).toBe('linkdex');
    expect((await ask(subcommandAutocompleteInteraction('settings', 'daily', { timezone: 'berl' }, 'timezone'))).text).toBe(
      JSON.stringify([{ name: 'Europe/Berlin', value: 'Europe/Berlin' }]),
    );
  });
});

describe('leaving a server', () => {
  it("deletes the server's settings when the bot is removed, not when the server is only unavailable", async () => {
    const storage = await openStorage({ databaseUrl: undefined, stateDir: path.join(folder, 'left') });
    const app = buildApp(config, { storage });
    await storage.saveSettings({ guildId: GUILD, cooldown: { commands: 1, seconds: 5 }, updatedAt: new Date().toISOString() });
    const fake = new FakeDiscord();
    await fake.start();
    const left: string[] = [];
    const bot = await startBot({
      token: new Secret(FAKE_TOKEN),
      apiUrl: fake.apiUrl,
      linkdex: () => linkdex,
      commands,
      logger: silentLogger(),
      onGuildLeft: (guildId) => {
        left.push(guildId);
        app.leftGuild(guildId);
      },
    });
    try {
      fake.dispatch('GUILD_DELETE', { id: GUILD, unavailable: true });
      fake.dispatch('GUILD_DELETE', { id: GUILD });
      for (let i = 0; i < 100 && (await storage.settings(GUILD)) !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
      expect(left).toEqual([GUILD]);
      expect(await storage.settings(GUILD)).toBeUndefined();
    } finally {
      await bot.stop(100);
      await fake.stop();
      await app.shutdown.stop({ finished: true });
    }
  });
});

describe("the bot's permissions in the channel /settings daily saves", () => {
  const fake = new FakeDiscord({ guildIds: [GUILD, OTHER_GUILD] });
  const [, otherChannel] = fake.channelIds as [string, string];
  const VIEW = PermissionFlagsBits.ViewChannel;
  const SEND = PermissionFlagsBits.SendMessages;
  const EMBED = PermissionFlagsBits.EmbedLinks;
  const role = (id: string, permissions: bigint): APIRole =>
    ({ id, name: id, permissions: String(permissions), position: 1 }) as unknown as APIRole;
  const overwrite = (id: string, type: 0 | 1, allow: bigint, deny: bigint) => ({ id, type, allow: String(allow), deny: String(deny) });

  afterAll(() => fake.stop());

  it('are computed as Discord does: roles, Administrator, then @everyone, role and member overwrites', () => {
    const everyone = role(GUILD, VIEW | SEND | EMBED);
    const bot = FAKE_IDS.botUser;
    expect(channelPermissions(GUILD, bot, [], [everyone], [overwrite(GUILD, 0, 0n, SEND | EMBED)]) & (VIEW | SEND | EMBED)).toBe(VIEW);
    // A role's allow wins over @everyone's deny; the member's own deny wins over both.
    const roles = [everyone, role('7', 0n)];
    const overwrites = [overwrite(GUILD, 0, 0n, SEND), overwrite('7', 0, SEND, 0n)];
    expect(channelPermissions(GUILD, bot, ['7'], roles, overwrites) & SEND).toBe(SEND);
    expect(channelPermissions(GUILD, bot, ['7'], roles, [...overwrites, overwrite(bot, 1, 0n, SEND)]) & SEND).toBe(0n);
    // Administrator: everything, whatever the overwrites.
    expect(
      channelPermissions(GUILD, bot, ['8'], [everyone, role('8', PermissionFlagsBits.Administrator)], [overwrite(bot, 1, 0n, VIEW)]),
    ).toBe(~0n);
  });

  it('are said exactly on save when some are missing; a channel of another server or gone is refused', async () => {
    await fake.start();
    const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken(FAKE_TOKEN);
    const { storage, ask } = await setup({ channelAccess: restChannelAccess(rest) });
    const daily = (channelId: string, type = 0) =>
      subcommandInteraction('settings', 'daily', { channel: channelId, time: '09:00', timezone: 'UTC' }, [{ id: channelId, type }]);

    // #general: nothing denied.
    expect(await ask(daily(FAKE_IDS.channel))).toMatchObject({ title: 'Settings saved' });
    expect((await ask(daily(FAKE_IDS.channel))).text).not.toContain('cannot post there');

    const quiet = '1310000000000000555';
    fake.extraChannels.set(quiet, { guildId: GUILD, type: 5, overwrites: [overwrite(GUILD, 0, 0n, SEND | EMBED)] });
    const saved = await ask(daily(quiet, 5));
    expect(saved.title).toBe('Settings saved');
    expect(saved.text).toBe(
      `Link of the day: <#${quiet}> at 09:00 (UTC).\nCooldown: 5 commands per member every 10 seconds, the bot's default.\n\n` +
        `The bot cannot post there yet: it lacks Send Messages, Embed Links in <#${quiet}>. Give it those permissions there, or it will try and fail each day.`,
    );
    expect((await storage.settings(GUILD))?.daily?.channelId).toBe(quiet);

    // A role of the bot's that may send there: only Embed Links is missing.
    fake.guildRoles.set(GUILD, [role('7', 0n)]);
    fake.botRoleIds = ['7'];
    fake.extraChannels.set(quiet, {
      guildId: GUILD,
      type: 5,
      overwrites: [overwrite(GUILD, 0, 0n, SEND | EMBED), overwrite('7', 0, SEND, 0n)],
    });
    expect((await ask(daily(quiet, 5))).text).toContain('it lacks Embed Links in');

    const before = await storage.settings(GUILD);
    expect(await ask(daily(otherChannel))).toEqual({
      title: 'Not this server’s channel',
      text: `<#${otherChannel}> is not a channel of this server: pick one of this server's text or announcement channels.`,
      flags: 64,
    });
    expect(await ask(daily('1310000000000000666'))).toEqual({
      title: 'Unknown channel',
      text: '<#1310000000000000666> does not exist any more, or the bot cannot see it: pick another channel.',
      flags: 64,
    });
    expect(await storage.settings(GUILD)).toEqual(before);
    await storage.close();
  });
});
