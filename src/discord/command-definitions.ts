import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { ChannelKind, Command, MessageCommand, OptionSpec } from '../commands/command.js';

const CHANNEL_TYPES: Readonly<Record<ChannelKind, ChannelType.GuildText | ChannelType.GuildAnnouncement>> = {
  text: ChannelType.GuildText,
  announcement: ChannelType.GuildAnnouncement,
};

/**
 * Manage Server, as a number: Discord's OpenAPI schema types the request's bit set as an integer
 * (it also takes the string discord.js's types promise), and every body we send is checked
 * against that schema.
 */
const MANAGE_SERVER = Number(PermissionFlagsBits.ManageGuild) as unknown as string;

/** One option with a value, as Discord's command JSON describes it. */
function basicOption(o: OptionSpec): APIApplicationCommandBasicOption {
  const common = { name: o.name, description: o.description, required: o.required ?? false };
  switch (o.type) {
    case 'boolean':
      return { type: ApplicationCommandOptionType.Boolean, ...common };
    case 'integer':
      return {
        type: ApplicationCommandOptionType.Integer,
        ...common,
        ...(o.min === undefined ? {} : { min_value: o.min }),
        ...(o.max === undefined ? {} : { max_value: o.max }),
      };
    case 'channel':
      return {
        type: ApplicationCommandOptionType.Channel,
        ...common,
        ...(o.channelKinds ? { channel_types: o.channelKinds.map((k) => CHANNEL_TYPES[k]) } : {}),
      };
    case 'subcommand':
      throw new Error(`subcommand ${o.name} is inside another subcommand: Discord's subcommands nest one level here`);
    case 'string':
      return { type: ApplicationCommandOptionType.String, ...common, autocomplete: o.autocomplete ?? false, max_length: 200 };
  }
}

function option(o: OptionSpec): APIApplicationCommandOption {
  if (o.type !== 'subcommand') return basicOption(o);
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: o.name,
    description: o.description,
    options: (o.options ?? []).map(basicOption),
  };
}

/**
 * The registries as Discord's bulk-overwrite body: one chat-input command per command, then one
 * message command (type 3, in a message's "Apps" menu) per message command. A command for those
 * who manage a server is hidden from other members until the server's admins say otherwise; a
 * server-only command is not offered in DMs.
 */
export function commandDefinitions(
  commands: readonly Pick<Command, 'name' | 'description' | 'options' | 'defaultPermission' | 'guildOnly'>[],
  messageCommands: readonly Pick<MessageCommand, 'name'>[] = [],
): RESTPutAPIApplicationCommandsJSONBody {
  const slash: RESTPutAPIApplicationCommandsJSONBody = commands.map((command) => ({
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
    options: command.options.map(option),
    ...(command.defaultPermission === 'manage-server' ? { default_member_permissions: MANAGE_SERVER } : {}),
    ...(command.guildOnly ? { contexts: [InteractionContextType.Guild] } : {}),
  }));
  return [...slash, ...messageCommands.map((command) => ({ type: ApplicationCommandType.Message as const, name: command.name }))];
}
