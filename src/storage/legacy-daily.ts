import { readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from './storage.js';

/** Where linkdex before issue 16 kept its daily post's last day: `{ "lastPosted": "YYYY-MM-DD" }`. */
export const LEGACY_DAILY_FILE = 'daily-post.json';

/**
 * The server key of the environment's daily post (DAILY_CHANNEL_ID): the server of
 * DISCORD_GUILD_ID when set, else `channel:<DAILY_CHANNEL_ID>`. The old state is imported under
 * it, and the daily post of the environment claims its days under it.
 */
export function environmentDailyKey(config: { discordGuildId?: string; dailyChannelId?: string }): string | undefined {
  if (config.discordGuildId) return config.discordGuildId;
  return config.dailyChannelId ? `channel:${config.dailyChannelId}` : undefined;
}

export type LegacyDailyImport =
  /** No old state: nothing to do. */
  | { kind: 'none' }
  /** Its day is now a posted row, and the file renamed to `movedTo`. */
  | { kind: 'imported'; key: string; day: string; movedTo: string }
  /** Left in place, for the reason given (to log). */
  | { kind: 'kept'; reason: string };

/** `daily-post.json.migrated`, or with a number when an earlier import left one there: never overwritten. */
async function freeName(file: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${file}.migrated` : `${file}.migrated.${n}`;
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/**
 * Brings `STATE_DIR/daily-post.json` into the storage as a posted day of `key`, then renames it
 * (never deletes it), so that a restart does not post that day again and nothing is lost. A file
 * that is not the old format, or no key (no DAILY_CHANNEL_ID), leaves it where it is. Running it
 * again, or from several processes at once, imports the day once.
 */
export async function importLegacyDaily(
  storage: Storage,
  stateDir: string,
  key: string | undefined,
  now = new Date(),
): Promise<LegacyDailyImport> {
  const file = path.join(stateDir, LEGACY_DAILY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'kept', reason: `${file} cannot be read (${(error as Error).message}): left in place` };
  }
  let day: unknown;
  try {
    day = (JSON.parse(text) as { lastPosted?: unknown } | null)?.lastPosted;
  } catch {
    day = undefined;
  }
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day))
    return { kind: 'kept', reason: `${file} is not the old daily post's state ({"lastPosted": "YYYY-MM-DD"}): left in place` };
  if (key === undefined)
    return { kind: 'kept', reason: `${file} belongs to the daily post, and DAILY_CHANNEL_ID is not set: left in place` };
  await storage.dailyPosted(key, day, now);
  const movedTo = await freeName(file);
  try {
    await rename(file, movedTo);
  } catch (error) {
    // Another process (a shard) renamed it first: the day is in the storage either way.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { kind: 'imported', key, day, movedTo };
}
