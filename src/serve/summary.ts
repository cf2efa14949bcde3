import type { AnswerOutcome } from '../answers/outcomes.js';
import { truncate } from '../text.js';
import type { Interaction } from './interaction.js';

/** What is logged about an interaction: its command, a short view of its options, and how it ended. */
export interface InteractionSummary {
  command: string;
  options: Record<string, string>;
  outcome:
    | AnswerOutcome
    | 'error'
    | 'autocomplete'
    | 'unknown-button'
    | 'cooldown'
    | 'send-failed'
    /** Autocomplete answered with the one "loading" choice: the catalog was not loaded in time. */
    | 'loading'
    /** Answered with a notice because the first catalog load failed (or has not ended in time). */
    | 'unavailable';
}

export function summarize(interaction: Interaction, outcome: InteractionSummary['outcome']): InteractionSummary {
  const options: Record<string, string> = {};
  switch (interaction.kind) {
    case 'ping':
      return { command: 'ping', options, outcome };
    case 'slash':
    case 'autocomplete':
      for (const [name, value] of Object.entries(interaction.input)) {
        if (value !== undefined) options[name] = truncate(String(value), 80);
      }
      return { command: interaction.command, options, outcome };
    case 'button':
      return { command: 'button', options: { custom_id: truncate(interaction.customId, 100) }, outcome };
    case 'modal-submit':
      return { command: 'modal', options: { custom_id: truncate(interaction.customId, 100) }, outcome };
    case 'message-command':
      return { command: interaction.command, options: { message: interaction.message.id }, outcome };
  }
}
