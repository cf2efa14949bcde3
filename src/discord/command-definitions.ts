import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Command } from '../commands/command.js';

/** The registry as Discord's bulk-overwrite body: one chat-input command per registry entry. */
export function commandDefinitions(
  commands: readonly Pick<Command, 'name' | 'description' | 'options'>[],
): RESTPutAPIApplicationCommandsJSONBody {
  return commands.map((command) => ({
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
}
