import { Migrator, type Kysely, type Migration } from 'kysely';

/** A migration name's schema version: its leading digits (`0002_claims` is 2). */
export function schemaVersion(name: string): number {
  return Number(/^\d+/.exec(name)?.[0] ?? Number.NaN);
}

/** The database was written by a newer linkdex, or a migration failed: nothing was changed. */
export class MigrationRefused extends Error {
  override readonly name = 'MigrationRefused';
}

const MIGRATION_TABLE = 'kysely_migration';

/** The migrations this database has run, by name; none when it is new. */
async function executedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return [];
  const rows = await (db as Kysely<Record<typeof MIGRATION_TABLE, { name: string }>>).selectFrom(MIGRATION_TABLE).select('name').execute();
  return rows.map((r) => r.name);
}

/**
 * Brings the schema up to the newest of `migrations`, one migration per transaction, so one that
 * fails half-way leaves the database as the one before it left it. A database that has run a
 * migration this code does not know (a newer linkdex wrote it) is refused before anything runs.
 * `where` names the database in messages ("the database at …").
 */
export async function migrate(db: Kysely<unknown>, migrations: Readonly<Record<string, Migration>>, where: string): Promise<void> {
  const known = Object.keys(migrations);
  const newest = Math.max(0, ...known.map(schemaVersion));
  const unknown = (await executedMigrations(db)).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const version = Math.max(...unknown.map(schemaVersion).filter(Number.isFinite), newest + 1);
    throw new MigrationRefused(
      `the database at ${where} has schema version ${version}; this linkdex knows up to ${newest}: upgrade linkdex or use another DATABASE_URL`,
    );
  }
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...migrations }) } });
  for (;;) {
    const { error, results = [] } = await migrator.migrateUp();
    const failed = results.find((r) => r.status === 'Error');
    if (error !== undefined || failed) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationRefused(
        `the database at ${where} could not be upgraded: migration ${failed?.migrationName ?? '?'} failed (${reason}); it was rolled back, nothing changed`,
        { cause: error },
      );
    }
    if (results.length === 0) return;
  }
}
