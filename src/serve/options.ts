import type { AnyCommand, CommandServices, MessageCommand } from '../commands/command.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import type { CooldownGate } from './cooldowns.js';
import type { Interaction } from './interaction.js';
import type { InteractionSummary } from './summary.js';

/**
 * What answering needs to know about a catalog that may not be loaded yet (`CatalogGate` is one).
 * Declared here, so serving depends on no start-up module.
 */
export interface CatalogReadiness {
  readonly state: 'loading' | 'ready' | 'failed';
  /** Settles once with the first load: resolves when the catalog is served, rejects with why it is not. */
  readonly ready: Promise<void>;
}

/** How interactions are answered, whatever the transport (gateway bot, HTTP endpoint). */
export interface AnsweringOptions {
  linkdex: () => Linkdex;
  commands: readonly AnyCommand[];
  /** Commands of a message's context menu (none today). */
  messageCommands?: readonly MessageCommand[];
  logger: Logger;
  /** The app's services commands may use; the logger alone by default. */
  services?: CommandServices;
  now?: () => Date;
  /**
   * Past this, counted from the interaction's arrival, a slow answer is deferred (Discord drops
   * callbacks after 3 s) and sent as an edit.
   */
  deferAfterMs?: number;
  /**
   * An interaction that has already waited this long when its turn comes is deferred at once and
   * its work put behind the requests still waiting: the process is behind, and only gets further
   * behind if it answers them one by one (500 ms, or `deferAfterMs` when less).
   */
  deferAtOnceAfterMs?: number;
  /** True while the process is saturated: every interaction but autocomplete and PING is then deferred at once. */
  saturated?: () => boolean;
  /** A deferred answer that takes longer than this is replaced by "something went wrong". */
  giveUpAfterMs?: number;
  /** Per-member limits on slash commands (a server's own when it has one: `ServerCooldowns`). */
  cooldowns?: CooldownGate;
  /** Called once per interaction answered (or that could not be), for metrics. */
  onAnswered?: (summary: InteractionSummary, seconds: number) => void;
  /** Whether the catalog is loaded yet, when serving starts before it is (see `CatalogGate`); none means it always is. */
  catalog?: CatalogReadiness;
  /** While the catalog loads, autocomplete waits for it this long after arrival (Discord allows 3 s). */
  autocompleteWaitMs?: number;
  /** While the catalog loads, a deferred command waits for it this long (its token lasts 15 min). */
  catalogWaitMs?: number;
}

export const ANSWERING_DEFAULTS = {
  deferAfterMs: 2500,
  deferAtOnceAfterMs: 500,
  giveUpAfterMs: 12_000,
  autocompleteWaitMs: 2000,
  catalogWaitMs: 10 * 60 * 1000,
} as const;

/** The options with every default filled in, as `respond()` takes them. */
export type Answering = AnsweringOptions & Required<Pick<AnsweringOptions, 'now' | 'services' | keyof typeof ANSWERING_DEFAULTS>>;

export function withDefaults(options: AnsweringOptions): Answering {
  const deferAfterMs = options.deferAfterMs ?? ANSWERING_DEFAULTS.deferAfterMs;
  return {
    ...options,
    now: options.now ?? (() => new Date()),
    services: options.services ?? { logger: options.logger },
    deferAfterMs,
    deferAtOnceAfterMs: options.deferAtOnceAfterMs ?? Math.min(ANSWERING_DEFAULTS.deferAtOnceAfterMs, deferAfterMs),
    giveUpAfterMs: options.giveUpAfterMs ?? ANSWERING_DEFAULTS.giveUpAfterMs,
    autocompleteWaitMs: options.autocompleteWaitMs ?? ANSWERING_DEFAULTS.autocompleteWaitMs,
    catalogWaitMs: options.catalogWaitMs ?? ANSWERING_DEFAULTS.catalogWaitMs,
  };
}

/** What answering one interaction takes: the options' catalog, registries, clock and services, and where handler errors go. */
export type AnswerContext = Pick<Answering, 'linkdex' | 'commands' | 'messageCommands' | 'cooldowns' | 'now' | 'services'> & {
  /** Called with every error a handler threw; the member sees only "something went wrong". */
  onError: (error: unknown, interaction: Interaction) => void;
};
