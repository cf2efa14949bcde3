import type { CooldownTurn } from './storage.js';

/**
 * Cooldowns held by this process alone: SQLite's, where one process serves. A sliding window per
 * key, as the shared one on PostgreSQL, so the wait told is exact either way.
 */
export class MemoryCooldowns {
  private readonly recent = new Map<string, number[]>();

  /** Keys remembered at most; the least recently active are forgotten first. */
  constructor(private readonly maxKeys = 10_000) {}

  take(key: string, now: number, limit: number, windowMs: number): CooldownTurn {
    if (limit <= 0) return { ok: true };
    const times = (this.recent.get(key) ?? []).filter((t) => t > now - windowMs);
    // Re-inserting keeps the map ordered by last activity, so the first key is the one to forget.
    this.recent.delete(key);
    this.recent.set(key, times);
    if (times.length >= limit) return { ok: false, retryAfterMs: (times[times.length - limit] ?? now) + windowMs - now };
    times.push(now);
    if (this.recent.size > this.maxKeys) this.recent.delete(this.recent.keys().next().value as string);
    return { ok: true };
  }
}
