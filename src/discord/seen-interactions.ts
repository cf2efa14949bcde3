import { MAX_CLOCK_SKEW_SECONDS } from './verify-signature.js';

/**
 * The ids of the interactions received within the signature's five-minute window, so that a
 * signed request sent again (a replay) is refused instead of answered twice. Older ids are
 * forgotten: their timestamp is refused anyway. At most `capacity` ids are kept; when a burst
 * needs more, the oldest is forgotten and no timestamp up to its own is accepted any more, so
 * memory stays bounded and a forgotten id still cannot be replayed.
 */
export class SeenInteractions {
  readonly #capacity: number;
  /** id → signed timestamp (Unix seconds), in arrival order. */
  readonly #seen = new Map<string, number>();
  /** Timestamps up to this one can no longer be told apart from a replay. */
  #floor = Number.NEGATIVE_INFINITY;

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#seen.size;
  }

  /** True the first time `id` comes; false for a repeat, or for one too old to tell. */
  firstTime(id: string, timestampSeconds: number, nowMs: number = Date.now()): boolean {
    this.#forgetExpired(nowMs);
    if (this.#seen.has(id) || timestampSeconds <= this.#floor) return false;
    if (this.#seen.size >= this.#capacity) {
      const [oldest, at] = this.#seen.entries().next().value as [string, number];
      this.#seen.delete(oldest);
      this.#floor = Math.max(this.#floor, at);
    }
    this.#seen.set(id, timestampSeconds);
    return true;
  }

  #forgetExpired(nowMs: number): void {
    const expired = nowMs / 1000 - MAX_CLOCK_SKEW_SECONDS;
    // Arrival order is nearly timestamp order; an entry left behind a newer one goes a little later.
    for (const [id, at] of this.#seen) {
      if (at >= expired) break;
      this.#seen.delete(id);
    }
  }
}
