import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter, type Migration } from 'kysely';
import { MemoryCooldowns } from './memory-cooldowns.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database as Tables } from './schema.js';
import { SqlStorage } from './sql-storage.js';
import { StorageUnavailable, type Storage } from './storage.js';

/** SQLite runs DDL in transactions as well as anything else; Kysely's adapter says no only to be safe for every engine. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/** SQLite result codes that mean the file cannot be used now, rather than a mistake in a query. */
const UNAVAILABLE = /^SQLITE_(CANTOPEN|IOERR|BUSY|LOCKED|READONLY|FULL|NOTADB|CORRUPT|PERM|AUTH)/;

export interface SqliteOptions {
  /** The database file; its folder is created. */
  file: string;
  /** What to name when the file cannot be used (`STATE_DIR`). */
  setting?: string;
  /** For tests: the migrations to run instead of linkdex's own. */
  migrations?: Readonly<Record<string, Migration>>;
}

/**
 * The default storage: one SQLite file. Several processes on one machine (shards) may share it
 * (write-ahead log, waiting up to 5 s for a lock); cooldowns stay in each process's memory.
 */
export async function openSqliteStorage(options: SqliteOptions): Promise<Storage> {
  const { file, setting = 'STATE_DIR' } = options;
  const description = `SQLite file ${file}`;
  const cannot = (error: unknown) =>
    new StorageUnavailable(`cannot use the ${description}: ${(error as Error).message}; check ${setting}`, { cause: error });
  let sqlite: Database.Database;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    sqlite = new Database(file, { timeout: 5000 });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    throw cannot(error);
  }
  const db = new Kysely<Tables>({ dialect: new TransactionalSqliteDialect({ database: sqlite }) });
  try {
    await migrate(db as Kysely<unknown>, options.migrations ?? MIGRATIONS, file);
  } catch (error) {
    await db.destroy();
    throw isUnavailable(error) ? cannot(error) : error;
  }
  const cooldowns = new MemoryCooldowns();
  return SqlStorage.open(db, {
    kind: 'sqlite',
    description,
    unavailable: (error) => (isUnavailable(error) ? cannot(error) : undefined),
    takeCooldown: (_db, key, now, limit, windowMs) => Promise.resolve(cooldowns.take(key, now, limit, windowMs)),
    close: () => Promise.resolve(),
  });
}

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNAVAILABLE.test(code);
}
