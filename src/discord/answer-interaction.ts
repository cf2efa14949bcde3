import type { APIInteraction } from 'discord.js';
import { answerInteraction as answerNeutral, type Answered } from '../serve/answer-interaction.js';
import type { AnswerContext } from '../serve/options.js';
import { summarize, type InteractionSummary } from '../serve/summary.js';
import type { Interaction } from '../serve/interaction.js';
import { interactionFromApi } from './interaction-from-api.js';
import { renderCallbackOrError, type Callback } from './render-reply.js';

export type { Callback } from './render-reply.js';

/** The callback body for what was answered (see `renderCallbackOrError`). */
function callbackOf(
  answered: Answered,
  interaction: Interaction,
  onError: AnswerContext['onError'],
): { callback: Callback; summary: InteractionSummary } {
  const { callback, failed } = renderCallbackOrError(answered.reply, interaction, (error) => onError(error, interaction));
  return { callback, summary: failed ? summarize(interaction, 'error') : answered.summary };
}

/**
 * The whole answer to one of Discord's interactions, as the callback body Discord expects: the
 * payload is read into the neutral model, answered (`src/serve/answer-interaction.ts`), and the
 * reply rendered. Errors in a handler become an ephemeral "something went wrong" (and `onError`).
 * No deferral, no follow-up: `respondOnDiscord` (discord-transport.ts) is what the bot serves with;
 * this one-shot form is for checking payloads.
 */
export async function answerInteraction(
  interaction: APIInteraction,
  ctx: AnswerContext,
): Promise<{ callback: Callback; summary: InteractionSummary }> {
  const neutral = interactionFromApi(interaction, ctx.commands);
  return callbackOf(await answerNeutral(neutral, ctx), neutral, ctx.onError);
}
