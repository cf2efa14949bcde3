import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionType,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIModalSubmissionComponent,
} from 'discord.js';
import type { AnyCommand, ChannelRef, CommandInput, Permissions, Place, TargetMessage } from '../commands/command.js';
import type { Asker, Interaction } from '../serve/interaction.js';
import { decodeCustomId } from './custom-id.js';

/** Who asked, where, and what they may do there, as commands see it. */
export function askedBy(interaction: APIInteraction): Asker {
  const user = interaction.member?.user ?? interaction.user;
  const caller = {
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

/** The channels Discord resolved for a command's channel options, by id. */
type ResolvedChannels = Readonly<Record<string, { type?: unknown } | undefined>> | undefined;

function channelKind(type: unknown): ChannelRef['kind'] {
  if (type === ChannelType.GuildText) return 'text';
  if (type === ChannelType.GuildAnnouncement) return 'announcement';
  return type === undefined ? 'unknown' : 'other';
}

/**
 * A slash command's options as input, and the one being typed when it is an autocomplete request.
 * A subcommand's name is `input.subcommand`, its options are read as the command's.
 */
export function optionsOf(
  raw: readonly APIApplicationCommandInteractionDataOption[] | undefined,
  channels?: ResolvedChannels,
): {
  input: CommandInput;
  focused?: { name: string; value: string };
} {
  const input: CommandInput = {};
  let focused: { name: string; value: string } | undefined;
  const read = (options: unknown, depth: number) => {
    for (const option of Array.isArray(options) ? (options as APIApplicationCommandInteractionDataOption[]) : []) {
      if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
        if (depth === 0) {
          input['subcommand'] = option.name;
          read(option.options, depth + 1);
        }
        continue;
      }
      if (option.type === ApplicationCommandOptionType.Boolean) input[option.name] = option.value;
      else if (option.type === ApplicationCommandOptionType.String) input[option.name] = option.value;
      // While typed (autocomplete), a number may still be text.
      else if (option.type === ApplicationCommandOptionType.Integer && typeof option.value === 'number') input[option.name] = option.value;
      else if (option.type === ApplicationCommandOptionType.Channel) {
        const id = String(option.value);
        input[option.name] = { id, kind: channelKind(channels?.[id]?.type) };
      } else if ('value' in option) input[option.name] = String(option.value);
      if ('focused' in option && option.focused) focused = { name: option.name, value: String(option.value) };
    }
  };
  read(raw, 0);
  return focused ? { input, focused } : { input };
}

/** Each text field's value by its id, from forms sent as labels (today's) or as action rows (older clients). */
function fieldsOf(components: readonly APIModalSubmissionComponent[] | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  const take = (c: { type: ComponentType; custom_id?: string; value?: unknown }) => {
    // Own keys only, so a field named `__proto__` cannot reach the prototype.
    if (c.type === ComponentType.TextInput && typeof c.custom_id === 'string' && typeof c.value === 'string') {
      Object.defineProperty(fields, c.custom_id, { value: c.value, enumerable: true, writable: true, configurable: true });
    }
  };
  for (const component of Array.isArray(components) ? components : []) {
    if (component.type === ComponentType.Label) take(component.component);
    else if (component.type === ComponentType.ActionRow) for (const c of component.components ?? []) take(c);
  }
  return fields;
}

function targetMessageOf(interaction: APIInteraction & { type: InteractionType.ApplicationCommand }): TargetMessage | undefined {
  if (interaction.data.type !== ApplicationCommandType.Message) return undefined;
  const message = interaction.data.resolved?.messages?.[interaction.data.target_id];
  return message ? { id: message.id, content: message.content ?? '', authorId: message.author?.id ?? 'unknown' } : undefined;
}

function translate(interaction: APIInteraction, commands: readonly AnyCommand[]): Interaction {
  const common = { id: interaction.id, ...askedBy(interaction) };
  switch (interaction.type) {
    case InteractionType.Ping:
      return { ...common, kind: 'ping' };
    case InteractionType.ApplicationCommandAutocomplete: {
      const { input, focused } = optionsOf(interaction.data.options);
      return { ...common, kind: 'autocomplete', command: interaction.data.name, input, focused };
    }
    case InteractionType.ApplicationCommand: {
      const message = targetMessageOf(interaction);
      if (message) return { ...common, kind: 'message-command', command: interaction.data.name, message };
      const { data } = interaction;
      const raw = 'options' in data ? data.options : undefined;
      const channels = 'resolved' in data && data.resolved && 'channels' in data.resolved ? data.resolved.channels : undefined;
      return { ...common, kind: 'slash', command: data.name, input: optionsOf(raw, channels).input };
    }
    case InteractionType.MessageComponent: {
      const customId = interaction.data.custom_id;
      const decoded = interaction.data.component_type === ComponentType.Button ? decodeCustomId(customId, commands) : undefined;
      const press = decoded?.kind === 'replay' || decoded?.kind === 'action' ? decoded : { kind: 'stale' as const };
      return { ...common, kind: 'button', press, customId: String(customId) };
    }
    case InteractionType.ModalSubmit: {
      const customId = interaction.data.custom_id;
      const decoded = decodeCustomId(customId, commands);
      const form = decoded.kind === 'modal' ? decoded : { kind: 'stale' as const };
      return { ...common, kind: 'modal-submit', form, fields: fieldsOf(interaction.data.components), customId: String(customId) };
    }
  }
  // A kind Discord added since: answered as a button that no longer works.
  throw new Error(`unknown interaction type ${String((interaction as { type: unknown }).type)}`);
}

/**
 * Discord's interaction as the bot answers it. A custom id is decoded against `commands` (an id
 * naming a command or handler that is gone is `stale`). Never throws: a payload that is not what
 * its type promises (a kind Discord added since, a field missing) is answered as a stale button.
 */
export function interactionFromApi(interaction: APIInteraction, commands: readonly AnyCommand[]): Interaction {
  try {
    return translate(interaction, commands);
  } catch {
    const id = typeof interaction.id === 'string' ? interaction.id : 'unknown';
    return {
      id,
      caller: { userId: 'unknown', displayName: 'someone', locale: 'en-US' },
      place: { guildId: null, channelId: null, inDm: false },
      permissions: { manageServer: false, sendMessages: false },
      kind: 'button',
      press: { kind: 'stale' },
      customId: '',
    };
  }
}
