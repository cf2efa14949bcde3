import type { Logger } from './logger.js';

/**
 * The one way every mode stops (gateway, HTTP, console, the sharding manager): what is to be
 * stopped is registered under a phase as it starts, and a signal, a fatal error or the end of the
 * console runs it all once, phase by phase, within a deadline.
 */

/**
 * The phases, in the order they run. Taking no new work comes first, answering what is in flight
 * next (the catalog is still served while it drains), then the scheduled jobs, the catalog's watch
 * and reload, storage, and the logs last, so that every line about the stop is written.
 */
export const SHUTDOWN_PHASES = ['accept', 'drain', 'jobs', 'catalog', 'storage', 'logs'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

/** Discord-side cleanup must not keep the process past this: SIGTERM's caller waits 5 s at most. */
export const SHUTDOWN_DEADLINE_MS = 4500;

/**
 * Why the process stops: a signal, a failure it cannot go on after (logged by whoever found it),
 * or the end of its work (the console's /quit).
 */
export type StopCause = { signal: NodeJS.Signals } | { fatal: true } | { finished: true };

/** Where signals and uncaught errors come from: the process, or a test's emitter. */
export interface SignalSource {
  once(event: NodeJS.Signals | 'uncaughtException', listener: (error?: unknown) => void): unknown;
}

export interface ShutdownOptions {
  /** Past this, counted from the start of the stop, `stop()` resolves whatever is still running. */
  deadlineMs?: number;
  /** Said when a signal starts the stop; the bots log `shutting down`. */
  announce?: (signal: NodeJS.Signals) => void;
  signals?: SignalSource;
  /** Ends the process after an uncaught error has been logged and the stop has run. */
  exit?: (code: number) => void;
}

type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'fatal'>;

interface Step {
  phase: ShutdownPhase;
  name: string;
  run: () => void | Promise<void>;
}

export class Shutdown {
  readonly #steps: Step[] = [];
  readonly #log: Log;
  readonly #deadlineMs: number;
  readonly #announce: (signal: NodeJS.Signals) => void;
  readonly #signals: SignalSource;
  readonly #exit: (code: number) => void;
  #done: Promise<void> | undefined;
  #timedOut = false;
  #resolveStopping!: (cause: StopCause) => void;
  /** Resolves with the cause as soon as the stop starts, before its steps have run. */
  readonly stopping = new Promise<StopCause>((resolve) => (this.#resolveStopping = resolve));

  constructor(log: Log, options: ShutdownOptions = {}) {
    this.#log = log;
    this.#deadlineMs = options.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
    this.#announce = options.announce ?? ((signal) => log.info({ signal }, 'shutting down'));
    this.#signals = options.signals ?? process;
    this.#exit = options.exit ?? ((code) => process.exit(code));
  }

  /** True once the stop has started: what starts later must not. */
  get started(): boolean {
    return this.#done !== undefined;
  }

  /**
   * Registers `run` to be called in `phase` when the process stops; steps of one phase run in the
   * order they were added. One added once the stop has started is run at once.
   */
  add(phase: ShutdownPhase, name: string, run: () => void | Promise<void>): void {
    const step = { phase, name, run };
    if (this.#done) void this.#runStep(step);
    else this.#steps.push(step);
  }

  /**
   * From now on SIGINT and SIGTERM stop the process (a second signal finds the stop under way),
   * and so does an error nothing caught: it is logged, the stop runs, and the process exits 1.
   */
  listen(): this {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) this.#signals.once(signal, () => void this.stop({ signal }));
    this.#signals.once('uncaughtException', (error) => {
      this.#log.fatal({ err: error }, `uncaught error, stopping: ${error instanceof Error ? error.message : String(error)}`);
      void this.stop({ fatal: true }).finally(() => this.#exit(1));
    });
    return this;
  }

  /** Listens (see `listen`), and resolves with the cause once the stop has run. */
  async untilStopped(): Promise<StopCause> {
    this.listen();
    const cause = await this.stopping;
    await this.stop(cause);
    return cause;
  }

  /**
   * Runs every step once, phase by phase, each awaited; a step that fails is logged and the next
   * one runs. Resolves when all have run, or at the deadline: the step still running is named in
   * a warning, and those not reached yet are started then without being waited for (the catalog's
   * worker is stopped even when disconnecting hangs). Every call gets the first call's promise.
   */
  stop(cause: StopCause = { fatal: true }): Promise<void> {
    if (this.#done) return this.#done;
    if ('signal' in cause) this.#announce(cause.signal);
    this.#resolveStopping(cause);
    const steps = [...this.#steps].sort((a, b) => SHUTDOWN_PHASES.indexOf(a.phase) - SHUTDOWN_PHASES.indexOf(b.phase));
    this.#steps.length = 0;
    let current: Step | undefined;
    const all = (async () => {
      for (let step = steps.shift(); step; step = steps.shift()) {
        current = step;
        await this.#runStep(step);
      }
      current = undefined;
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#timedOut = true;
        if (current) this.#log.warn({ step: current.name, deadlineMs: this.#deadlineMs }, `stopped at the deadline while ${current.name}`);
        for (const step of steps.splice(0)) void this.#runStep(step);
        resolve();
      }, this.#deadlineMs);
      timer.unref();
    });
    this.#done = Promise.race([all, deadline]).finally(() => clearTimeout(timer));
    return this.#done;
  }

  /** True when the stop ended at its deadline: something may still hold the process, which must then exit by itself. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  async #runStep(step: Step): Promise<void> {
    try {
      await step.run();
    } catch (error) {
      this.#log.error({ err: error, step: step.name }, `error while stopping: ${step.name}`);
    }
  }
}
