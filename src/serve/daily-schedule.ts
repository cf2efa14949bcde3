import { localClock, parseTimeOfDay } from '../pick/local-time.js';
import type { GuildSettings } from '../storage/storage.js';

/** One server's link of the day: where, when (its local time), and from which category. */
export interface DailyTarget {
  /** The claim's key: the server's id, or `channel:<id>` for the environment's channel when DISCORD_GUILD_ID is unset. */
  key: string;
  channelId: string;
  /** Minutes after local midnight. */
  minutes: number;
  timezone: string;
  category?: string;
  /** Where it comes from, for the log: a server's settings or the environment (DAILY_CHANNEL_ID). */
  source: 'settings' | 'environment';
}

/** DAILY_CHANNEL_ID at DAILY_TIME (UTC), for the server of DISCORD_GUILD_ID when set. */
export interface DailyFallback {
  channelId: string;
  minutes: number;
  guildId?: string;
}

/**
 * Every server's link of the day: each server with daily settings, and the environment's channel
 * unless its server has its own (its settings override it). Settings with a time that does not
 * read are left out (storage only keeps what /settings checked).
 */
export function dailyTargets(all: readonly GuildSettings[], fallback: DailyFallback | undefined): DailyTarget[] {
  const targets: DailyTarget[] = [];
  for (const settings of all) {
    const daily = settings.daily;
    const minutes = daily ? parseTimeOfDay(daily.time) : undefined;
    if (!daily || minutes === undefined) continue;
    targets.push({
      key: settings.guildId,
      channelId: daily.channelId,
      minutes,
      timezone: daily.timezone,
      ...(daily.category === undefined ? {} : { category: daily.category }),
      source: 'settings',
    });
  }
  if (fallback) {
    const key = fallback.guildId ?? `channel:${fallback.channelId}`;
    if (!targets.some((t) => t.key === key)) {
      targets.push({ key, channelId: fallback.channelId, minutes: fallback.minutes, timezone: 'UTC', source: 'environment' });
    }
  }
  return targets;
}

/**
 * The targets whose post is due at `now`, each with its local day: once the local time has passed
 * the posting time that day (a process started later that day posts then). Whether it was posted
 * already is the claim's to say. A zone `Intl` does not know is left out.
 */
export function dueTargets(targets: readonly DailyTarget[], now: Date): { target: DailyTarget; day: string }[] {
  const due: { target: DailyTarget; day: string }[] = [];
  for (const target of targets) {
    let clock: { day: string; minutes: number };
    try {
      clock = localClock(now, target.timezone);
    } catch {
      continue;
    }
    if (clock.minutes >= target.minutes) due.push({ target, day: clock.day });
  }
  return due;
}
