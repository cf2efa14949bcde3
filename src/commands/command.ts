import type { Answer } from '../answers/answer.js';
import type { Linkdex } from '../linkdex.js';

export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'boolean';
  required?: boolean;
  /** Offer completions as the member types (category names, matching titles). */
  autocomplete?: boolean;
}

export type CommandInput = Record<string, string | boolean | undefined>;

export interface CommandContext {
  linkdex: Linkdex;
  now: Date;
  /** The registry, for commands that describe the others (/help). */
  commands: readonly Command[];
}

/** An autocomplete suggestion: what the member sees, and what the option receives when they pick it. */
export interface Choice {
  name: string;
  value: string;
}

/**
 * One slash command: its definition, and handlers that turn input into an answer or into
 * suggestions. Pure: no I/O. Buttons replay `run` with the input and page they carry.
 */
export interface Command {
  name: string;
  description: string;
  options: OptionSpec[];
  run(ctx: CommandContext, input: CommandInput, page: number): Answer;
  /** Suggestions for the option being typed (`focused`), given what the other options hold. */
  autocomplete?(ctx: CommandContext, focused: { name: string; value: string }, input: CommandInput): Choice[];
}

export function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `/search query:<text> [category:<text>]`, as /help shows it. */
export function usageOf(command: Command): string {
  const parts = command.options.map((o) => {
    const shape = `${o.name}:<${o.type === 'boolean' ? 'true|false' : 'text'}>`;
    return o.required ? shape : `[${shape}]`;
  });
  return [`/${command.name}`, ...parts].join(' ');
}
