import type { CooldownSettings, DailySettings, GuildSettings, StateDump } from './storage.js';

/**
 * Settings as stored (one JSON object per server) and as exported. Reading is forgiving: a part
 * that does not have its shape is dropped (that part then follows the defaults), so a row
 * written by hand or by a future version never crashes the bot.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function dailyFrom(value: unknown): DailySettings | undefined {
  if (!isObject(value) || !isText(value['channelId']) || !isText(value['time']) || !isText(value['timezone'])) return undefined;
  const daily: DailySettings = { channelId: value['channelId'], time: value['time'], timezone: value['timezone'] };
  if (isText(value['category'])) daily.category = value['category'];
  return daily;
}

function cooldownFrom(value: unknown): CooldownSettings | undefined {
  if (!isObject(value) || !isCount(value['commands']) || !isCount(value['seconds'])) return undefined;
  return { commands: value['commands'], seconds: value['seconds'] };
}

/** The stored column: what is set, without the server id and time kept in their own columns. */
export function encodeSettings(settings: GuildSettings): string {
  const parts: Json = {};
  if (settings.daily) parts['daily'] = settings.daily;
  if (settings.cooldown) parts['cooldown'] = settings.cooldown;
  return JSON.stringify(parts);
}

export function decodeSettings(guildId: string, json: string, updatedAt: string): GuildSettings {
  let parts: unknown;
  try {
    parts = JSON.parse(json);
  } catch {
    parts = {};
  }
  const settings: GuildSettings = { guildId, updatedAt };
  const daily = isObject(parts) ? dailyFrom(parts['daily']) : undefined;
  const cooldown = isObject(parts) ? cooldownFrom(parts['cooldown']) : undefined;
  if (daily) settings.daily = daily;
  if (cooldown) settings.cooldown = cooldown;
  return settings;
}

export const STATE_FORMAT = 'linkdex-state';
export const STATE_VERSION = 1;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A state dump read from a file, checked: every problem found is named (with where it is), so a
 * hand-edited backup says what to fix instead of half-importing.
 */
export function parseStateDump(value: unknown): { dump: StateDump } | { problems: string[] } {
  if (!isObject(value) || value['format'] !== STATE_FORMAT)
    return { problems: [`not a linkdex state export: "format" must be "${STATE_FORMAT}"`] };
  const problems: string[] = [];
  if (value['version'] !== STATE_VERSION) problems.push(`"version" must be ${STATE_VERSION}, not ${JSON.stringify(value['version'])}`);
  const settings: GuildSettings[] = [];
  const dailyPosted: StateDump['dailyPosted'] = [];
  if (!Array.isArray(value['settings'])) problems.push('"settings" must be a list');
  else
    value['settings'].forEach((item: unknown, i) => {
      if (!isObject(item) || !isText(item['guildId']) || !isText(item['updatedAt']))
        return problems.push(`settings[${i}] needs "guildId" and "updatedAt"`);
      if (item['daily'] !== undefined && !dailyFrom(item['daily']))
        problems.push(`settings[${i}].daily needs "channelId", "time" and "timezone"`);
      if (item['cooldown'] !== undefined && !cooldownFrom(item['cooldown']))
        problems.push(`settings[${i}].cooldown needs whole numbers "commands" and "seconds"`);
      settings.push(decodeSettings(item['guildId'], JSON.stringify(item), item['updatedAt']));
      return undefined;
    });
  if (!Array.isArray(value['dailyPosted'])) problems.push('"dailyPosted" must be a list');
  else
    value['dailyPosted'].forEach((item: unknown, i) => {
      if (!isObject(item) || !isText(item['guildId']) || typeof item['day'] !== 'string' || !DAY.test(item['day']))
        return problems.push(`dailyPosted[${i}] needs "guildId" and "day" (YYYY-MM-DD)`);
      dailyPosted.push({ guildId: item['guildId'], day: item['day'] });
      return undefined;
    });
  return problems.length > 0 ? { problems } : { dump: { format: STATE_FORMAT, version: STATE_VERSION, settings, dailyPosted } };
}
