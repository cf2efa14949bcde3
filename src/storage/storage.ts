/**
 * What the bot keeps between restarts and shares between processes (issue 16): each server's
 * settings, the daily post's claims, and cooldowns shared by replicas. One interface, two
 * adapters chosen by DATABASE_URL (a SQLite file under STATE_DIR by default, PostgreSQL for
 * replicas and shards). Commands and serving see only this interface, through `ctx.services`;
 * only the entry points open an adapter.
 *
 * Every method may reject with `StorageUnavailable` when the database cannot be reached; callers
 * answer from what they hold in memory and say so, never crash.
 */

/** The link of the day for one server: where, when (local time) and, optionally, from which category. */
export interface DailySettings {
  channelId: string;
  /** `HH:MM`, 24-hour, in `timezone`. */
  time: string;
  /** An IANA time zone name (`Europe/Berlin`), as `Intl` knows it. */
  timezone: string;
  category?: string;
}

/** A server's own cooldown: at most `commands` slash commands per member in `seconds`. */
export interface CooldownSettings {
  commands: number;
  seconds: number;
}

/** One server's settings; a part left out follows the bot's defaults (the environment). */
export interface GuildSettings {
  guildId: string;
  daily?: DailySettings;
  cooldown?: CooldownSettings;
  /** ISO 8601: when they last changed. */
  updatedAt: string;
}

/** The result of claiming a server's daily post for one day. */
export type DailyClaim =
  /** This process posts it; call `dailyPosted` once sent, `releaseDaily` if sending failed. */
  | { claimed: true; nonce: string }
  /** Already posted, or being posted by another process whose claim has not expired. */
  | { claimed: false };

/** A member's turn under a cooldown. */
export type CooldownTurn = { ok: true } | { ok: false; retryAfterMs: number };

/** Everything kept, as JSON: `linkdex state export` writes it, `import` reads it (also SQLite → PostgreSQL). */
export interface StateDump {
  format: 'linkdex-state';
  version: number;
  settings: GuildSettings[];
  /** Days already posted, per server: so an import never posts a day twice. */
  dailyPosted: { guildId: string; day: string }[];
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Where it is, for logs and messages, with any password left out. */
  readonly description: string;

  settings(guildId: string): Promise<GuildSettings | undefined>;
  /** Every server with settings: what the daily scheduler walks. */
  allSettings(): Promise<GuildSettings[]>;
  saveSettings(settings: GuildSettings): Promise<void>;
  /** The bot left the server: its settings and claims go. */
  deleteGuild(guildId: string): Promise<void>;
  /**
   * Calls `listener` when any process changes a server's settings (PostgreSQL: LISTEN/NOTIFY;
   * SQLite: this process's own saves). Returns the unsubscribe.
   */
  onSettingsChanged(listener: (guildId: string) => void): () => void;

  /**
   * Claims the daily post of `guildId` for the local `day` (YYYY-MM-DD) by a unique row written
   * before anything is sent: exactly one caller across processes gets `claimed: true`. A claim
   * not marked posted within `staleAfterMs` may be claimed again (its holder died mid-send); the
   * nonce stays the same so Discord's `enforce_nonce` refuses a second message.
   */
  claimDaily(guildId: string, day: string, now: Date, staleAfterMs: number): Promise<DailyClaim>;
  dailyPosted(guildId: string, day: string, now: Date): Promise<void>;
  /** Sending failed: the claim goes, so a later attempt within the day may claim it again. */
  releaseDaily(guildId: string, day: string): Promise<void>;

  /**
   * Records a slash command of `key` (server and member) at `now` under `limit` per `windowMs`,
   * or says how long to wait; shared by every process on PostgreSQL.
   */
  takeCooldown(key: string, now: number, limit: number, windowMs: number): Promise<CooldownTurn>;

  exportState(): Promise<StateDump>;
  /** Adds what `dump` holds; settings of a server already present are replaced. */
  importState(dump: StateDump): Promise<{ settings: number; dailyPosted: number }>;

  /** Whether the database answers now (for /healthz: "degraded" when not). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** The database could not be reached or refused: the message names DATABASE_URL or STATE_DIR. */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';
}
