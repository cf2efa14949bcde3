import type { Logger } from '../logger.js';

export interface Refused {
  status: number;
  reason: string;
  method: string | undefined;
  path: string | undefined;
  remote: string | undefined;
}

export interface RefusalLogOptions {
  /** Refusals logged one by one in each interval; past this they are only counted. */
  perInterval?: number;
  intervalMs?: number;
}

/**
 * Logs refused requests without letting a flood of them flood the log: the first `perInterval`
 * of each interval get a line each (what Discord's own endpoint check and a few stray requests
 * produce), the rest are counted and summed up in one line when the interval ends.
 */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #perInterval: number;
  readonly #intervalMs: number;
  #logged = 0;
  #counted = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(logger: Logger, options: RefusalLogOptions = {}) {
    this.#logger = logger;
    this.#perInterval = options.perInterval ?? 20;
    this.#intervalMs = options.intervalMs ?? 10_000;
  }

  refused(refusal: Refused): void {
    // The interval starts with its first refusal: a quiet server keeps no timer.
    this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs).unref();
    if (this.#logged < this.#perInterval) {
      this.#logged++;
      this.#logger.warn(refusal, `refused a request: ${refusal.reason}`);
      return;
    }
    const key = `${refusal.status} ${refusal.reason}`;
    this.#counted.set(key, (this.#counted.get(key) ?? 0) + 1);
  }

  /** Ends the interval: one line for the refusals that were only counted, if any. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#logged = 0;
    if (this.#counted.size === 0) return;
    const byReason = Object.fromEntries(this.#counted);
    const count = [...this.#counted.values()].reduce((a, b) => a + b, 0);
    this.#counted = new Map();
    this.#logger.warn(
      { refused: count, byReason, intervalSeconds: this.#intervalMs / 1000 },
      `refused ${count} more request${count === 1 ? '' : 's'} in ${this.#intervalMs / 1000} s, not logged one by one`,
    );
  }
}
