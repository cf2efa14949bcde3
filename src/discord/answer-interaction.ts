import {
  ApplicationCommandOptionType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  PermissionFlagsBits,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIInteraction,
} from 'discord.js';
import type { Answer } from '../answers/answer.js';
import { MAX_CHOICE_LENGTH, MAX_CHOICES } from '../answers/choices.js';
import { LOADING_CHOICE_NAME, slowDown, UNAVAILABLE_CHOICE_NAME, unknownButton, unknownCommand } from '../answers/notices.js';
import { outcomeOf } from '../answers/outcomes.js';
import type { AnyCommand, Caller, Choice, CommandContext, CommandInput, CommandServices, Permissions, Place } from '../commands/command.js';
import type { Linkdex } from '../linkdex.js';
import { truncate } from '../text.js';
import type { Cooldowns } from './cooldowns.js';
import { decodeCustomId } from './custom-id.js';
import { renderMessage, somethingWentWrong, type MessageData } from './render-message.js';

export type BotCommand = AnyCommand;

export type Callback =
  | { type: InteractionResponseType.Pong }
  | { type: InteractionResponseType.ChannelMessageWithSource | InteractionResponseType.UpdateMessage; data: MessageData }
  | { type: InteractionResponseType.ApplicationCommandAutocompleteResult; data: { choices: Choice[] } };

export interface AnswerContext {
  linkdex: () => Linkdex;
  commands: readonly BotCommand[];
  now: () => Date;
  /** Called with every error a handler threw; the member sees only "something went wrong". */
  onError: (error: unknown, interaction: APIInteraction) => void;
  /** Slash commands per member; autocomplete and buttons are never limited. */
  cooldowns?: Cooldowns;
  services: CommandServices;
}

/** Who asked, where, and what they may do there, as commands see it. */
export function askedBy(interaction: APIInteraction): { caller: Caller; place: Place; permissions: Permissions } {
  const user = interaction.member?.user ?? interaction.user;
  const caller: Caller = {
    userId: user?.id ?? 'unknown',
    displayName: interaction.member?.nick ?? user?.global_name ?? user?.username ?? 'someone',
    locale: 'locale' in interaction && interaction.locale ? interaction.locale : 'en-US',
  };
  const guildId = interaction.guild_id ?? null;
  const place: Place = { guildId, channelId: interaction.channel?.id ?? null, inDm: guildId === null };
  // Outside a server there is no member: nothing to manage, and a DM is one's own to write in.
  const bits = interaction.member?.permissions ? BigInt(interaction.member.permissions) : undefined;
  const permissions: Permissions =
    bits === undefined
      ? { manageServer: false, sendMessages: guildId === null }
      : {
          manageServer: (bits & PermissionFlagsBits.ManageGuild) !== 0n || (bits & PermissionFlagsBits.Administrator) !== 0n,
          sendMessages: (bits & PermissionFlagsBits.SendMessages) !== 0n || (bits & PermissionFlagsBits.Administrator) !== 0n,
        };
  return { caller, place, permissions };
}

/** What is logged about an interaction: its command, a short view of its options, and how it ended. */
export interface InteractionSummary {
  command: string;
  options: Record<string, string>;
  outcome:
    | 'answered'
    | 'not-found'
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

function optionsOf(raw: readonly APIApplicationCommandInteractionDataBasicOption[] | undefined): {
  input: CommandInput;
  focused?: { name: string; value: string };
} {
  const input: CommandInput = {};
  let focused: { name: string; value: string } | undefined;
  for (const option of raw ?? []) {
    if (option.type === ApplicationCommandOptionType.Boolean) input[option.name] = option.value;
    else if (option.type === ApplicationCommandOptionType.String) input[option.name] = option.value;
    else if ('value' in option) input[option.name] = String(option.value);
    if ('focused' in option && option.focused) focused = { name: option.name, value: String(option.value) };
  }
  return focused ? { input, focused } : { input };
}

/** Discord rejects a whole autocomplete answer for one bad choice, so each is made valid here too. */
function safeChoices(choices: readonly Choice[]): Choice[] {
  return choices
    .slice(0, MAX_CHOICES)
    .map((c) => ({ name: truncate(c.name, MAX_CHOICE_LENGTH) || '…', value: truncate(c.value, MAX_CHOICE_LENGTH) }))
    .filter((c) => c.value !== '');
}

export function summarize(interaction: APIInteraction, outcome: InteractionSummary['outcome']): InteractionSummary {
  const options: Record<string, string> = {};
  let command = 'unknown';
  if (interaction.type === InteractionType.Ping) command = 'ping';
  else if (interaction.type === InteractionType.ApplicationCommand || interaction.type === InteractionType.ApplicationCommandAutocomplete) {
    command = interaction.data.name;
    const raw =
      'options' in interaction.data
        ? (interaction.data.options as APIApplicationCommandInteractionDataBasicOption[] | undefined)
        : undefined;
    for (const o of raw ?? []) if ('value' in o) options[o.name] = truncate(String(o.value), 80);
  } else if (interaction.type === InteractionType.MessageComponent) {
    command = 'button';
    options['custom_id'] = truncate(interaction.data.custom_id, 100);
  }
  return { command, options, outcome };
}

/**
 * Suggestions for what a member is typing. Synchronous, because it runs on every keystroke: no
 * promise, no timer. It never fails: a handler error offers no choices (and `onError`).
 */
export function answerAutocomplete(
  interaction: APIApplicationCommandAutocompleteInteraction,
  ctx: AnswerContext,
): { callback: Callback; summary: InteractionSummary } {
  let choices: Choice[] = [];
  try {
    const command = ctx.commands.find((c) => c.name === interaction.data.name);
    const { input, focused } = optionsOf(interaction.data.options as APIApplicationCommandInteractionDataBasicOption[] | undefined);
    if (command?.autocomplete && focused) {
      const context: CommandContext = {
        linkdex: ctx.linkdex(),
        now: ctx.now(),
        commands: ctx.commands,
        services: ctx.services,
        ...askedBy(interaction),
      };
      choices = safeChoices(command.autocomplete(context, focused, input));
    }
  } catch (error) {
    ctx.onError(error, interaction);
  }
  return {
    callback: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
    summary: summarize(interaction, 'autocomplete'),
  };
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
  const code = trimmed.charCodeAt(MAX_CHOICE_LENGTH - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? MAX_CHOICE_LENGTH - 1 : MAX_CHOICE_LENGTH;
  return trimmed.slice(0, end).trimEnd();
}

/**
 * Autocomplete before there is a catalog to complete from: one honest choice, "loading" (or "could
 * not be loaded"), whose value is what the member typed, so picking it sends the command as typed,
 * answered once the catalog is there.
 */
export function answerAutocompleteWithoutCatalog(
  interaction: APIApplicationCommandAutocompleteInteraction,
  state: 'loading' | 'failed',
): { callback: Callback; summary: InteractionSummary } {
  const { focused } = optionsOf(interaction.data.options as APIApplicationCommandInteractionDataBasicOption[] | undefined);
  const name = state === 'loading' ? LOADING_CHOICE_NAME : UNAVAILABLE_CHOICE_NAME;
  return {
    callback: {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name, value: typedValue(focused?.value ?? '') }] },
    },
    summary: summarize(interaction, state === 'loading' ? 'loading' : 'unavailable'),
  };
}

/**
 * The whole answer to one interaction, as the callback body Discord expects. Errors in a handler
 * become an ephemeral "something went wrong" (and `onError`); autocomplete never fails, it offers
 * nothing instead.
 */
export async function answerInteraction(
  interaction: APIInteraction,
  ctx: AnswerContext,
): Promise<{ callback: Callback; summary: InteractionSummary }> {
  const context = (): CommandContext => ({
    linkdex: ctx.linkdex(),
    now: ctx.now(),
    commands: ctx.commands,
    services: ctx.services,
    ...askedBy(interaction),
  });

  if (interaction.type === InteractionType.Ping)
    return { callback: { type: InteractionResponseType.Pong }, summary: summarize(interaction, 'answered') };

  if (interaction.type === InteractionType.ApplicationCommandAutocomplete) return answerAutocomplete(interaction, ctx);

  try {
    if (interaction.type === InteractionType.ApplicationCommand) {
      const member = interaction.member?.user.id ?? interaction.user?.id;
      const allowed = ctx.cooldowns && member ? ctx.cooldowns.take(member, ctx.now().getTime()) : { ok: true as const };
      if (!allowed.ok) {
        return {
          callback: { type: InteractionResponseType.ChannelMessageWithSource, data: renderMessage(slowDown(allowed.retryAfterMs)) },
          summary: summarize(interaction, 'cooldown'),
        };
      }
      const command = ctx.commands.find((c) => c.name === interaction.data.name);
      const { input } = optionsOf(
        'options' in interaction.data ? (interaction.data.options as APIApplicationCommandInteractionDataBasicOption[]) : undefined,
      );
      const answer: Answer = command ? await command.run(context(), input, 1) : unknownCommand(interaction.data.name);
      return {
        callback: {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: renderMessage(answer, { command: interaction.data.name, input }),
        },
        summary: summarize(interaction, outcomeOf(answer)),
      };
    }

    if (interaction.type === InteractionType.MessageComponent && interaction.data.component_type === ComponentType.Button) {
      const decoded = decodeCustomId(interaction.data.custom_id, ctx.commands);
      const command = decoded.kind === 'replay' ? ctx.commands.find((c) => c.name === decoded.command) : undefined;
      const answer = decoded.kind === 'replay' && command ? await command.run(context(), decoded.input, decoded.page) : unknownButton();
      // A redraw replaces the message for everyone; a problem (a category gone) is told to the clicker alone.
      const type = answer.kind === 'notice' ? InteractionResponseType.ChannelMessageWithSource : InteractionResponseType.UpdateMessage;
      const replay = decoded.kind === 'replay' ? { command: decoded.command, input: decoded.input } : undefined;
      return {
        callback: { type, data: renderMessage(answer, replay) },
        summary: summarize(interaction, replay ? outcomeOf(answer) : 'unknown-button'),
      };
    }

    return {
      callback: { type: InteractionResponseType.ChannelMessageWithSource, data: renderMessage(unknownButton()) },
      summary: summarize(interaction, 'unknown-button'),
    };
  } catch (error) {
    ctx.onError(error, interaction);
    return {
      callback: { type: InteractionResponseType.ChannelMessageWithSource, data: somethingWentWrong() },
      summary: summarize(interaction, 'error'),
    };
  }
}
