import type { BotMetrics } from './metrics.js';

/**
 * prom-client's metrics, when METRICS_PORT asks for them, loaded by `load()` once the bot has
 * started connecting. What happens before (an answer, the catalog's size) is recorded once loaded.
 */
export class LazyMetrics {
  #metrics: BotMetrics | undefined;
  #gatewayPing: (() => number) | undefined;
  #resolve!: (metrics: BotMetrics) => void;
  readonly loaded = new Promise<BotMetrics>((resolve) => (this.#resolve = resolve));

  /** The gateway's heartbeat round trip, asked when scraped; set before `load()`. The HTTP endpoint has none. */
  measureGatewayPing(ping: () => number): void {
    this.#gatewayPing = ping;
  }

  load(): void {
    void import('./metrics.js').then(({ createMetrics }) => {
      this.#metrics ??= createMetrics(this.#gatewayPing);
      this.#resolve(this.#metrics);
    });
  }

  /** How a server's daily post ended: posted, refused by Discord, or failed (retried). */
  readonly recordDailyPost = (result: string): void => {
    if (this.#metrics) this.#metrics.recordDailyPost(result);
    else void this.loaded.then((m) => m.recordDailyPost(result));
  };

  readonly recordInteraction = (summary: { command: string; outcome: string }, seconds: number): void => {
    if (this.#metrics) this.#metrics.recordInteraction(summary.command, summary.outcome, seconds);
    else void this.loaded.then((m) => m.recordInteraction(summary.command, summary.outcome, seconds));
  };
}
