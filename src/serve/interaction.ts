import type { Caller, CommandInput, Permissions, Place, TargetMessage } from '../commands/command.js';

/**
 * One interaction as the bot answers it, whatever carried it: plain data, no transport's types.
 * Transports translate their payloads into this (`src/discord/interaction-from-api.ts`), and
 * `answerInteraction` (`./answer-interaction.ts`) answers it.
 */
export type Interaction =
  SlashInteraction | AutocompleteInteraction | ButtonInteraction | ModalSubmitInteraction | MessageCommandInteraction | PingInteraction;

/** Who asked, where, and what they may do there: what every command's context carries. */
export interface Asker {
  caller: Caller;
  place: Place;
  permissions: Permissions;
}

interface Common extends Asker {
  /** The transport's id for it, on every log line about it. */
  id: string;
}

export interface SlashInteraction extends Common {
  kind: 'slash';
  command: string;
  input: CommandInput;
}

export interface AutocompleteInteraction extends Common {
  kind: 'autocomplete';
  command: string;
  input: CommandInput;
  /** The option being typed, and what has been typed so far. */
  focused: { name: string; value: string } | undefined;
}

/** A button that redraws a command's answer: the command again, with the input and page it carries. */
export interface ReplayPress {
  kind: 'replay';
  command: string;
  input: CommandInput;
  page: number;
}

/** A button that acts on something (approve a suggestion): the command's action, and its target's id. */
export interface ActionPress {
  kind: 'action';
  command: string;
  action: string;
  target: string;
}

/** The form a submission belongs to: the command's modal, and what the form is about. */
export interface ModalForm {
  kind: 'modal';
  command: string;
  modal: string;
  target: string;
}

/** An id that is not (or no longer) ours: an old message's button, a removed command or action. */
export interface Stale {
  kind: 'stale';
}

export interface ButtonInteraction extends Common {
  kind: 'button';
  press: ReplayPress | ActionPress | Stale;
  /** The id as it came, for the log only. */
  customId: string;
}

export interface ModalSubmitInteraction extends Common {
  kind: 'modal-submit';
  form: ModalForm | Stale;
  /** Each field's value by its id; a field left empty is the empty string. */
  fields: Readonly<Record<string, string>>;
  customId: string;
}

export interface MessageCommandInteraction extends Common {
  kind: 'message-command';
  command: string;
  message: TargetMessage;
}

/** Discord's check that an HTTP endpoint is alive. */
export interface PingInteraction extends Common {
  kind: 'ping';
}
