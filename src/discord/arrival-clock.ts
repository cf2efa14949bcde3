/**
 * When a request that is being read now arrived, at the latest. Node reads every socket that
 * is ready in one go and handles each request to the end before reading the next, so a request
 * read 800 ms into such a stretch of work (a burst) had been waiting since the stretch began,
 * though its own handler starts only now. The stretch ends when the loop reaches its check
 * phase (setImmediate). What waited before the stretch (not yet accepted or read) is not seen:
 * `LoopLoad` covers that case.
 */
export class ArrivalClock {
  #since: number | undefined;

  /** The start of the stretch of work now running: when whatever is read during it arrived, at the latest. */
  arrival(): number {
    if (this.#since !== undefined) return this.#since;
    const since = performance.now();
    this.#since = since;
    setImmediate(() => (this.#since = undefined));
    return since;
  }
}

/** The share of time the event loop may spend working before it counts as saturated. */
const SATURATED = 0.9;
/** Requests per window that make a busy loop a saturated one: fewer, and the loop is busy with something else. */
const BURST_REQUESTS = 20;

/**
 * Whether, in the last tenth of a second, the event loop was busy nearly all the time and at
 * least 20 requests came in. A loop saturated by requests has more waiting where the process
 * cannot see them (in the kernel, not yet accepted or read), so their arrival cannot be
 * measured: answering them early is what helps. A loop busy with anything else (starting up, a
 * slow machine) with a request now and then is not saturated by them.
 */
export class LoopLoad {
  #last = performance.eventLoopUtilization();
  #utilization = 0;
  #arrived = 0;
  #arrivedInWindow = 0;
  readonly #timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    this.#utilization = performance.eventLoopUtilization(now, this.#last).utilization;
    this.#last = now;
    this.#arrivedInWindow = this.#arrived;
    this.#arrived = 0;
  }, 100).unref();

  /** Counts a request that came in. */
  arrived(): void {
    this.#arrived++;
  }

  saturated(): boolean {
    return this.#utilization >= SATURATED && Math.max(this.#arrivedInWindow, this.#arrived) >= BURST_REQUESTS;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
