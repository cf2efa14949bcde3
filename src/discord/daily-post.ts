import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../atomic-file.js';
import { DiscordAPIError, Routes, type REST } from 'discord.js';
import { OPERATOR, type AnyCommand } from '../commands/command.js';
import { commands as registry } from '../commands/index.js';
import { answerInteraction } from '../serve/answer-interaction.js';
import type { SlashInteraction } from '../serve/interaction.js';
import { utcDayString } from '../pick/daily.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import { renderMessage } from './render-message.js';

/**
 * What survives a restart: the last UTC day posted. A refusal is not kept: once the channel or
 * the permission is fixed, a restart posts that day's link at once.
 */
export interface DailyState {
  lastPosted?: string;
}

/**
 * The UTC day whose link is due at `now`, if any: once the day's posting time has passed and it
 * has not been posted (a restart later that day posts it then, once).
 */
export function dueDay(now: Date, minutes: number, state: DailyState): string | undefined {
  const day = utcDayString(now);
  const sinceMidnight = now.getUTCHours() * 60 + now.getUTCMinutes();
  if (sinceMidnight < minutes) return undefined;
  if (state.lastPosted === day) return undefined;
  return day;
}

export async function readDailyState(file: string): Promise<DailyState> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object') return {};
    // A `lastRefused` written by an earlier version is ignored: it held the day's post back until the next day.
    const { lastPosted } = parsed as Record<string, unknown>;
    return typeof lastPosted === 'string' ? { lastPosted } : {};
  } catch {
    return {};
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a state. */
export async function writeDailyState(file: string, state: DailyState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(state)}\n`);
}

export interface DailyPostOptions {
  rest: REST;
  channelId: string;
  /** Minutes after midnight UTC. */
  minutes: number;
  stateFile: string;
  linkdex: () => Linkdex;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
  /** How often to check whether the post is due. */
  everyMs?: number;
  /** After Discord refuses the post, how long until it is tried again (while the bot runs; a restart tries at once). */
  refusedRetryMs?: number;
  /** The registry whose `/random` builds the post; the bot's own by default. */
  commands?: readonly AnyCommand[];
}

/** A refused post is tried again hourly: a fixed permission shows up within the hour, at the cost of one request an hour. */
const REFUSED_RETRY_MS = 60 * 60 * 1000;

/** Discord's answers that will not change by trying again the same day: no access, no permission, no channel. */
const REFUSED_CODES = new Set([50001, 50013, 10003]);

/**
 * Posts the link of the day to a channel once a day. Checked at start and every half minute, so a
 * post is not missed while the bot is up; the state file makes a restart not post twice.
 */
export function startDailyPost(options: DailyPostOptions): { stop(): void; check(): Promise<void> } {
  const now = options.now ?? (() => new Date());
  const retryMs = options.refusedRetryMs ?? REFUSED_RETRY_MS;
  let checking: Promise<void> | undefined;
  /** The last refusal, in memory only: not retried every check, and logged once a day. */
  let refused: { day: string; at: number } | undefined;

  async function attempt(): Promise<void> {
    const state = await readDailyState(options.stateFile);
    const day = dueDay(now(), options.minutes, state);
    if (!day) return;
    if (refused?.day === day && now().getTime() - refused.at < retryMs) return;
    // The same path as a member's `/random today:true`: asked by the operator, in the daily channel.
    const asked: SlashInteraction = {
      id: `daily-post-${day}`,
      kind: 'slash',
      command: 'random',
      input: { today: true },
      ...OPERATOR,
      place: { guildId: null, channelId: options.channelId, inDm: false },
    };
    const { reply, summary } = await answerInteraction(asked, {
      linkdex: options.linkdex,
      commands: options.commands ?? registry,
      now,
      services: { logger: options.logger },
      onError: (error) => options.logger.error({ err: error, day }, 'building the link of the day failed; will retry'),
    });
    const answer = reply.kind === 'answer' ? reply.answer : undefined;
    if (answer?.kind !== 'link') {
      if (summary.outcome !== 'error') options.logger.warn({ day }, 'no link of the day to post: the catalog is empty');
      return;
    }
    try {
      await options.rest.post(Routes.channelMessages(options.channelId), { body: renderMessage(answer) });
      await writeDailyState(options.stateFile, { ...state, lastPosted: day });
      options.logger.info({ day, channel: options.channelId, link: answer.entry.id }, `posted the link of the day for ${day}`);
    } catch (error) {
      if (error instanceof DiscordAPIError && REFUSED_CODES.has(Number(error.code))) {
        const again = refused?.day === day;
        refused = { day, at: now().getTime() };
        if (again) return;
        options.logger.error(
          { day, channel: options.channelId, code: error.code },
          `cannot post the link of the day in channel ${options.channelId}: ${error.message}; check DAILY_CHANNEL_ID and the bot's permission to send messages there (tried again hourly, and at restart)`,
        );
        return;
      }
      // A network or server error: the next check tries again.
      options.logger.error({ err: error, day }, 'posting the link of the day failed; will retry');
    }
  }

  const check = () => {
    checking ??= attempt().finally(() => {
      checking = undefined;
    });
    return checking;
  };
  const timer = setInterval(() => void check(), options.everyMs ?? 30_000);
  timer.unref();
  void check();
  return {
    stop: () => clearInterval(timer),
    check,
  };
}
