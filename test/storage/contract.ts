import type { Kysely, Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { StorageUnavailable, type GuildSettings, type Storage } from '../../src/storage/storage.js';

/** One database under test: empty when made, each open a new connection to it. */
export interface TestDatabase {
  open(migrations?: Readonly<Record<string, Migration>>): Promise<Storage>;
}

export interface ContractTarget {
  kind: Storage['kind'];
  /** A new, empty database. */
  newDatabase(): Promise<TestDatabase>;
  /** Opens a storage where none can be reached; `setting` is what its message must name. */
  openUnreachable(): Promise<Storage>;
  setting: string;
}

const GUILD = '111111111111111111';
const OTHER = '222222222222222222';
const DAY = '2026-12-03';
const T0 = new Date('2026-12-03T09:00:00Z');
const STALE = 60_000;

const ada: GuildSettings = {
  guildId: GUILD,
  daily: { channelId: '333333333333333333', time: '09:30', timezone: 'Europe/Berlin', category: 'Rust' },
  cooldown: { commands: 3, seconds: 20 },
  updatedAt: '2026-12-03T08:00:00.000Z',
};

/** A migration after linkdex's newest, as a newer linkdex would have. */
const future: Record<string, Migration> = { ...MIGRATIONS, '0099_future': { up: async () => undefined } };

/** Creates a table, then fails: the table must not be left behind. */
const broken = (fail: boolean): Record<string, Migration> => ({
  ...MIGRATIONS,
  '0002_probe': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('probe').addColumn('id', 'integer').execute();
      await db
        .insertInto('guild_settings' as never)
        .values({ guild_id: 'x', settings: '{}', updated_at: 'x' } as never)
        .execute();
      if (fail) throw new Error('the probe fails on purpose');
    },
  },
});

/** The behaviour every adapter has: run by sqlite.test.ts and postgres.test.ts. */
export function storageContract(target: ContractTarget): void {
  async function opened<T>(body: (storage: Storage, database: TestDatabase) => Promise<T>): Promise<T> {
    const database = await target.newDatabase();
    const storage = await database.open();
    try {
      return await body(storage, database);
    } finally {
      await storage.close();
    }
  }

  describe(`the ${target.kind} storage`, () => {
    it('gives back the settings saved, replaces them on save, and has none for an unknown server', async () => {
      await opened(async (storage) => {
        expect(storage.kind).toBe(target.kind);
        expect(await storage.settings(GUILD)).toBeUndefined();
        await storage.saveSettings(ada);
        await storage.saveSettings({ guildId: OTHER, updatedAt: '2026-12-03T08:05:00.000Z' });
        expect(await storage.settings(GUILD)).toEqual(ada);
        const changed: GuildSettings = { guildId: GUILD, cooldown: { commands: 1, seconds: 5 }, updatedAt: '2026-12-03T10:00:00.000Z' };
        await storage.saveSettings(changed);
        expect(await storage.settings(GUILD)).toEqual(changed);
        expect(await storage.allSettings()).toEqual([changed, { guildId: OTHER, updatedAt: '2026-12-03T08:05:00.000Z' }]);
      });
    });

    it('keeps the settings across a restart', async () => {
      const database = await target.newDatabase();
      const first = await database.open();
      await first.saveSettings(ada);
      await first.close();
      const second = await database.open();
      expect(await second.settings(GUILD)).toEqual(ada);
      await second.close();
    });

    it('forgets a server it left: its settings and its claims', async () => {
      await opened(async (storage) => {
        await storage.saveSettings(ada);
        await storage.saveSettings({ guildId: OTHER, updatedAt: ada.updatedAt });
        await storage.dailyPosted(GUILD, DAY, T0);
        await storage.deleteGuild(GUILD);
        expect(await storage.settings(GUILD)).toBeUndefined();
        expect((await storage.allSettings()).map((s) => s.guildId)).toEqual([OTHER]);
        expect(await storage.claimDaily(GUILD, DAY, T0, STALE)).toMatchObject({ claimed: true });
      });
    });

    it('tells its listeners of a save and a deletion, until they unsubscribe', async () => {
      await opened(async (storage) => {
        const heard: string[] = [];
        const stop = storage.onSettingsChanged((guildId) => heard.push(guildId));
        await storage.saveSettings(ada);
        await storage.deleteGuild(OTHER);
        stop();
        await storage.saveSettings(ada);
        expect(heard).toEqual([GUILD, OTHER]);
      });
    });

    it('gives the daily post to exactly one of many claims made at once, from two connections', async () => {
      await opened(async (storage, database) => {
        const other = await database.open();
        try {
          const claims = await Promise.all(
            Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? storage : other).claimDaily(GUILD, DAY, T0, STALE)),
          );
          const won = claims.filter((c) => c.claimed);
          expect(won).toHaveLength(1);
          expect(won[0]).toEqual({ claimed: true, nonce: expect.stringMatching(/^[0-9a-f]{25}$/) });
          // Another day, another server: claims of their own.
          expect(await other.claimDaily(GUILD, '2026-12-04', T0, STALE)).toMatchObject({ claimed: true });
          expect(await other.claimDaily(OTHER, DAY, T0, STALE)).toMatchObject({ claimed: true });
        } finally {
          await other.close();
        }
      });
    });

    it('lets a stale claim be taken over with the same nonce, and not a fresh one', async () => {
      await opened(async (storage) => {
        const first = await storage.claimDaily(GUILD, DAY, T0, STALE);
        if (!first.claimed) throw new Error('the first claim must win');
        expect(await storage.claimDaily(GUILD, DAY, new Date(T0.getTime() + STALE - 1), STALE)).toEqual({ claimed: false });
        expect(await storage.claimDaily(GUILD, DAY, new Date(T0.getTime() + STALE), STALE)).toEqual({ claimed: true, nonce: first.nonce });
        // Taken over at T0 + STALE: stale again only a full STALE later.
        expect(await storage.claimDaily(GUILD, DAY, new Date(T0.getTime() + 2 * STALE - 1), STALE)).toEqual({ claimed: false });
      });
    });

    it('lets a released claim be claimed again, and never a day posted', async () => {
      await opened(async (storage) => {
        expect(await storage.claimDaily(GUILD, DAY, T0, STALE)).toMatchObject({ claimed: true });
        await storage.releaseDaily(GUILD, DAY);
        expect(await storage.claimDaily(GUILD, DAY, T0, STALE)).toMatchObject({ claimed: true });
        await storage.dailyPosted(GUILD, DAY, T0);
        await storage.releaseDaily(GUILD, DAY);
        expect(await storage.claimDaily(GUILD, DAY, new Date(T0.getTime() + 10 * STALE), STALE)).toEqual({ claimed: false });
        // Posted without a claim (the old JSON state's day): never claimed either.
        await storage.dailyPosted(OTHER, DAY, T0);
        expect(await storage.claimDaily(OTHER, DAY, T0, STALE)).toEqual({ claimed: false });
      });
    });

    it('takes cooldown turns in a sliding window and says exactly how long to wait', async () => {
      await opened(async (storage) => {
        const key = `${GUILD}:444444444444444444`;
        expect(await storage.takeCooldown(key, 1_000, 2, 10_000)).toEqual({ ok: true });
        expect(await storage.takeCooldown(key, 4_000, 2, 10_000)).toEqual({ ok: true });
        expect(await storage.takeCooldown(key, 5_000, 2, 10_000)).toEqual({ ok: false, retryAfterMs: 6_000 });
        // A refused turn is not recorded: the first turn's end frees one.
        expect(await storage.takeCooldown(key, 11_000, 2, 10_000)).toEqual({ ok: true });
        expect(await storage.takeCooldown(key, 11_500, 2, 10_000)).toEqual({ ok: false, retryAfterMs: 2_500 });
        expect(await storage.takeCooldown(`${OTHER}:444444444444444444`, 11_500, 2, 10_000)).toEqual({ ok: true });
        expect(await storage.takeCooldown(key, 11_500, 0, 10_000)).toEqual({ ok: true });
      });
    });

    it('exports what it holds, and an empty store that imports it holds the same', async () => {
      await opened(async (storage) => {
        await storage.saveSettings(ada);
        await storage.saveSettings({ guildId: OTHER, cooldown: { commands: 0, seconds: 1 }, updatedAt: ada.updatedAt });
        await storage.dailyPosted(GUILD, DAY, T0);
        await storage.dailyPosted(GUILD, '2026-12-02', T0);
        expect(await storage.claimDaily(OTHER, DAY, T0, STALE)).toMatchObject({ claimed: true });
        const dump = await storage.exportState();
        expect(dump).toEqual({
          format: 'linkdex-state',
          version: 1,
          settings: [ada, { guildId: OTHER, cooldown: { commands: 0, seconds: 1 }, updatedAt: ada.updatedAt }],
          // A claim not posted is not a post.
          dailyPosted: [
            { guildId: GUILD, day: '2026-12-02' },
            { guildId: GUILD, day: DAY },
          ],
        });
        const empty = await (await target.newDatabase()).open();
        try {
          expect(await empty.importState(JSON.parse(JSON.stringify(dump)))).toEqual({ settings: 2, dailyPosted: 2 });
          expect(await empty.exportState()).toEqual(dump);
          expect(await empty.claimDaily(GUILD, DAY, T0, STALE)).toEqual({ claimed: false });
          // Importing again changes nothing.
          await empty.importState(dump);
          expect(await empty.exportState()).toEqual(dump);
        } finally {
          await empty.close();
        }
      });
    });

    it('refuses a database a newer linkdex wrote, naming both schema versions', async () => {
      const database = await target.newDatabase();
      const newer = await database.open(future);
      await newer.saveSettings(ada);
      await newer.close();
      await expect(database.open()).rejects.toThrow(
        /^the database at .+ has schema version 99; this linkdex knows up to 1: upgrade linkdex or use another DATABASE_URL$/,
      );
    });

    it('rolls back a migration that fails half-way, and runs it once it works', async () => {
      const database = await target.newDatabase();
      const first = await database.open();
      await first.saveSettings(ada);
      await first.close();
      await expect(database.open(broken(true))).rejects.toThrow(
        /could not be upgraded: migration 0002_probe failed \(the probe fails on purpose\); it was rolled back, nothing changed$/,
      );
      // Its table and row are gone: the same migration now runs from the start without a clash.
      const fixed = await database.open(broken(false));
      expect((await fixed.allSettings()).map((s) => s.guildId)).toEqual([GUILD, 'x']);
      await fixed.close();
    });

    it('answers ping while open, and rejects every call with StorageUnavailable once closed', async () => {
      const storage = await (await target.newDatabase()).open();
      expect(await storage.ping()).toBe(true);
      await storage.close();
      expect(await storage.ping()).toBe(false);
      await expect(storage.settings(GUILD)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(storage.saveSettings(ada)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(storage.claimDaily(GUILD, DAY, T0, STALE)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(storage.takeCooldown('k', 0, 1, 1000)).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(storage.exportState()).rejects.toBeInstanceOf(StorageUnavailable);
      await storage.close();
    });

    it(`cannot be opened where no database can be reached, and says so naming ${target.setting}`, async () => {
      const opening = target.openUnreachable();
      await expect(opening).rejects.toBeInstanceOf(StorageUnavailable);
      await expect(opening).rejects.toThrow(target.setting);
    });
  });
}
