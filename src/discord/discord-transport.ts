import type { APIInteraction } from 'discord.js';
import { somethingWentWrongNotice } from '../answers/notices.js';
import type { Interaction } from '../serve/interaction.js';
import type { Answering } from '../serve/options.js';
import { respond, type MessageReply, type Transport } from '../serve/respond.js';
import { interactionFromApi } from './interaction-from-api.js';
import { renderMessage, type MessageData } from './render-message.js';
import { deferral, renderCallbackOrError, type Callback } from './render-reply.js';

/** How one interaction's answer reaches Discord: its one callback, and edits of the reply it opened. */
export interface DiscordIo {
  /** A POST to the interaction's callback route (gateway), or the HTTP response body (endpoint). */
  reply(callback: Callback): Promise<void>;
  /** Replaces a deferred reply with the answer, through the interaction's webhook. */
  editOriginal(data: MessageData): Promise<void>;
}

/** A deferred reply's visibility was fixed when it was deferred; an edit cannot change it. */
function editOf(reply: MessageReply): MessageData {
  const answer = reply.answer.kind === 'modal' || reply.answer.kind === 'ack' ? somethingWentWrongNotice() : reply.answer;
  const body: MessageData = { ...renderMessage(answer, reply.replay) };
  delete body.flags;
  return body;
}

/**
 * The neutral transport over Discord: replies rendered as callback bodies, deferrals, edits. A
 * reply that cannot be rendered (a form whose target is too long for a custom id) is "something
 * went wrong", and `onError`.
 */
export function discordTransport(interaction: Interaction, io: DiscordIo, onError: (error: unknown) => void): Transport {
  return {
    reply: (reply) => io.reply(renderCallbackOrError(reply, interaction, onError).callback),
    defer: (options) => io.reply(deferral(interaction, options)),
    edit: (reply) => io.editOriginal(editOf(reply)),
  };
}

/**
 * Answers one of Discord's interactions through `io` (see `respond`): read into the neutral
 * model, answered, and rendered back. Never rejects.
 */
export function respondOnDiscord(api: APIInteraction, io: DiscordIo, options: Answering, receivedAt?: number): Promise<void> {
  const interaction = interactionFromApi(api, options.commands);
  const onError = (error: unknown) => options.logger.error({ interaction: interaction.id, err: error }, 'could not render the answer');
  return respond(interaction, discordTransport(interaction, io, onError), options, receivedAt);
}
