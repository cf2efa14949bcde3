import {
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  TextInputStyle,
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { ModalAnswer } from '../answers/answer.js';
import { somethingWentWrongNotice } from '../answers/notices.js';
import type { Choice } from '../answers/choices.js';
import type { Reply } from '../serve/answer-interaction.js';
import type { Interaction } from '../serve/interaction.js';
import { truncate, withoutHiddenCharacters } from '../text.js';
import { encodeModalId } from './custom-id.js';
import { renderMessage, type MessageData } from './render-message.js';

/** Every callback body the bot sends Discord. */
export type Callback =
  | { type: InteractionResponseType.Pong }
  | { type: InteractionResponseType.ChannelMessageWithSource | InteractionResponseType.UpdateMessage; data: MessageData }
  | { type: InteractionResponseType.ApplicationCommandAutocompleteResult; data: { choices: Choice[] } }
  | { type: InteractionResponseType.Modal; data: APIModalInteractionResponseCallbackData }
  | { type: InteractionResponseType.DeferredChannelMessageWithSource; data?: { flags: number } }
  | { type: InteractionResponseType.DeferredMessageUpdate };

/** Discord's limits on a form: a title and labels of 45 characters, five inputs, 4,000 characters of text. */
const MODAL_TITLE = 45;
const MODAL_INPUTS = 5;
const LABEL = 45;
const PLACEHOLDER = 100;
const TEXT = 4000;

const plain = (text: string, max: number) => truncate(withoutHiddenCharacters(text), max) || '…';
const clamp = (n: number | undefined, min: number, max: number) =>
  n === undefined ? undefined : Math.min(max, Math.max(min, Math.floor(n)));

/** A form as Discord's modal: each field a text input inside a Label (Discord's layout for forms since 2025). */
export function renderModal(answer: ModalAnswer): APIModalInteractionResponseCallbackData {
  const components: APILabelComponent[] = answer.fields.slice(0, MODAL_INPUTS).map((field, i) => {
    const minLength = clamp(field.minLength, 0, TEXT);
    const maxLength = clamp(field.maxLength, 1, TEXT);
    return {
      type: ComponentType.Label,
      label: plain(field.label, LABEL),
      component: {
        type: ComponentType.TextInput,
        custom_id: field.id.slice(0, 100) || `field-${i}`,
        style: field.style === 'paragraph' ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: field.required,
        ...(field.value !== undefined ? { value: truncate(field.value, maxLength ?? TEXT) } : {}),
        ...(field.placeholder !== undefined ? { placeholder: plain(field.placeholder, PLACEHOLDER) } : {}),
        ...(minLength !== undefined ? { min_length: minLength } : {}),
        ...(maxLength !== undefined ? { max_length: maxLength } : {}),
      },
    };
  });
  return {
    custom_id: encodeModalId({ command: answer.command, modal: answer.modal, target: answer.target }),
    title: plain(answer.title, MODAL_TITLE),
    components,
  };
}

/** A deferral: the answer follows as an edit (a redraw of the pressed message, or the reply, private if asked). */
export function deferral(interaction: Interaction, options: { ephemeral?: boolean } = {}): Callback {
  if (interaction.kind === 'button' && !options.ephemeral) return { type: InteractionResponseType.DeferredMessageUpdate };
  return {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    ...(options.ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}),
  };
}

/**
 * A reply as the callback body Discord expects for `interaction`. An acknowledgement is a
 * deferral, whose edit is its follow-up's answer (see `respond`).
 */
export function renderCallback(reply: Reply, interaction: Interaction): Callback {
  switch (reply.kind) {
    case 'pong':
      return { type: InteractionResponseType.Pong };
    case 'choices':
      return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: reply.choices } };
    case 'answer': {
      const { answer } = reply;
      if (answer.kind === 'modal') return { type: InteractionResponseType.Modal, data: renderModal(answer) };
      if (answer.kind === 'ack') return deferral(interaction, { ephemeral: answer.ephemeral });
      return {
        type: reply.redraw ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource,
        data: renderMessage(answer, reply.replay),
      };
    }
  }
}

/**
 * `renderCallback`, or a private "something went wrong" (and `onError`) for a reply that cannot
 * be rendered, such as a form whose target is too long for a custom id.
 */
export function renderCallbackOrError(
  reply: Reply,
  interaction: Interaction,
  onError: (error: unknown) => void,
): { callback: Callback; failed: boolean } {
  try {
    return { callback: renderCallback(reply, interaction), failed: false };
  } catch (error) {
    onError(error);
    return { callback: renderCallback({ kind: 'answer', answer: somethingWentWrongNotice(), redraw: false }, interaction), failed: true };
  }
}
