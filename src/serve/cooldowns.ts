import type { CooldownTurn, Storage } from '../storage/storage.js';
import type { Logger } from '../logger.js';
import type { SettingsCache } from './settings-cache.js';

export type { CooldownTurn } from '../storage/storage.js';

/** At most `limit` commands in any `windowMs`; a limit of 0 is no limit. */
export interface CooldownRule {
  limit: number;
  windowMs: number;
}

/** What serving asks before running a slash command: may this member, in this server, run one now? */
export interface CooldownGate {
  take(memberId: string, now: number, guildId?: string | null): CooldownTurn | Promise<CooldownTurn>;
}

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
  take(memberId: string, now: number): CooldownTurn {
    return this.takeUnder(memberId, now, this);
  }

  /** `take` under another limit and window for this key (a server's own cooldown). */
  takeUnder(key: string, now: number, { limit, windowMs }: CooldownRule): CooldownTurn {
    const memberId = key;
    if (limit <= 0) return { ok: true };
    const since = now - windowMs;
    const times = (this.recent.get(memberId) ?? []).filter((t) => t > since);
    if (times.length >= limit) {
      this.recent.set(memberId, times);
      return { ok: false, retryAfterMs: (times[times.length - limit] ?? now) + windowMs - now };
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

/**
 * Cooldowns with each server's own rule: a server's settings (read through the cache, no database
 * round trip) override the environment's for its members. On PostgreSQL every turn is taken in
 * the database, so replicas share it; on SQLite (one process) in memory. A database that cannot
 * be reached is no reason to refuse a member: the turn is then taken in memory, logged.
 */
export class ServerCooldowns implements CooldownGate {
  /** Warned about the database being away at most this often. */
  private lastWarned = -Infinity;

  constructor(
    private readonly defaults: Cooldowns,
    private readonly settings: SettingsCache,
    private readonly storage: Storage,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  take(memberId: string, now: number, guildId?: string | null): CooldownTurn | Promise<CooldownTurn> {
    if (!guildId) return this.takeUnder('', memberId, now, undefined);
    // Read before: answered without a promise, as without settings.
    const cached = this.settings.peek(guildId);
    if (cached.found) return this.takeUnder(guildId, memberId, now, cached.settings?.cooldown);
    return this.settings.forServing(guildId).then((settings) => this.takeUnder(guildId, memberId, now, settings?.cooldown));
  }

  private takeUnder(
    guildId: string,
    memberId: string,
    now: number,
    own: { commands: number; seconds: number } | undefined,
  ): CooldownTurn | Promise<CooldownTurn> {
    // A server's own rule counts that server's commands; the default counts a member's everywhere, as before.
    const key = own ? `${guildId}:${memberId}` : memberId;
    const rule: CooldownRule = own ? { limit: own.commands, windowMs: own.seconds * 1000 } : this.defaults;
    if (rule.limit <= 0) return { ok: true };
    if (this.storage.kind !== 'postgres') return this.defaults.takeUnder(key, now, rule);
    return this.storage.takeCooldown(key, now, rule.limit, rule.windowMs).catch((error: unknown) => {
      if (now - this.lastWarned > 60_000) {
        this.lastWarned = now;
        this.logger.warn({ err: error }, 'cannot reach the database for cooldowns; counting them in this process meanwhile');
      }
      return this.defaults.takeUnder(key, now, rule);
    });
  }
}
