import type { AnyCommand, MessageCommand } from './command.js';
import { category } from './category.js';
import { help } from './help.js';
import { random } from './random.js';
import { search } from './search.js';
import { settings } from './settings.js';

/** Every command the bot answers, in the order /help lists them. Explicit, so nothing loads by accident. */
export const commands: readonly AnyCommand[] = [search, category, random, help, settings];

/**
 * Commands in a message's context menu ("Find links"), none yet; the serving code routes them by
 * name. /help lists the slash commands only: these are found in a message's menu, not typed.
 */
export const messageCommands: readonly MessageCommand[] = [];

export function findCommand(name: string): AnyCommand | undefined {
  return commands.find((c) => c.name === name.toLowerCase());
}
