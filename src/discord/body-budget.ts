/**
 * The bytes of request bodies held in memory, all requests together. Each request reserves what
 * it declares (or, with no length, what arrives) before it is read, and gives it back once
 * checked, so a flood of large or stalled bodies is refused (503) instead of filling memory.
 * Bodies over `smallBytes` share only `largeBytes` of the whole, which keeps room for Discord's
 * interactions (a few kilobytes) while large ones are refused.
 */
export class BodyBudget {
  #used = 0;
  #largeUsed = 0;

  constructor(
    readonly totalBytes: number,
    readonly largeBytes: number,
    readonly smallBytes: number,
  ) {}

  get used(): number {
    return this.#used;
  }

  /** Takes `bytes` for a body of `size` bytes (Infinity when unknown); false, and nothing taken, when they do not fit. */
  take(bytes: number, size: number): boolean {
    const large = size > this.smallBytes;
    if (this.#used + bytes > this.totalBytes || (large && this.#largeUsed + bytes > this.largeBytes)) return false;
    this.#used += bytes;
    if (large) this.#largeUsed += bytes;
    return true;
  }

  give(bytes: number, size: number): void {
    this.#used -= bytes;
    if (size > this.smallBytes) this.#largeUsed -= bytes;
  }
}
