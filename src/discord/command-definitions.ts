import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Command, MessageCommand } from '../commands/command.js';

/**
 * The registries as Discord's bulk-overwrite body: one chat-input command per command, then one
 * message command (type 3, in a message's "Apps" menu) per message command.
 */
export function commandDefinitions(
  commands: readonly Pick<Command, 'name' | 'description' | 'options'>[],
  messageCommands: readonly Pick<MessageCommand, 'name'>[] = [],
): RESTPutAPIApplicationCommandsJSONBody {
  const slash: RESTPutAPIApplicationCommandsJSONBody = commands.map((command) => ({
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
    options: command.options.map((o) =>
      o.type === 'boolean'
        ? { type: ApplicationCommandOptionType.Boolean, name: o.name, description: o.description, required: o.required ?? false }
        : {
            type: ApplicationCommandOptionType.String,
            name: o.name,
            description: o.description,
            required: o.required ?? false,
            autocomplete: o.autocomplete ?? false,
            max_length: 200,
          },
    ),
  }));
  return [...slash, ...messageCommands.map((command) => ({ type: ApplicationCommandType.Message as const, name: command.name }))];
}
