import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { LinkAnswer } from '../answers/answer.js';
import { texts } from '../answers/texts.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import { pickServerDaily } from '../pick/daily.js';
import { dailyTargets, dueTargets, type DailyFallback, type DailyTarget } from '../serve/daily-schedule.js';
import type { Storage } from '../storage/storage.js';
import { renderMessage } from './render-message.js';

/** How a server's daily post ended, as metrics count it. */
export type DailyPostResult = 'posted' | 'refused' | 'failed';

export interface DailyPostOptions {
  rest: REST;
  /** Every server's settings, and the claims that make each day's post happen once across processes. */
  storage: Storage;
  linkdex: () => Linkdex;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** DAILY_CHANNEL_ID at DAILY_TIME (UTC), for DISCORD_GUILD_ID's server unless its settings say otherwise. */
  fallback?: DailyFallback;
  now?: () => Date;
  /** How often to check which servers are due (a minute: posting times are whole minutes). */
  everyMs?: number;
  /** After Discord refuses a channel, how long until it is tried again (a changed channel is tried at once). */
  refusedRetryMs?: number;
  /** A claim not marked posted within this long is taken over: its process died mid-send. */
  staleAfterMs?: number;
  /** Counts each server's post. */
  onResult?: (result: DailyPostResult) => void;
}

/** A refused post is tried again hourly: a fixed permission shows up within the hour, at the cost of one request an hour. */
const REFUSED_RETRY_MS = 60 * 60 * 1000;
const STALE_AFTER_MS = 5 * 60 * 1000;

/** Discord's answers that will not change by trying again the same minute: no access, no permission, no channel. */
const REFUSED_CODES = new Set([50001, 50013, 10003]);

/** The link of the day of one server, as the message it gets: its own cycle, from its category if it chose one. */
export function dailyAnswer(linkdex: Linkdex, target: DailyTarget, day: string): LinkAnswer | undefined {
  const match = target.category === undefined ? undefined : linkdex.resolveCategory(target.category);
  // A category gone from the catalog since it was chosen: the whole catalog rather than no post.
  const category = match?.found ? match.category : undefined;
  const pool = category?.entries ?? linkdex.catalog.entries;
  const entry = pickServerDaily(pool, day, target.key, category ? `category:${category.name}` : 'catalog');
  return entry && { kind: 'link', title: texts.titles.daily(texts.titles.inCategory(category?.name), day), entry };
}

/**
 * Posts each server's link of the day in its channel at its local time, once per server and day
 * across restarts, shards and replicas: a claim (a unique row per server and day) is taken before
 * sending, the message carries the claim's nonce with `enforce_nonce` (Discord refuses a second
 * message with it), and the day is marked posted after. A send that fails gives the claim back,
 * so a later minute of the same day tries again; it is logged and counted.
 */
export function startDailyPosts(options: DailyPostOptions): { stop(): void; check(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const retryMs = options.refusedRetryMs ?? REFUSED_RETRY_MS;
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const { storage, logger } = options;
  /** Refusals per server, in memory: a refused channel is not retried every minute, and logged once a day. */
  const refused = new Map<string, { day: string; channelId: string; at: number }>();

  async function post(target: DailyTarget, day: string): Promise<void> {
    const last = refused.get(target.key);
    const sameRefusal = last?.day === day && last.channelId === target.channelId;
    if (sameRefusal && now().getTime() - last.at < retryMs) return;
    const answer = dailyAnswer(options.linkdex(), target, day);
    if (!answer) {
      logger.warn({ day, guild: target.key }, 'no link of the day to post: the catalog is empty');
      return;
    }
    const claim = await storage.claimDaily(target.key, day, now(), staleAfterMs);
    if (!claim.claimed) return;
    try {
      const body = { ...renderMessage(answer), nonce: claim.nonce, enforce_nonce: true };
      await options.rest.post(Routes.channelMessages(target.channelId), { body });
    } catch (error) {
      await storage.releaseDaily(target.key, day).catch((release: unknown) => {
        logger.error({ err: release, day, guild: target.key }, 'cannot give back the daily claim; it is retaken once stale');
      });
      if (error instanceof DiscordAPIError && REFUSED_CODES.has(Number(error.code))) {
        refused.set(target.key, { day, channelId: target.channelId, at: now().getTime() });
        options.onResult?.('refused');
        if (sameRefusal) return;
        const fix = target.source === 'environment' ? 'DAILY_CHANNEL_ID' : '/settings daily';
        logger.error(
          { day, guild: target.key, channel: target.channelId, code: error.code },
          `cannot post the link of the day in channel ${target.channelId}: ${error.message}; check ${fix} and the bot's permission to send messages there (tried again hourly, and at restart)`,
        );
        return;
      }
      options.onResult?.('failed');
      logger.error({ err: error, day, guild: target.key }, 'posting the link of the day failed; will retry');
      return;
    }
    refused.delete(target.key);
    options.onResult?.('posted');
    logger.info(
      { day, guild: target.key, channel: target.channelId, link: answer.entry.id },
      `posted the link of the day for ${day} in channel ${target.channelId}`,
    );
    await storage.dailyPosted(target.key, day, now()).catch((error: unknown) => {
      // Posted all the same: Discord's nonce refuses a second message while the claim is retaken.
      logger.error({ err: error, day, guild: target.key }, 'posted the link of the day, but cannot mark it posted');
    });
  }

  async function attempt(): Promise<void> {
    let all;
    try {
      all = await storage.allSettings();
    } catch (error) {
      logger.error({ err: error }, 'cannot read the servers’ settings for the link of the day; will retry');
      return;
    }
    for (const { target, day } of dueTargets(dailyTargets(all, options.fallback), now())) {
      try {
        await post(target, day);
      } catch (error) {
        options.onResult?.('failed');
        logger.error({ err: error, day, guild: target.key }, 'posting the link of the day failed; will retry');
      }
    }
  }

  let checking: Promise<void> | undefined;
  const check = () => {
    checking ??= attempt().finally(() => {
      checking = undefined;
    });
    return checking;
  };
  const timer = setInterval(() => void check(), options.everyMs ?? 60_000);
  timer.unref();
  void check();
  return {
    stop: () => clearInterval(timer),
    check,
  };
}
