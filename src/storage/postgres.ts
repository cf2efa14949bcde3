import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Migration } from 'kysely';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { describePostgresUrl } from './postgres-url.js';
import type { Database } from './schema.js';
import { SqlStorage, type Dialect } from './sql-storage.js';
import { StorageUnavailable, type CooldownTurn, type Storage } from './storage.js';

/** The channel every process LISTENs on; a payload is `{ guildId, origin }`. */
const CHANNEL = 'linkdex_settings';

/** Socket errors and PostgreSQL's error classes that mean "cannot reach or use the database now". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
/** 08: connection exception; 57P: shut down; 53: out of resources; 28: refused login; 3D000: no such database. */
const UNAVAILABLE_SQLSTATE = /^(08|57P|53|28|3D000)/;
const UNAVAILABLE_MESSAGE = /connection|terminated|timeout exceeded|not queryable|after calling end on the pool/i;

export interface PostgresOptions {
  url: string;
  /** For tests: the migrations to run instead of linkdex's own. */
  migrations?: Readonly<Record<string, Migration>>;
  /** Connections at most (10). */
  maxConnections?: number;
}

/** bigint columns (times in ms) come back as numbers, as SQLite gives them: they stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return typeof code !== 'string' && typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/**
 * PostgreSQL, for replicas and shards: every process shares settings, claims and cooldowns, and
 * hears the others' settings changes through LISTEN/NOTIFY (a connection of its own, reconnected
 * when it drops).
 */
export async function openPostgresStorage(options: PostgresOptions): Promise<Storage> {
  const description = describePostgresUrl(options.url);
  const cannot = (error: unknown) =>
    new StorageUnavailable(`cannot reach the ${description}: ${reasonOf(error)}; check DATABASE_URL`, { cause: error });
  const config = { connectionString: options.url, types, connectionTimeoutMillis: 5000, application_name: 'linkdex' };
  const pool = new pg.Pool({ ...config, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (the server restarts) is dropped by the pool; the next query
  // opens another, or says StorageUnavailable. Unheard, the event would end the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw isUnavailable(error) ? cannot(error) : error;
  }
  try {
    await migrate(db as Kysely<unknown>, options.migrations ?? MIGRATIONS, description);
  } catch (error) {
    await db.destroy();
    throw isUnavailable(error) ? cannot(error) : error;
  }
  const origin = randomUUID();
  const listener = new SettingsListener(config, origin, db);
  const cooldowns = new SharedCooldowns();
  const dialect: Dialect = {
    kind: 'postgres',
    description,
    unavailable: (error) => (isUnavailable(error) ? cannot(error) : undefined),
    takeCooldown: (db, key, now, limit, windowMs) => cooldowns.take(db, key, now, limit, windowMs),
    async announce(db, guildId) {
      await sql`select pg_notify(${CHANNEL}, ${JSON.stringify({ guildId, origin })})`.execute(db);
    },
    async listen(heard) {
      await listener.start(heard);
      return () => listener.stop();
    },
    close: () => Promise.resolve(),
  };
  try {
    return await SqlStorage.open(db, dialect);
  } catch (error) {
    await db.destroy();
    throw isUnavailable(error) ? cannot(error) : error;
  }
}

function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text;
}

/**
 * The other processes' settings changes, through LISTEN on a connection of its own. When that
 * connection drops it is opened again (1 s, then up to 30 s apart), and every server with
 * settings is reported changed: notifications sent meanwhile were lost.
 */
class SettingsListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 1000;
  private timer: NodeJS.Timeout | undefined;
  private heard: (guildId: string) => void = () => undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly origin: string,
    private readonly db: Kysely<Database>,
  ) {}

  async start(heard: (guildId: string) => void): Promise<void> {
    this.heard = heard;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const { guildId, origin } = JSON.parse(message.payload) as { guildId?: unknown; origin?: unknown };
        // This process told its own listeners already.
        if (typeof guildId === 'string' && origin !== this.origin) this.heard(guildId);
      } catch {
        // Not ours: ignored.
      }
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (error) {
      this.lost(client);
      throw error;
    }
  }

  /** The connection broke: open another later, unless stopped or already replaced. */
  private lost(client: pg.Client): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.connect().then(
        () => this.reconnected(),
        () => undefined, // lost() has planned the next attempt
      );
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }

  private async reconnected(): Promise<void> {
    this.retryMs = 1000;
    try {
      const rows = await this.db.selectFrom('guild_settings').select('guild_id').execute();
      for (const row of rows) this.heard(row.guild_id);
    } catch {
      // The database went away again: the next reconnection reports them.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end();
  }
}

/**
 * Cooldowns every process shares: one row per command taken. Taking a turn locks its key for the
 * transaction (an advisory lock), so two replicas cannot both give the last turn. Old rows are
 * swept now and then.
 */
class SharedCooldowns {
  private longestWindowMs = 0;
  private lastSweep = 0;

  async take(db: Kysely<Database>, key: string, now: number, limit: number, windowMs: number): Promise<CooldownTurn> {
    if (limit <= 0) return { ok: true };
    this.longestWindowMs = Math.max(this.longestWindowMs, windowMs);
    const turn = await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
      const times = await tx
        .selectFrom('cooldown_hits')
        .select('at')
        .where('key', '=', key)
        .where('at', '>', now - windowMs)
        .orderBy('at')
        .execute();
      if (times.length >= limit) {
        const freeing = times[times.length - limit]?.at ?? now;
        return { ok: false, retryAfterMs: freeing + windowMs - now } as const;
      }
      await tx
        .deleteFrom('cooldown_hits')
        .where('key', '=', key)
        .where('at', '<=', now - windowMs)
        .execute();
      await tx.insertInto('cooldown_hits').values({ key, at: now }).execute();
      return { ok: true } as const;
    });
    if (now - this.lastSweep > 10 * 60_000) {
      this.lastSweep = now;
      // A day at least: another process may serve a server whose window this one has not seen.
      await db
        .deleteFrom('cooldown_hits')
        .where('at', '<=', now - Math.max(this.longestWindowMs, 86_400_000))
        .execute();
    }
    return turn;
  }
}
