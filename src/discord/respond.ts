import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord.js';
import { catalogStillLoading, catalogUnavailable } from '../answers/notices.js';
import type { CatalogReadiness } from '../catalog-gate.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import {
  answerAutocomplete,
  answerAutocompleteWithoutCatalog,
  answerInteraction,
  summarize,
  type AnswerContext,
  type BotCommand,
  type Callback,
  type InteractionSummary,
} from './answer-interaction.js';
import { Backlog } from './backlog.js';
import type { Cooldowns } from './cooldowns.js';
import { renderMessage, somethingWentWrong, type MessageData } from './render-message.js';

/** How an answer reaches Discord; the gateway bot and the HTTP endpoint differ only here. */
export interface Transport {
  /** The interaction's one callback: a POST to its callback route, or the HTTP response body. */
  reply(callback: Callback | { type: InteractionResponseType }): Promise<void>;
  /** Replaces a deferred reply with the answer, through the interaction's webhook. */
  editOriginal(data: MessageData): Promise<void>;
}

export interface RespondOptions {
  answer: Omit<AnswerContext, 'onError'>;
  logger: Logger;
  /**
   * Past this, counted from the interaction's arrival, a slow answer is deferred (Discord drops
   * callbacks after 3 s) and sent as an edit.
   */
  deferAfterMs: number;
  /**
   * An interaction that has already waited this long when its turn comes is deferred at once and
   * its work put behind the requests still waiting: the process is behind, and only gets further
   * behind if it answers them one by one.
   */
  deferAtOnceAfterMs: number;
  /** True while the process is saturated: every interaction but autocomplete and PING is then deferred at once. */
  saturated?: () => boolean;
  /** A deferred answer that takes longer than this is replaced by "something went wrong". */
  giveUpAfterMs: number;
  /** Called once per interaction answered (or that could not be), for metrics. */
  onAnswered?: (summary: InteractionSummary, seconds: number) => void;
  /** Whether the catalog is loaded yet; none means it always is (it was loaded before serving). */
  catalog?: CatalogReadiness;
  /** While the catalog loads, autocomplete waits for it up to this long after arrival, then says it is loading. */
  autocompleteWaitMs: number;
  /** While the catalog loads, a deferred command waits for it up to this long, then says it is still loading. */
  catalogWaitMs: number;
}

/** What both adapters (gateway bot, HTTP endpoint) take to answer interactions. */
export interface AnsweringOptions {
  linkdex: () => Linkdex;
  commands: readonly BotCommand[];
  logger: Logger;
  now?: () => Date;
  /** Past this, a slow answer is deferred (Discord drops callbacks after 3 s) and sent as an edit. */
  deferAfterMs?: number;
  /** An interaction that has waited this long before its turn is deferred at once (500 ms, or `deferAfterMs` when less). */
  deferAtOnceAfterMs?: number;
  /** True while the process is saturated: interactions are then deferred at once. */
  saturated?: () => boolean;
  /** A deferred answer that takes longer than this is replaced by "something went wrong". */
  giveUpAfterMs?: number;
  /** Per-member limits on slash commands. */
  cooldowns?: Cooldowns;
  /** Called once per interaction answered (or that could not be), for metrics. */
  onAnswered?: (summary: InteractionSummary, seconds: number) => void;
  /** Whether the catalog is loaded yet, when serving starts before it is (see `CatalogGate`). */
  catalog?: CatalogReadiness;
  /** While the catalog loads, autocomplete waits for it this long after arrival (2 s: Discord allows 3). */
  autocompleteWaitMs?: number;
  /** While the catalog loads, a deferred command waits for it this long (10 min: its token lasts 15). */
  catalogWaitMs?: number;
}

/** An adapter's options as `respond()` takes them, with the defaults filled in. */
export function respondOptionsOf(options: AnsweringOptions): RespondOptions {
  return {
    answer: {
      linkdex: options.linkdex,
      commands: options.commands,
      now: options.now ?? (() => new Date()),
      services: { logger: options.logger },
      ...(options.cooldowns ? { cooldowns: options.cooldowns } : {}),
    },
    logger: options.logger,
    deferAfterMs: options.deferAfterMs ?? 2500,
    deferAtOnceAfterMs: options.deferAtOnceAfterMs ?? Math.min(500, options.deferAfterMs ?? 2500),
    giveUpAfterMs: options.giveUpAfterMs ?? 12_000,
    ...(options.onAnswered ? { onAnswered: options.onAnswered } : {}),
    ...(options.saturated ? { saturated: options.saturated } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
    autocompleteWaitMs: options.autocompleteWaitMs ?? 2000,
    catalogWaitMs: options.catalogWaitMs ?? 10 * 60 * 1000,
  };
}

const LATE = Symbol('late');

/** `work`'s result, or `LATE` after `ms`; the timer is cleared as soon as work wins, so none pile up. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A deferred reply's visibility was fixed when it was deferred; an edit cannot change it. */
function editOf(callback: Callback): MessageData {
  const data = 'data' in callback && 'embeds' in callback.data ? callback.data : somethingWentWrong();
  const body: MessageData = { ...data };
  delete body.flags;
  return body;
}

/** Work put off while the process catches up with the interactions that are waiting. */
const backlog = new Backlog();

/**
 * Answers one interaction through `transport` and logs it exactly once (command, options,
 * outcome, latency from `receivedAt`). Autocomplete and PING are answered synchronously.
 * Anything else that is not ready within `deferAfterMs` of its arrival is deferred and edited in
 * when ready, or replaced by "something went wrong" after `giveUpAfterMs`; one that has already
 * waited `deferAtOnceAfterMs`, or comes while the process is `saturated`, is deferred at once.
 * Never rejects: a transport failure is logged.
 */
export async function respond(
  interaction: APIInteraction,
  transport: Transport,
  options: RespondOptions,
  receivedAt: number = performance.now(),
): Promise<void> {
  const { logger } = options;
  const elapsedMs = () => performance.now() - receivedAt;
  const waitedMs = Math.round(elapsedMs());
  // Every line about this interaction carries its id. Bindings are made per line: a child
  // logger costs more than answering an autocomplete.
  const line = (level: 'info' | 'warn' | 'error', fields: object, msg: string) =>
    logger[level]({ interaction: interaction.id, ...fields }, msg);
  const ctx: AnswerContext = { ...options.answer, onError: (error) => line('error', { err: error }, 'handler failed') };
  const answered = (summary: InteractionSummary, extra: object = {}) => {
    // The latency is the member's: from arrival, including the time spent waiting for a turn.
    const latency = { latencyMs: Math.round(elapsedMs()), ...(waitedMs >= 1 ? { waitedMs } : {}) };
    line('info', { ...summary, ...extra, ...latency }, 'interaction');
    options.onAnswered?.(summary, elapsedMs() / 1000);
  };
  const defer = () =>
    transport.reply({
      type:
        interaction.type === InteractionType.MessageComponent
          ? InteractionResponseType.DeferredMessageUpdate
          : InteractionResponseType.DeferredChannelMessageWithSource,
    });
  /** After the deferral: the answer as an edit, or "something went wrong" if it never comes. */
  const editIn = async (work: Promise<{ callback: Callback; summary: InteractionSummary }>, extra: object) => {
    const late = await within(work, options.giveUpAfterMs);
    if (late === LATE) {
      line('error', { latencyMs: Math.round(elapsedMs()) }, 'handler ran too long; answered with an error');
      await transport.editOriginal(editOf({ type: InteractionResponseType.ChannelMessageWithSource, data: somethingWentWrong() }));
      return;
    }
    await transport.editOriginal(editOf(late.callback));
    answered(late.summary, { deferred: true, ...extra });
  };
  try {
    const catalog = options.catalog;
    if (catalog && catalog.state !== 'ready' && interaction.type !== InteractionType.Ping) {
      // Connected before the catalog was loaded: wait for it, within what each kind of interaction allows.
      const loaded = () =>
        catalog.ready.then(
          () => true as const,
          () => false as const,
        );
      if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
        const ready = catalog.state === 'loading' ? await within(loaded(), options.autocompleteWaitMs - elapsedMs()) : false;
        const { callback, summary } =
          ready === true
            ? answerAutocomplete(interaction, ctx)
            : answerAutocompleteWithoutCatalog(interaction, catalog.state === 'failed' ? 'failed' : 'loading');
        await transport.reply(callback);
        answered(summary, ready === true ? { waitedForCatalog: true } : {});
        return;
      }
      await defer();
      const ready = await within(loaded(), options.catalogWaitMs);
      if (ready === true) {
        await backlog.run(() => editIn(answerInteraction(interaction, ctx), { waitedForCatalog: true }));
        return;
      }
      const notice = ready === false ? catalogUnavailable() : catalogStillLoading();
      await transport.editOriginal(editOf({ type: InteractionResponseType.ChannelMessageWithSource, data: renderMessage(notice) }));
      answered(summarize(interaction, 'unavailable'), { deferred: true });
      return;
    }
    if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
      const { callback, summary } = answerAutocomplete(interaction, ctx);
      await transport.reply(callback);
      answered(summary);
      return;
    }
    if (interaction.type !== InteractionType.Ping && (waitedMs >= options.deferAtOnceAfterMs || options.saturated?.() === true)) {
      // Behind already: acknowledge now; answer and edit once what is waiting is acknowledged too.
      await defer();
      await backlog.run(() => editIn(answerInteraction(interaction, ctx), { deferredAtOnce: true }));
      return;
    }
    const work = answerInteraction(interaction, ctx);
    const first = interaction.type === InteractionType.Ping ? await work : await within(work, options.deferAfterMs - waitedMs);
    if (first !== LATE) {
      await transport.reply(first.callback);
      answered(first.summary);
      return;
    }
    // Too slow for the 3-second deadline: acknowledge now, edit the answer in when it is ready.
    await defer();
    await editIn(work, {});
  } catch (error) {
    // Discord refused or did not answer; nothing more can reach the member, but the bot goes on.
    line('error', { err: error, latencyMs: Math.round(elapsedMs()) }, 'could not send the answer');
    options.onAnswered?.({ ...summarize(interaction, 'error'), outcome: 'send-failed' }, elapsedMs() / 1000);
  }
}
