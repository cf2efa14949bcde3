import type { Answer } from '../answers/answer.js';
import { categoryChoices, choice, MAX_CHOICES, type Choice } from '../answers/choices.js';
import { guildOnly, invalidSetting, settingsNotice, storageUnavailable, unknownCategory } from '../answers/notices.js';
import { texts } from '../answers/texts.js';
import { completeTimeZone, formatTimeOfDay, parseTimeOfDay, resolveTimeZone } from '../pick/local-time.js';
import { StorageUnavailable, type GuildSettings, type Storage } from '../storage/storage.js';
import { defineCommand, stringOption, type ChannelCheck, type ChannelRef, type CommandContext, type CommandServices } from './command.js';

/** A server's own cooldown: from off (0 commands) to 100 commands, in a window of 1 s to an hour. */
export const COOLDOWN_COMMANDS = { min: 0, max: 100 } as const;
export const COOLDOWN_SECONDS = { min: 1, max: 3600 } as const;

const { notices } = texts;

/** A channel as Discord shows it in a message: its mention. */
const mention = (channelId: string) => `<#${channelId}>`;

/** The lines of `/settings show`: each setting, its own or the default it follows. */
export function describeSettings(settings: GuildSettings | undefined, services: CommandServices, guildId: string): string[] {
  const t = texts.settings;
  const defaults = services.defaults;
  const lines: string[] = [];
  if (settings?.daily) {
    const { channelId, time, timezone, category } = settings.daily;
    lines.push(t.daily(mention(channelId), time, timezone, category));
  } else {
    const fallback =
      defaults?.daily && (defaults.daily.guildId === undefined || defaults.daily.guildId === guildId) ? defaults.daily : undefined;
    lines.push(fallback ? t.dailyDefault(mention(fallback.channelId), fallback.time) : t.dailyNone);
  }
  if (settings?.cooldown) lines.push(t.cooldown(settings.cooldown.commands, settings.cooldown.seconds));
  else if (defaults) lines.push(t.cooldownDefault(defaults.cooldown.commands, defaults.cooldown.seconds));
  return lines;
}

/** The channels a settings answer may name, so Discord shows them as channels. */
function channelsOf(settings: GuildSettings | undefined, services: CommandServices, extra?: string): string[] {
  return [settings?.daily?.channelId, services.defaults?.daily?.channelId, extra].filter((id): id is string => id !== undefined);
}

/** Reads the server's settings; the caller answers `storageUnavailable` when that fails. */
async function current(services: CommandServices, guildId: string): Promise<GuildSettings | undefined> {
  if (services.settings) return services.settings.get(guildId);
  return storageOf(services).settings(guildId);
}

/** Saves, and keeps what was saved as the cached copy: the next interaction follows it without a read. */
async function save(services: CommandServices, settings: GuildSettings): Promise<void> {
  await storageOf(services).saveSettings(settings);
  services.settings?.saved(settings);
}

function storageOf(services: CommandServices): Storage {
  if (!services.storage) throw new StorageUnavailable('this process was started without a storage');
  return services.storage;
}

function checkChannel(channel: ChannelRef | undefined): Answer | undefined {
  if (channel === undefined) return invalidSetting(notices.channelNotPostable.title, notices.channelNotPostable.message('That'));
  if (channel.kind === 'other') return refuseChannel(notices.channelNotPostable, channel.id);
  return undefined;
}

function refuseChannel(text: { title: string; message: (channel: string) => string }, channelId: string): Answer {
  return invalidSetting(text.title, text.message(mention(channelId)), [], [channelId]);
}

function bounded(value: number | undefined, name: string, bounds: { min: number; max: number }): Answer | undefined {
  if (value !== undefined && Number.isInteger(value) && value >= bounds.min && value <= bounds.max) return undefined;
  return invalidSetting(notices.cooldownBounds.title, notices.cooldownBounds.message(name, bounds.min, bounds.max));
}

type Input = Parameters<typeof settings.run>[1];

/** What the bot lacks in the channel; unknown (nothing said) when Discord cannot be asked: that is no reason not to save. */
async function checkAccess(services: CommandServices, guildId: string, channelId: string): Promise<ChannelCheck> {
  if (!services.channelAccess) return { ok: true, missing: [] };
  try {
    return await services.channelAccess.check(guildId, channelId);
  } catch (error) {
    services.logger.warn({ err: error, guild: guildId, channel: channelId }, "cannot check the bot's permissions in the daily channel");
    return { ok: true, missing: [] };
  }
}

async function daily(ctx: CommandContext, guildId: string, input: Input): Promise<Answer> {
  const { linkdex, services, now } = ctx;
  const channel = input.channel;
  const wrongChannel = checkChannel(channel);
  if (wrongChannel || !channel)
    return wrongChannel ?? invalidSetting(notices.channelNotPostable.title, notices.channelNotPostable.message('That'));
  const typedTime = stringOption(input.time) ?? '';
  const minutes = parseTimeOfDay(typedTime);
  if (minutes === undefined) return invalidSetting(notices.badTime.title, notices.badTime.message(typedTime));
  const typedZone = stringOption(input.timezone) ?? '';
  const zone = resolveTimeZone(typedZone);
  if (!zone.found) return invalidSetting(notices.unknownTimeZone.title, notices.unknownTimeZone.message(typedZone), zone.suggestions);
  const typedCategory = stringOption(input.category);
  let category: string | undefined;
  if (typedCategory !== undefined) {
    const match = linkdex.resolveCategory(typedCategory);
    if (!match.found) return unknownCategory(typedCategory, match, linkdex.catalog.categories);
    category = match.category.name;
  }
  const access = await checkAccess(services, guildId, channel.id);
  if (!access.ok) {
    if (access.reason === 'other-server') return refuseChannel(notices.channelOtherServer, channel.id);
    if (access.reason === 'unknown-channel') return refuseChannel(notices.unknownChannel, channel.id);
    return refuseChannel(notices.channelNotPostable, channel.id);
  }
  const before = await current(services, guildId);
  const next: GuildSettings = {
    ...before,
    guildId,
    daily: { channelId: channel.id, time: formatTimeOfDay(minutes), timezone: zone.zone, ...(category === undefined ? {} : { category }) },
    updatedAt: now.toISOString(),
  };
  await save(services, next);
  const lines = describeSettings(next, services, guildId);
  if (access.missing.length > 0) lines.push('', texts.settings.missing(mention(channel.id), access.missing));
  return settingsNotice(texts.settings.savedTitle, lines, {
    tone: access.missing.length > 0 ? 'error' : 'info',
    channels: channelsOf(next, services),
  });
}

async function dailyOff(ctx: CommandContext, guildId: string): Promise<Answer> {
  const { services, now } = ctx;
  const before = await current(services, guildId);
  const { daily: _dropped, ...rest } = before ?? { guildId };
  const next: GuildSettings = { ...rest, guildId, updatedAt: now.toISOString() };
  await save(services, next);
  const fallback = services.defaults?.daily;
  const followsDefault = fallback && (fallback.guildId === undefined || fallback.guildId === guildId);
  const line = followsDefault ? texts.settings.dailyOffDefault(mention(fallback.channelId), fallback.time) : texts.settings.dailyOff;
  return settingsNotice(texts.settings.dailyOffTitle, [line], { channels: channelsOf(next, services) });
}

async function cooldown(ctx: CommandContext, guildId: string, input: Input): Promise<Answer> {
  const { services, now } = ctx;
  const { commands, seconds } = input;
  const wrong = bounded(commands, 'commands', COOLDOWN_COMMANDS) ?? bounded(seconds, 'seconds', COOLDOWN_SECONDS);
  if (wrong) return wrong;
  if (commands === undefined || seconds === undefined) throw new Error('bounded() let a missing value through');
  const before = await current(services, guildId);
  const next: GuildSettings = { ...before, guildId, cooldown: { commands, seconds }, updatedAt: now.toISOString() };
  await save(services, next);
  return settingsNotice(texts.settings.savedTitle, describeSettings(next, services, guildId), { channels: channelsOf(next, services) });
}

/**
 * `/settings`: a server's own link of the day and cooldown, for those who manage the server.
 * Answers are private notices. Where there is no server (a DM, the console, the command line)
 * there is nothing to set; a database that cannot be reached is said, never a crash.
 */
export const settings = defineCommand({
  name: 'settings',
  description: "This server's link of the day and cooldown",
  defaultPermission: 'manage-server',
  guildOnly: true,
  options: [
    { name: 'show', description: "This server's settings, and the defaults it follows", type: 'subcommand', options: [] },
    {
      name: 'daily',
      description: 'Post the link of the day in a channel at a local time',
      type: 'subcommand',
      options: [
        {
          name: 'channel',
          description: 'A text or announcement channel',
          type: 'channel',
          required: true,
          channelKinds: ['text', 'announcement'],
        },
        { name: 'time', description: 'Local time, 24-hour HH:MM, such as 09:00', type: 'string', required: true },
        { name: 'timezone', description: 'A time zone, such as Europe/Berlin', type: 'string', required: true, autocomplete: true },
        { name: 'category', description: 'Pick from this category only', type: 'string', autocomplete: true },
      ],
    },
    { name: 'daily-off', description: 'No link of the day in this server', type: 'subcommand', options: [] },
    {
      name: 'cooldown',
      description: 'How many commands a member may run in how many seconds',
      type: 'subcommand',
      options: [
        {
          name: 'commands',
          description: 'Commands per member in the window; 0 turns the cooldown off',
          type: 'integer',
          required: true,
          min: COOLDOWN_COMMANDS.min,
          max: COOLDOWN_COMMANDS.max,
        },
        {
          name: 'seconds',
          description: 'The window, in seconds',
          type: 'integer',
          required: true,
          min: COOLDOWN_SECONDS.min,
          max: COOLDOWN_SECONDS.max,
        },
      ],
    },
  ],
  async run(ctx, input): Promise<Answer> {
    const guildId = ctx.place.guildId;
    if (guildId === null) return guildOnly('settings');
    const { services } = ctx;
    try {
      switch (input.subcommand) {
        case 'daily':
          return await daily(ctx, guildId, input);
        case 'daily-off':
          return await dailyOff(ctx, guildId);
        case 'cooldown':
          return await cooldown(ctx, guildId, input);
        default: {
          const saved = await current(services, guildId);
          return settingsNotice(texts.settings.title, describeSettings(saved, services, guildId), {
            channels: channelsOf(saved, services),
          });
        }
      }
    } catch (error) {
      // A database that went away: said to the member, logged for whoever runs the bot.
      services.logger.error({ err: error, guild: guildId }, 'cannot read or save the server settings');
      return storageUnavailable();
    }
  },
  autocomplete({ linkdex }, focused): Choice[] {
    if (focused.name === 'category') return categoryChoices(linkdex, focused.value);
    if (focused.name === 'timezone') return completeTimeZone(focused.value, MAX_CHOICES).map((z) => choice(z.replace(/_/g, ' '), z));
    return [];
  },
});
