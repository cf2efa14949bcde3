/**
 * The tables, as Kysely sees them: one schema for SQLite and PostgreSQL. Times the adapters
 * compare are whole milliseconds since the epoch (`bigint`), so both dialects compare them the
 * same way; PostgreSQL's `bigint` is read back as a number (see postgres.ts).
 */
export interface Database {
  /**
   * One row per server. Its settings are one JSON object (`{ daily?, cooldown? }`): they are
   * always read and written whole, no query looks inside them, and a setting added later (a
   * catalog per server, a reviewer role) needs no migration.
   */
  guild_settings: {
    guild_id: string;
    settings: string;
    /** ISO 8601. */
    updated_at: string;
  };
  /** The daily post: one row per (server, local day), written before sending. */
  daily_claims: {
    guild_id: string;
    day: string;
    /** Discord's `nonce` for the message; a stale claim taken over keeps it. */
    nonce: string;
    state: 'claimed' | 'posted';
    claimed_at: number;
    posted_at: number | null;
  };
  /** Slash commands taken under a cooldown, one row each (PostgreSQL only: SQLite keeps them in memory). */
  cooldown_hits: {
    key: string;
    at: number;
  };
}
