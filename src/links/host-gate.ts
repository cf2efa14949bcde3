/**
 * Politeness towards one host: at most `maxActive` requests at once, and starts at least
 * `spacingMs` apart. A host that asks us to wait (429 with `retry-after`) can be paused.
 */
export class HostGate {
  private active = 0;
  /** The clock time before which no request may start. */
  private nextStart = Number.NEGATIVE_INFINITY;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly spacingMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async acquire(): Promise<void> {
    if (this.active < this.maxActive) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // release hands its slot over
    // Reserve a start time synchronously, so requests that get a slot together still start apart.
    const now = this.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.spacingMs;
    if (start > now) await this.sleep(start - now);
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }

  /** No request starts before `until` (a clock time). */
  pauseUntil(until: number): void {
    this.nextStart = Math.max(this.nextStart, until);
  }
}
