import { within } from './within.js';

/** Answers still being worked on, so a transport that stops can let them finish first. */
export class InFlight {
  readonly #tasks = new Set<Promise<void>>();

  get size(): number {
    return this.#tasks.size;
  }

  /** Tracks `task` until it settles; returns it. */
  track(task: Promise<void>): Promise<void> {
    const tracked = task.finally(() => this.#tasks.delete(tracked));
    this.#tasks.add(tracked);
    return tracked;
  }

  /** Waits until nothing is in flight, or `graceMs` has passed; resolves with how many are still pending. */
  async drain(graceMs: number): Promise<number> {
    const deadline = performance.now() + graceMs;
    while (this.#tasks.size > 0 && performance.now() < deadline) {
      await within(Promise.allSettled([...this.#tasks]), Math.max(1, deadline - performance.now()));
    }
    return this.#tasks.size;
  }
}
