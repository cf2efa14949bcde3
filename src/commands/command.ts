import type { Answer } from '../answers/answer.js';
import type { Choice } from '../answers/choices.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';

export type OptionType = 'string' | 'boolean';

export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly type: OptionType;
  readonly required?: boolean;
  /** Offer completions as the member types (category names, matching titles). */
  readonly autocomplete?: boolean;
}

type ValueOf<T extends OptionType> = T extends 'boolean' ? boolean : string;

/**
 * A command's input, typed from its option list: `input.qurey` does not compile. Every option may
 * be missing (a button replay, the console and the command line send only what was given), and a
 * string may be blank.
 */
export type InputOf<Options extends readonly OptionSpec[]> = {
  readonly [O in Options[number] as O['name']]?: ValueOf<O['type']>;
};

/** Input as transports carry it, before a command's option list gives it a type. */
export type CommandInput = Record<string, string | boolean | undefined>;

/** Who asked. Outside Discord (console, command line) the operator at the terminal. */
export interface Caller {
  userId: string;
  displayName: string;
  /** Discord's locale tag (`en-US`), for answers in the caller's language one day. */
  locale: string;
}

/** Where it was asked. */
export interface Place {
  /** The server, or null in a DM, a group DM, the console and the command line. */
  guildId: string | null;
  channelId: string | null;
  inDm: boolean;
}

/**
 * What the caller may do where they asked, from Discord's resolved permissions. Outside Discord
 * the operator may do everything.
 */
export interface Permissions {
  manageServer: boolean;
  sendMessages: boolean;
}

/**
 * The app's services a command may use beyond the catalog, built once by `src/app.ts`. Storage
 * (per-server settings, suggestions, usage counts) joins here.
 */
export interface CommandServices {
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Where per-server settings are kept; absent in the console and the command line without a database. */
  storage?: Storage;
}

/**
 * How a transport lists results when not as Discord does (ten a page, at most
 * SEARCH_RESULT_LIMIT found): the command line's `--limit`, and its `--json`, which prints every
 * result at once (a page size of Infinity).
 */
export interface Listing {
  pageSize?: number;
  /** At most this many search results. */
  limit?: number;
}

export interface CommandContext {
  linkdex: Linkdex;
  now: Date;
  /** The registry, for commands that describe the others (/help). */
  commands: readonly AnyCommand[];
  caller: Caller;
  place: Place;
  permissions: Permissions;
  services: CommandServices;
  /** Discord's paging unless the transport asks for another. */
  listing?: Listing;
}

/**
 * One slash command: its definition, and handlers that turn input into an answer or into
 * suggestions. `run` may wait (storage); autocomplete runs on every keystroke and stays
 * synchronous. Buttons replay `run` with the input and page they carry.
 */
export interface Command<Options extends readonly OptionSpec[] = readonly OptionSpec[]> {
  readonly name: string;
  readonly description: string;
  readonly options: Options;
  run(ctx: CommandContext, input: InputOf<Options>, page: number): Answer | Promise<Answer>;
  /** Suggestions for the option being typed (`focused`), given what the other options hold. */
  autocomplete?(ctx: CommandContext, focused: { name: Options[number]['name']; value: string }, input: InputOf<Options>): Choice[];
  /**
   * Buttons that act instead of replaying `run` (Approve, Reject): the button names the action and
   * what it acts on (`target`, such as a suggestion's id), so any process can answer it, after a
   * restart too.
   */
  readonly actions?: Readonly<Record<string, (ctx: CommandContext, target: string) => Answer | Promise<Answer>>>;
  /** A form this command opened (an answer of kind `modal`), submitted with its fields' values. */
  readonly modals?: Readonly<
    Record<
      string,
      (ctx: CommandContext, submitted: { target: string; fields: Readonly<Record<string, string>> }) => Answer | Promise<Answer>
    >
  >;
}

/** What a message command ("Find links", from a message's menu) receives: the message it was started from. */
export interface TargetMessage {
  id: string;
  content: string;
  authorId: string;
}

/** A command in a message's context menu: no options, the message instead. */
export interface MessageCommand {
  readonly name: string;
  run(ctx: CommandContext, message: TargetMessage): Answer | Promise<Answer>;
}

/** Any command of the registry, whatever its options (its handlers are methods, so they accept it). */
export type AnyCommand = Command;

/** Defines a command, its input typed from its options (kept literal, so a misspelt name does not compile). */
export function defineCommand<const Options extends readonly OptionSpec[]>(command: Command<Options>): Command<Options> {
  return command;
}

/** A string option's value, trimmed; blank is none. */
export function stringOption(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `/search query:<text> [category:<text>]`, as /help shows it. */
export function usageOf(command: AnyCommand): string {
  const parts = command.options.map((o) => {
    const shape = `${o.name}:<${o.type === 'boolean' ? 'true|false' : 'text'}>`;
    return o.required ? shape : `[${shape}]`;
  });
  return [`/${command.name}`, ...parts].join(' ');
}

/** The caller outside Discord: the operator at the console or the command line, who may do anything. */
export const OPERATOR: { caller: Caller; place: Place; permissions: Permissions } = {
  caller: { userId: 'operator', displayName: 'operator', locale: 'en-US' },
  place: { guildId: null, channelId: null, inDm: false },
  permissions: { manageServer: true, sendMessages: true },
};
