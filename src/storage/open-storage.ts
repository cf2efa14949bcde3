import path from 'node:path';
import type { Storage } from './storage.js';

/** The SQLite file's name under STATE_DIR. */
export const SQLITE_FILE = 'linkdex.sqlite';

/** What DATABASE_URL accepts, for messages. */
export const DATABASE_URL_FORMS = 'a postgres:// or postgresql:// URL, or nothing for the SQLite file under STATE_DIR';

/** Whether `url` names a PostgreSQL database. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the storage DATABASE_URL names, its schema brought up to date: no URL, the SQLite file
 * `<stateDir>/linkdex.sqlite` (its folder created); a `postgres://` URL, that PostgreSQL
 * database. Rejects with StorageUnavailable when the database cannot be reached, naming what to
 * fix. Each adapter, and its driver, is loaded only here, when chosen.
 */
export async function openStorage(options: { databaseUrl: string | undefined; stateDir: string }): Promise<Storage> {
  const { databaseUrl, stateDir } = options;
  if (databaseUrl === undefined || databaseUrl === '') {
    const { openSqliteStorage } = await import('./sqlite.js');
    return openSqliteStorage({ file: path.join(stateDir, SQLITE_FILE) });
  }
  if (isPostgresUrl(databaseUrl)) {
    const { openPostgresStorage } = await import('./postgres.js');
    return openPostgresStorage({ url: databaseUrl });
  }
  throw new Error(`DATABASE_URL must be ${DATABASE_URL_FORMS}`);
}
