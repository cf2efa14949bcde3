/**
 * Per-member rate limits for slash commands: at most `limit` commands in any `windowMs`. A
 * sliding window, so a burst is refused until its oldest command is old enough, and the wait
 * told to the member is exact.
 */
export class Cooldowns {
  private readonly recent = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Members remembered at most; the least recently active are forgotten first. */
    private readonly maxMembers = 10_000,
  ) {}

  /** Records a command by `memberId` at `now`, or says how long to wait (it is then not recorded). */
  take(memberId: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.limit <= 0) return { ok: true };
    const since = now - this.windowMs;
    const times = (this.recent.get(memberId) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.recent.set(memberId, times);
      return { ok: false, retryAfterMs: (times[0] ?? now) + this.windowMs - now };
    }
    times.push(now);
    // Re-inserting keeps the map ordered by last activity, so the oldest key is the one to forget.
    this.recent.delete(memberId);
    this.recent.set(memberId, times);
    if (this.recent.size > this.maxMembers) this.recent.delete(this.recent.keys().next().value as string);
    return { ok: true };
  }

  get members(): number {
    return this.recent.size;
  }
}
