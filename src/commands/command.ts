import type { Answer } from '../answers/answer.js';
import type { Choice } from '../answers/choices.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import type { GuildSettings, Storage } from '../storage/storage.js';

/** `subcommand` groups options under a name (`/settings daily …`); it holds options, not a value. */
export type OptionType = 'string' | 'boolean' | 'integer' | 'channel' | 'subcommand';

/** The kinds of channel a channel option may offer: where the bot can post a message. */
export type ChannelKind = 'text' | 'announcement';

/**
 * A channel picked in a channel option: its id and kind as Discord resolved it (`other` for a
 * kind a message cannot be posted in, `unknown` when the payload did not say).
 */
export interface ChannelRef {
  readonly id: string;
  readonly kind: ChannelKind | 'other' | 'unknown';
}

export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly type: OptionType;
  readonly required?: boolean;
  /** Offer completions as the member types (category names, matching titles). */
  readonly autocomplete?: boolean;
  /** An integer option's bounds, enforced by Discord's client and again by the command. */
  readonly min?: number;
  readonly max?: number;
  /** A channel option offers only these kinds. */
  readonly channelKinds?: readonly ChannelKind[];
  /** A subcommand's own options. */
  readonly options?: readonly OptionSpec[];
}

type ValueOf<T extends OptionType> = T extends 'boolean'
  ? boolean
  : T extends 'integer'
    ? number
    : T extends 'channel'
      ? ChannelRef
      : string;

/** The options that carry values: a subcommand's options in its place. */
type LeafOf<O extends OptionSpec> = O extends { type: 'subcommand'; options: readonly (infer Inner extends OptionSpec)[] } ? Inner : O;
type Leaves<Options extends readonly OptionSpec[]> = LeafOf<Options[number]>;
type SubcommandOf<Options extends readonly OptionSpec[]> = Extract<Options[number], { type: 'subcommand' }>['name'];

/**
 * A command's input, typed from its option list: `input.qurey` does not compile. Every option may
 * be missing (a button replay, the console and the command line send only what was given), and a
 * string may be blank. A command with subcommands gets `subcommand`, the one chosen, and the
 * options of every subcommand (only the chosen one's are filled).
 */
export type InputOf<Options extends readonly OptionSpec[]> = {
  readonly [O in Leaves<Options> as O['type'] extends 'subcommand' ? never : O['name']]?: ValueOf<O['type']>;
} & ([SubcommandOf<Options>] extends [never] ? unknown : { readonly subcommand?: SubcommandOf<Options> });

/** Input as transports carry it, before a command's option list gives it a type. */
export type CommandInput = Record<string, string | boolean | number | ChannelRef | undefined>;

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
  /** Each server's settings as last read, so an interaction makes no database round trip (see `SettingsReader`). */
  settings?: SettingsReader;
  /** What the bot's settings follow when a server has none of its own (the environment). */
  defaults?: SettingsDefaults;
  /** Whether the bot may post in a channel (Discord's REST); absent outside Discord. */
  channelAccess?: ChannelAccess;
}

/** A server's settings through the cache the app keeps: read once, forgotten when they change. */
export interface SettingsReader {
  /** The server's settings (undefined: it has none); rejects with `StorageUnavailable` only when none were ever read. */
  get(guildId: string): Promise<GuildSettings | undefined>;
  /** What this process just saved, kept as the server's settings (other processes' saves arrive by `onSettingsChanged`). */
  saved(settings: GuildSettings): void;
}

/** The environment's settings, which every server follows until it saves its own. */
export interface SettingsDefaults {
  cooldown: { commands: number; seconds: number };
  /** DAILY_CHANNEL_ID and DAILY_TIME (UTC), for the one server of DISCORD_GUILD_ID (or any, when that is unset). */
  daily?: { channelId: string; time: string; guildId?: string };
}

/** What the bot may not do in a channel it is asked to post in, as Discord's permission names. */
export type ChannelPermission = 'View Channel' | 'Send Messages' | 'Embed Links';

export type ChannelCheck =
  | { ok: true; missing: ChannelPermission[] }
  /** The channel is not one of this server's, or no longer exists. */
  | { ok: false; reason: 'other-server' | 'unknown-channel' | 'not-postable' };

export interface ChannelAccess {
  /** Which of the permissions the daily post needs the bot lacks in `channelId` of `guildId`. */
  check(guildId: string, channelId: string): Promise<ChannelCheck>;
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
  /** Who sees the command until a server's admins say otherwise: members who may manage the server. */
  readonly defaultPermission?: 'manage-server';
  /** Offered in servers only, not in DMs. */
  readonly guildOnly?: boolean;
  run(ctx: CommandContext, input: InputOf<Options>, page: number): Answer | Promise<Answer>;
  /** Suggestions for the option being typed (`focused`), given what the other options hold. */
  autocomplete?(ctx: CommandContext, focused: { name: Leaves<Options>['name']; value: string }, input: InputOf<Options>): Choice[];
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
export function stringOption(value: CommandInput[string]): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

const SHAPES: Readonly<Record<OptionType, string>> = {
  string: 'text',
  boolean: 'true|false',
  integer: 'number',
  channel: 'channel',
  subcommand: '',
};

/** `/search query:<text> [category:<text>]`, as /help shows it; a command with subcommands lists them: `/settings show|daily|…`. */
export function usageOf(command: AnyCommand): string {
  const subcommands = command.options.filter((o) => o.type === 'subcommand');
  if (subcommands.length > 0) return `/${command.name} ${subcommands.map((o) => o.name).join('|')}`;
  const parts = command.options.map((o) => {
    const shape = `${o.name}:<${SHAPES[o.type]}>`;
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
