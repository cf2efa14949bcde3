import { sql, type Kysely, type Migration } from 'kysely';

/** Settings per server, the daily post's claims, and the cooldowns replicas share. */
export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('guild_settings')
      .addColumn('guild_id', 'text', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('daily_claims')
      .addColumn('guild_id', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['claimed', 'posted'])))
      .addColumn('claimed_at', 'bigint', (c) => c.notNull())
      .addColumn('posted_at', 'bigint')
      .addPrimaryKeyConstraint('daily_claims_pk', ['guild_id', 'day'])
      .execute();
    // No key of its own: two commands of one member in the same millisecond are two rows.
    await db.schema
      .createTable('cooldown_hits')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cooldown_hits_key_at').on('cooldown_hits').columns(['key', 'at']).execute();
  },
};

function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
