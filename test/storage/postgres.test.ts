import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/open-storage.js';
import { openPostgresStorage } from '../../src/storage/postgres.js';
import { StorageUnavailable, type GuildSettings, type Storage } from '../../src/storage/storage.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { storageContract } from './contract.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

/** A port nothing listens on: the server's own, once it is stopped, would race; 9 is discard, closed here. */
const NOBODY = 'postgres://linkdex:hunter2@127.0.0.1:9/linkdex';

storageContract({
  kind: 'postgres',
  setting: 'DATABASE_URL',
  async newDatabase() {
    const url = await server.createDatabase();
    return { open: (migrations) => openPostgresStorage({ url, ...(migrations ? { migrations } : {}) }) };
  },
  openUnreachable: () => openStorage({ databaseUrl: NOBODY, stateDir: '/nonexistent' }),
});

const settings = (guildId: string): GuildSettings => ({
  guildId,
  cooldown: { commands: 2, seconds: 30 },
  updatedAt: new Date().toISOString(),
});

describe('PostgreSQL shared by several processes', () => {
  async function twoProcesses<T>(body: (a: Storage, b: Storage) => Promise<T>): Promise<T> {
    const url = await server.createDatabase();
    const a = await openStorage({ databaseUrl: url, stateDir: '/nonexistent' });
    const b = await openStorage({ databaseUrl: url, stateDir: '/nonexistent' });
    try {
      return await body(a, b);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }

  it("tells one process of another's saves and deletions within a second, and each of its own once", async () => {
    await twoProcesses(async (a, b) => {
      const heardByA: string[] = [];
      const heardByB: string[] = [];
      a.onSettingsChanged((guildId) => heardByA.push(guildId));
      b.onSettingsChanged((guildId) => heardByB.push(guildId));
      await a.saveSettings(settings('111111111111111111'));
      await a.deleteGuild('222222222222222222');
      await expect.poll(() => heardByB, { timeout: 1000, interval: 20 }).toEqual(['111111111111111111', '222222222222222222']);
      expect(await b.settings('111111111111111111')).toMatchObject({ cooldown: { commands: 2, seconds: 30 } });
      // Its own changes reach A's listeners at once, and not a second time through the database.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heardByA).toEqual(['111111111111111111', '222222222222222222']);
    });
  });

  it('shares cooldowns: a member cannot get round them on another replica', async () => {
    await twoProcesses(async (a, b) => {
      const key = '111111111111111111:333333333333333333';
      expect(await a.takeCooldown(key, 1_000, 2, 10_000)).toEqual({ ok: true });
      expect(await b.takeCooldown(key, 2_000, 2, 10_000)).toEqual({ ok: true });
      expect(await a.takeCooldown(key, 3_000, 2, 10_000)).toEqual({ ok: false, retryAfterMs: 8_000 });
      expect(await b.takeCooldown(key, 3_000, 2, 10_000)).toEqual({ ok: false, retryAfterMs: 8_000 });
      // Many at once from both: exactly the limit gets through.
      const other = '111111111111111111:444444444444444444';
      const turns = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).takeCooldown(other, 5_000, 3, 10_000)));
      expect(turns.filter((t) => t.ok)).toHaveLength(3);
    });
  });

  it('describes the database without its password, also when it cannot be reached', async () => {
    const url = (await server.createDatabase()).replace('@127.0.0.1', '@localhost');
    const storage = await openStorage({ databaseUrl: url, stateDir: '/nonexistent' });
    expect(storage.description).toMatch(/^PostgreSQL database test_\d+_\d+ on localhost:\d+ as linkdex$/);
    expect(storage.description).not.toContain('test-password');
    await storage.close();
    const refused = await openStorage({ databaseUrl: NOBODY, stateDir: '/nonexistent' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StorageUnavailable);
    expect((refused as Error).message).toMatch(
      /^cannot reach the PostgreSQL database linkdex on 127\.0\.0\.1:9 as linkdex: .*ECONNREFUSED.*; check DATABASE_URL$/,
    );
    expect((refused as Error).message).not.toContain('hunter2');
  });

  it('names DATABASE_URL when the password is refused or the database does not exist', async () => {
    const wrong = server.url('postgres').replace(':test-password-not-a-secret@', ':wrong@');
    await expect(openStorage({ databaseUrl: wrong, stateDir: '/nonexistent' })).rejects.toThrow(
      /^cannot reach the PostgreSQL database postgres on 127\.0\.0\.1:\d+ as linkdex: password authentication failed for user "linkdex" \(28P01\); check DATABASE_URL$/,
    );
    await expect(openStorage({ databaseUrl: server.url('missing'), stateDir: '/nonexistent' })).rejects.toThrow(
      /database "missing" does not exist \(3D000\); check DATABASE_URL$/,
    );
  });
});
