import type { AckAnswer } from '../answers/answer.js';
import { catalogStillLoading, catalogUnavailable, somethingWentWrongNotice } from '../answers/notices.js';
import {
  answerAutocomplete,
  answerInteraction,
  autocompleteWithoutCatalog,
  followUp,
  type Answered,
  type Reply,
} from './answer-interaction.js';
import { Backlog } from './backlog.js';
import type { Interaction } from './interaction.js';
import type { AnswerContext, Answering } from './options.js';
import { summarize, type InteractionSummary } from './summary.js';
import { LATE, within } from './within.js';

/** A message reply, the only kind an edit can carry. */
export type MessageReply = Extract<Reply, { kind: 'answer' }>;

/** How a reply reaches the member; the gateway bot and the HTTP endpoint differ only here. */
export interface Transport {
  /** The interaction's one reply: a pong, choices, a message, a form, or an acknowledgement. */
  reply(reply: Reply): Promise<void>;
  /** Acknowledges now (privately if asked); the answer follows through `edit`. */
  defer(options?: { ephemeral?: boolean }): Promise<void>;
  /** Replaces the acknowledgement with the answer. */
  edit(reply: MessageReply): Promise<void>;
}

const somethingWentWrong: MessageReply = { kind: 'answer', answer: somethingWentWrongNotice(), redraw: false };

/** Work put off while the process catches up with the interactions that are waiting. */
const backlog = new Backlog();

const ackOf = (answered: Answered): AckAnswer | undefined =>
  answered.reply.kind === 'answer' && answered.reply.answer.kind === 'ack' ? answered.reply.answer : undefined;

/**
 * Answers one interaction through `transport` and logs it exactly once (command, options,
 * outcome, latency from `receivedAt`). Autocomplete and PING are answered synchronously.
 * Anything else that is not ready within `deferAfterMs` of its arrival is deferred and edited in
 * when ready, or replaced by "something went wrong" after `giveUpAfterMs`; one that has already
 * waited `deferAtOnceAfterMs`, or comes while the process is `saturated`, is deferred at once. An
 * acknowledgement is a deferral whose edit is its follow-up's answer. Never rejects: a transport
 * failure is logged.
 */
export async function respond(
  interaction: Interaction,
  transport: Transport,
  options: Answering,
  receivedAt: number = performance.now(),
): Promise<void> {
  const { logger } = options;
  const elapsedMs = () => performance.now() - receivedAt;
  const waitedMs = Math.round(elapsedMs());
  // Every line about this interaction carries its id. Bindings are made per line: a child
  // logger costs more than answering an autocomplete.
  const line = (level: 'info' | 'warn' | 'error', fields: object, msg: string) =>
    logger[level]({ interaction: interaction.id, ...fields }, msg);
  const ctx: AnswerContext = { ...options, onError: (error) => line('error', { err: error }, 'handler failed') };
  const answered = (summary: InteractionSummary, extra: object = {}) => {
    // The latency is the member's: from arrival, including the time spent waiting for a turn.
    const latency = { latencyMs: Math.round(elapsedMs()), ...(waitedMs >= 1 ? { waitedMs } : {}) };
    line('info', { ...summary, ...extra, ...latency }, 'interaction');
    options.onAnswered?.(summary, elapsedMs() / 1000);
  };
  /** The answer, and an acknowledgement's follow-up too: what an edit after a deferral shows. */
  const answerInFull = async (): Promise<Answered> => {
    const first = await answerInteraction(interaction, ctx);
    const ack = ackOf(first);
    return ack ? followUp(ack, interaction, ctx) : first;
  };
  /** After the deferral: the answer as an edit, or "something went wrong" if it never comes. */
  const editIn = async (work: Promise<Answered>, extra: object) => {
    const late = await within(work, options.giveUpAfterMs);
    if (late === LATE) {
      line('error', { latencyMs: Math.round(elapsedMs()) }, 'handler ran too long; answered with an error');
      await transport.edit(somethingWentWrong);
      return;
    }
    if (late.reply.kind !== 'answer' || late.reply.answer.kind === 'modal') {
      // A form opens only as the first reply, and Discord has had the deferral.
      line('error', {}, 'a form cannot follow a deferral; answered with an error');
      await transport.edit(somethingWentWrong);
      answered(summarize(interaction, 'error'), { deferred: true, ...extra });
      return;
    }
    await transport.edit(late.reply);
    answered(late.summary, { deferred: true, ...extra });
  };
  try {
    const catalog = options.catalog;
    if (catalog && catalog.state !== 'ready' && interaction.kind !== 'ping') {
      // Connected before the catalog was loaded: wait for it, within what each kind of interaction allows.
      const loaded = () =>
        catalog.ready.then(
          () => true as const,
          () => false as const,
        );
      if (interaction.kind === 'autocomplete') {
        const ready = catalog.state === 'loading' ? await within(loaded(), options.autocompleteWaitMs - elapsedMs()) : false;
        const { reply, summary } =
          ready === true
            ? answerAutocomplete(interaction, ctx)
            : autocompleteWithoutCatalog(interaction, catalog.state === 'failed' ? 'failed' : 'loading');
        await transport.reply(reply);
        answered(summary, ready === true ? { waitedForCatalog: true } : {});
        return;
      }
      await transport.defer();
      const ready = await within(loaded(), options.catalogWaitMs);
      if (ready === true) {
        await backlog.run(() => editIn(answerInFull(), { waitedForCatalog: true }));
        return;
      }
      const notice = ready === false ? catalogUnavailable() : catalogStillLoading();
      await transport.edit({ kind: 'answer', answer: notice, redraw: false });
      answered(summarize(interaction, 'unavailable'), { deferred: true });
      return;
    }
    if (interaction.kind === 'autocomplete') {
      const { reply, summary } = answerAutocomplete(interaction, ctx);
      await transport.reply(reply);
      answered(summary);
      return;
    }
    if (interaction.kind !== 'ping' && (waitedMs >= options.deferAtOnceAfterMs || options.saturated?.() === true)) {
      // Behind already: acknowledge now; answer and edit once what is waiting is acknowledged too.
      await transport.defer();
      await backlog.run(() => editIn(answerInFull(), { deferredAtOnce: true }));
      return;
    }
    const work = answerInteraction(interaction, ctx);
    const first = interaction.kind === 'ping' ? await work : await within(work, options.deferAfterMs - waitedMs);
    if (first === LATE) {
      // Too slow for the 3-second deadline: acknowledge now, edit the answer in when it is ready.
      await transport.defer();
      await editIn(
        work.then((w) => {
          const ack = ackOf(w);
          return ack ? followUp(ack, interaction, ctx) : w;
        }),
        {},
      );
      return;
    }
    const ack = ackOf(first);
    if (ack) {
      // "Received": acknowledged now, the follow-up's answer edited in when it is ready.
      await transport.defer({ ephemeral: ack.ephemeral });
      await editIn(followUp(ack, interaction, ctx), { acknowledged: true });
      return;
    }
    await transport.reply(first.reply);
    answered(first.summary);
  } catch (error) {
    // The member could not be reached (Discord refused or did not answer), but the bot goes on.
    line('error', { err: error, latencyMs: Math.round(elapsedMs()) }, 'could not send the answer');
    options.onAnswered?.(summarize(interaction, 'send-failed'), elapsedMs() / 1000);
  }
}
