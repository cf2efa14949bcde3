import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { decodeSettings, encodeSettings, STATE_FORMAT, STATE_VERSION } from './settings-codec.js';
import { StorageUnavailable, type CooldownTurn, type DailyClaim, type GuildSettings, type StateDump, type Storage } from './storage.js';

/** What differs between the two databases; everything else is the same Kysely queries. */
export interface Dialect {
  readonly kind: Storage['kind'];
  readonly description: string;
  /** A StorageUnavailable naming what to fix when `error` means the database cannot be reached; undefined for any other error. */
  unavailable(error: unknown): StorageUnavailable | undefined;
  takeCooldown(db: Kysely<Database>, key: string, now: number, limit: number, windowMs: number): Promise<CooldownTurn>;
  /** Tells the other processes that a server's settings changed (PostgreSQL); none on SQLite, where one process serves. */
  announce?(db: Kysely<Database>, guildId: string): Promise<void>;
  /** Starts hearing other processes' announcements (not this one's own); the returned function stops. */
  listen?(heard: (guildId: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * The Storage both adapters are: the queries are one set for SQLite and PostgreSQL (upserts with
 * `on conflict`, `returning`), the dialect supplies the rest. Once closed, or when the database
 * cannot be reached, every method rejects with StorageUnavailable.
 */
export class SqlStorage implements Storage {
  readonly kind: Storage['kind'];
  readonly description: string;
  private readonly listeners = new Set<(guildId: string) => void>();
  private closed = false;
  private stopListening: (() => Promise<void>) | undefined;

  private constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {
    this.kind = dialect.kind;
    this.description = dialect.description;
  }

  static async open(db: Kysely<Database>, dialect: Dialect): Promise<SqlStorage> {
    const storage = new SqlStorage(db, dialect);
    storage.stopListening = await dialect.listen?.((guildId) => storage.heard(guildId));
    return storage;
  }

  private heard(guildId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(guildId);
      } catch {
        // One listener's mistake must not keep the change from the others.
      }
    }
  }

  /** This process's listeners hear its own change at once; the others through the dialect. */
  private async changed(db: Kysely<Database>, guildId: string): Promise<void> {
    this.heard(guildId);
    await this.dialect.announce?.(db, guildId);
  }

  /** Runs `query`, turning "the database cannot be reached" into StorageUnavailable. */
  private async run<T>(query: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageUnavailable(`the storage (${this.description}) is closed`);
    try {
      return await query(this.db);
    } catch (error) {
      throw this.closed
        ? new StorageUnavailable(`the storage (${this.description}) is closed`)
        : (this.dialect.unavailable(error) ?? error);
    }
  }

  settings(guildId: string): Promise<GuildSettings | undefined> {
    return this.run(async (db) => {
      const row = await db.selectFrom('guild_settings').selectAll().where('guild_id', '=', guildId).executeTakeFirst();
      return row && decodeSettings(row.guild_id, row.settings, row.updated_at);
    });
  }

  allSettings(): Promise<GuildSettings[]> {
    return this.run(async (db) => {
      const rows = await db.selectFrom('guild_settings').selectAll().orderBy('guild_id').execute();
      return rows.map((row) => decodeSettings(row.guild_id, row.settings, row.updated_at));
    });
  }

  async saveSettings(settings: GuildSettings): Promise<void> {
    await this.run(async (db) => {
      await upsertSettings(db, settings);
      await this.changed(db, settings.guildId);
    });
  }

  async deleteGuild(guildId: string): Promise<void> {
    await this.run(async (db) => {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('guild_settings').where('guild_id', '=', guildId).execute();
        await tx.deleteFrom('daily_claims').where('guild_id', '=', guildId).execute();
      });
      await this.changed(db, guildId);
    });
  }

  onSettingsChanged(listener: (guildId: string) => void): () => void {
    // A function of its own, so subscribing the same listener twice needs two unsubscribes.
    const wrapped = (guildId: string) => listener(guildId);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /**
   * One statement does it, so two processes cannot both win: insert the claim, or take over a
   * claim nobody marked posted within `staleAfterMs` (keeping its nonce). A row comes back only
   * to the one that wrote it.
   */
  claimDaily(guildId: string, day: string, now: Date, staleAfterMs: number): Promise<DailyClaim> {
    return this.run(async (db) => {
      const at = now.getTime();
      const row = await db
        .insertInto('daily_claims')
        .values({ guild_id: guildId, day, nonce: newNonce(), state: 'claimed', claimed_at: at, posted_at: null })
        .onConflict((c) =>
          c
            .columns(['guild_id', 'day'])
            .doUpdateSet({ claimed_at: at })
            .where('daily_claims.state', '=', 'claimed')
            .where('daily_claims.claimed_at', '<=', at - staleAfterMs),
        )
        .returning('nonce')
        .executeTakeFirst();
      return row ? { claimed: true, nonce: row.nonce } : { claimed: false };
    });
  }

  async dailyPosted(guildId: string, day: string, now: Date): Promise<void> {
    await this.run((db) => markPosted(db, guildId, day, now.getTime()));
  }

  async releaseDaily(guildId: string, day: string): Promise<void> {
    await this.run((db) =>
      db.deleteFrom('daily_claims').where('guild_id', '=', guildId).where('day', '=', day).where('state', '=', 'claimed').execute(),
    );
  }

  takeCooldown(key: string, now: number, limit: number, windowMs: number): Promise<CooldownTurn> {
    return this.run((db) => this.dialect.takeCooldown(db, key, now, limit, windowMs));
  }

  exportState(): Promise<StateDump> {
    return this.run(async (db) => {
      const settings = await this.allSettings();
      const posted = await db
        .selectFrom('daily_claims')
        .select(['guild_id', 'day'])
        .where('state', '=', 'posted')
        .orderBy('guild_id')
        .orderBy('day')
        .execute();
      return {
        format: STATE_FORMAT,
        version: STATE_VERSION,
        settings,
        dailyPosted: posted.map((row) => ({ guildId: row.guild_id, day: row.day })),
      };
    });
  }

  /** All or nothing: one transaction. */
  importState(dump: StateDump): Promise<{ settings: number; dailyPosted: number }> {
    return this.run(async (db) => {
      const at = Date.now();
      await db.transaction().execute(async (tx) => {
        for (const settings of dump.settings) await upsertSettings(tx, settings);
        for (const { guildId, day } of dump.dailyPosted) await markPosted(tx, guildId, day, at);
      });
      for (const settings of dump.settings) await this.changed(db, settings.guildId);
      return { settings: dump.settings.length, dailyPosted: dump.dailyPosted.length };
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.run((db) => db.selectFrom('guild_settings').select('guild_id').limit(1).execute());
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.stopListening?.().catch(() => undefined);
    await this.db.destroy();
    await this.dialect.close();
  }
}

function newNonce(): string {
  // Discord takes a nonce of at most 25 characters.
  return randomUUID().replaceAll('-', '').slice(0, 25);
}

/** Marks a day posted, claimed or not: a post is never forgotten, even one made without a claim. */
/** A server's settings, written whole: the row is made, or replaced when the server has one. */
async function upsertSettings(db: Kysely<Database>, settings: GuildSettings): Promise<void> {
  const row = { guild_id: settings.guildId, settings: encodeSettings(settings), updated_at: settings.updatedAt };
  await db
    .insertInto('guild_settings')
    .values(row)
    .onConflict((c) => c.column('guild_id').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }))
    .execute();
}

async function markPosted(db: Kysely<Database>, guildId: string, day: string, at: number): Promise<void> {
  await db
    .insertInto('daily_claims')
    .values({ guild_id: guildId, day, nonce: newNonce(), state: 'posted', claimed_at: at, posted_at: at })
    .onConflict((c) =>
      c.columns(['guild_id', 'day']).doUpdateSet({ state: 'posted', posted_at: at }).where('daily_claims.state', '=', 'claimed'),
    )
    .execute();
}
