import type { AckAnswer, Answer } from '../answers/answer.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES, validChoice, type Choice } from '../answers/choices.js';
import {
  LOADING_CHOICE_NAME,
  slowDown,
  somethingWentWrongNotice,
  UNAVAILABLE_CHOICE_NAME,
  unknownButton,
  unknownCommand,
} from '../answers/notices.js';
import { outcomeOf } from '../answers/outcomes.js';
import { sliceWhole } from '../text.js';
import type { CommandContext, CommandInput } from '../commands/command.js';
import type { AutocompleteInteraction, Interaction } from './interaction.js';
import type { AnswerContext } from './options.js';
import { summarize, type InteractionSummary } from './summary.js';

/** What to send back, as plain data; each transport renders it its own way. */
export type Reply =
  | { kind: 'pong' }
  | { kind: 'choices'; choices: Choice[] }
  | {
      kind: 'answer';
      answer: Answer;
      /** What the answer's page buttons replay: the command and the input it answered. */
      replay?: { command: string; input: CommandInput };
      /** The answer replaces the message whose button was pressed (for everyone), instead of a new message. */
      redraw: boolean;
    };

export interface Answered {
  reply: Reply;
  summary: InteractionSummary;
}

/** At most 25 valid choices, whatever a handler returned (see `choice`); one with no value cannot be picked. */
function safeChoices(choices: readonly Choice[]): Choice[] {
  return choices
    .slice(0, MAX_CHOICES)
    .map((c) => validChoice(c))
    .filter((c) => c.value !== '');
}

function contextOf(interaction: Interaction, ctx: AnswerContext): CommandContext {
  return {
    linkdex: ctx.linkdex(),
    now: ctx.now(),
    commands: ctx.commands,
    services: ctx.services,
    caller: interaction.caller,
    place: interaction.place,
    permissions: interaction.permissions,
  };
}

/**
 * Suggestions for what a member is typing. Synchronous, because it runs on every keystroke: no
 * promise, no timer. It never fails: a handler error offers no choices (and `onError`).
 */
export function answerAutocomplete(interaction: AutocompleteInteraction, ctx: AnswerContext): Answered {
  let choices: Choice[] = [];
  try {
    const command = ctx.commands.find((c) => c.name === interaction.command);
    if (command?.autocomplete && interaction.focused) {
      choices = safeChoices(command.autocomplete(contextOf(interaction, ctx), interaction.focused, interaction.input));
    }
  } catch (error) {
    ctx.onError(error, interaction);
  }
  return { reply: { kind: 'choices', choices }, summary: summarize(interaction, 'autocomplete') };
}

const message = (answer: Answer, extra: Partial<Extract<Reply, { kind: 'answer' }>> = {}): Reply => ({
  kind: 'answer',
  answer,
  redraw: false,
  ...extra,
});

async function answerOrThrow(interaction: Exclude<Interaction, AutocompleteInteraction>, ctx: AnswerContext): Promise<Answered> {
  const answered = (answer: Answer, extra: Partial<Extract<Reply, { kind: 'answer' }>> = {}): Answered => ({
    reply: message(answer, extra),
    summary: summarize(interaction, outcomeOf(answer)),
  });
  switch (interaction.kind) {
    case 'ping':
      return { reply: { kind: 'pong' }, summary: summarize(interaction, 'answered') };
    case 'slash': {
      const member = interaction.caller.userId;
      const turn = ctx.cooldowns ? ctx.cooldowns.take(member, ctx.now().getTime(), interaction.place.guildId) : { ok: true as const };
      // Only a turn that needs the database (PostgreSQL, a server never read) is waited for.
      const allowed = turn instanceof Promise ? await turn : turn;
      if (!allowed.ok) return { reply: message(slowDown(allowed.retryAfterMs)), summary: summarize(interaction, 'cooldown') };
      const command = ctx.commands.find((c) => c.name === interaction.command);
      const answer = command ? await command.run(contextOf(interaction, ctx), interaction.input, 1) : unknownCommand(interaction.command);
      return answered(answer, { replay: { command: interaction.command, input: interaction.input } });
    }
    case 'button': {
      const { press } = interaction;
      const command = press.kind === 'stale' ? undefined : ctx.commands.find((c) => c.name === press.command);
      let answer: Answer | undefined;
      if (press.kind === 'replay' && command) answer = await command.run(contextOf(interaction, ctx), press.input, press.page);
      // Own handlers only: an action named `constructor` is no action.
      const action =
        press.kind === 'action' && command?.actions && Object.hasOwn(command.actions, press.action)
          ? command.actions[press.action]
          : undefined;
      if (press.kind === 'action' && action) answer = await action(contextOf(interaction, ctx), press.target);
      if (answer === undefined) return { reply: message(unknownButton()), summary: summarize(interaction, 'unknown-button') };
      // A redraw replaces the message for everyone; a problem (a category gone) is told to the clicker alone.
      const redraw = answer.kind !== 'notice' && answer.kind !== 'modal' && answer.kind !== 'ack';
      return answered(answer, { redraw, ...(press.kind === 'replay' ? { replay: { command: press.command, input: press.input } } : {}) });
    }
    case 'modal-submit': {
      const { form } = interaction;
      const command = form.kind === 'modal' ? ctx.commands.find((c) => c.name === form.command) : undefined;
      const handler =
        form.kind === 'modal' && command?.modals && Object.hasOwn(command.modals, form.modal) ? command.modals[form.modal] : undefined;
      if (form.kind !== 'modal' || !handler) return { reply: message(unknownButton()), summary: summarize(interaction, 'unknown-button') };
      const answer = await handler(contextOf(interaction, ctx), { target: form.target, fields: interaction.fields });
      // Discord cannot open a form in answer to a form.
      if ((answer as Answer).kind === 'modal') throw new Error(`${form.command}/${form.modal} answered a submitted form with another form`);
      return answered(answer);
    }
    case 'message-command': {
      const command = ctx.messageCommands?.find((c) => c.name === interaction.command);
      const answer = command ? await command.run(contextOf(interaction, ctx), interaction.message) : unknownCommand(interaction.command);
      return answered(answer);
    }
  }
}

/**
 * The answer to one interaction, as plain data with its log summary: the command, action, form
 * handler or message command it names is run (slash commands within the member's cooldown).
 * Errors in a handler become a private "something went wrong" (and `onError`); autocomplete
 * never fails, it offers nothing instead.
 */
export async function answerInteraction(interaction: Interaction, ctx: AnswerContext): Promise<Answered> {
  if (interaction.kind === 'autocomplete') return answerAutocomplete(interaction, ctx);
  try {
    return await answerOrThrow(interaction, ctx);
  } catch (error) {
    ctx.onError(error, interaction);
    return { reply: message(somethingWentWrongNotice()), summary: summarize(interaction, 'error') };
  }
}

/**
 * What was typed, as a choice's value: trimmed, and cut to Discord's 100 characters without an
 * ellipsis (it is searched for) or half a surrogate pair. Nothing typed is one space, since a
 * value may not be empty; commands read a blank option as no option.
 */
function typedValue(typed: string): string {
  const trimmed = typed.trim();
  if (trimmed === '') return ' ';
  if (trimmed.length <= MAX_CHOICE_LENGTH) return trimmed;
  return sliceWhole(trimmed, MAX_CHOICE_LENGTH).trimEnd();
}

/**
 * Autocomplete before there is a catalog to complete from: one honest choice, "loading" (or "could
 * not be loaded"), whose value is what the member typed, so picking it sends the command as typed,
 * answered once the catalog is there.
 */
export function autocompleteWithoutCatalog(interaction: AutocompleteInteraction, state: 'loading' | 'failed'): Answered {
  const name = state === 'loading' ? LOADING_CHOICE_NAME : UNAVAILABLE_CHOICE_NAME;
  return {
    reply: { kind: 'choices', choices: [{ name, value: typedValue(interaction.focused?.value ?? '') }] },
    summary: summarize(interaction, state === 'loading' ? 'loading' : 'unavailable'),
  };
}

/**
 * The answer that follows an acknowledgement, with how it ended. A follow-up that fails is
 * "something went wrong" (and `onError`), like any handler.
 */
export async function followUp(ack: AckAnswer, interaction: Interaction, ctx: Pick<AnswerContext, 'onError'>): Promise<Answered> {
  try {
    const answer = await ack.followUp();
    return { reply: message(answer), summary: summarize(interaction, outcomeOf(answer)) };
  } catch (error) {
    ctx.onError(error, interaction);
    return { reply: message(somethingWentWrongNotice()), summary: summarize(interaction, 'error') };
  }
}
