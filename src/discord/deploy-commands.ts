import { REST, Routes } from 'discord.js';
import type { Command, MessageCommand } from '../commands/command.js';
import type { Secret } from '../config.js';
import { commandDefinitions } from './command-definitions.js';

export interface DeployOptions {
  token: Secret;
  clientId: string;
  guildId?: string;
  apiUrl?: string;
  commands: readonly Pick<Command, 'name' | 'description' | 'options'>[];
  /** Registered as message commands (type 3) when there are any. */
  messageCommands?: readonly Pick<MessageCommand, 'name'>[];
}

/**
 * Registers the commands with one bulk overwrite: running it twice leaves the same set, and a
 * command removed from the registry disappears from Discord. A guild updates at once; global
 * commands can take up to an hour to show everywhere.
 */
export async function deployCommands(options: DeployOptions): Promise<{ scope: string; names: string[] }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token.reveal());
  const body = commandDefinitions(options.commands, options.messageCommands);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.clientId, options.guildId)
    : Routes.applicationCommands(options.clientId);
  await rest.put(route, { body });
  return { scope: options.guildId ? `guild ${options.guildId}` : 'globally', names: body.map((c) => c.name) };
}
