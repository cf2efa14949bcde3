import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentDailyKey, importLegacyDaily } from '../../src/storage/legacy-daily.js';
import { openSqliteStorage } from '../../src/storage/sqlite.js';

const folder = mkdtempSync(path.join(tmpdir(), 'linkdex-legacy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let dirs = 0;

/** A STATE_DIR with the old file holding `content` (none when undefined), and a storage beside it. */
async function stateDir(content: string | undefined) {
  const dir = path.join(folder, String(++dirs));
  mkdirSync(dir);
  if (content !== undefined) writeFileSync(path.join(dir, 'daily-post.json'), content);
  return { dir, storage: await openSqliteStorage({ file: path.join(dir, 'linkdex.sqlite') }) };
}

const GUILD = '111111111111111111';
const NOW = new Date('2026-12-03T10:00:00Z');

describe('the daily post state of linkdex before storage (STATE_DIR/daily-post.json)', () => {
  it('becomes a posted day of the server, so that day is not posted again, and the file is renamed, not deleted', async () => {
    const { dir, storage } = await stateDir('{"lastPosted":"2026-12-03"}');
    expect(await importLegacyDaily(storage, dir, GUILD, NOW)).toEqual({
      kind: 'imported',
      key: GUILD,
      day: '2026-12-03',
      movedTo: path.join(dir, 'daily-post.json.migrated'),
    });
    expect(await storage.claimDaily(GUILD, '2026-12-03', NOW, 60_000)).toEqual({ claimed: false });
    expect(existsSync(path.join(dir, 'daily-post.json'))).toBe(false);
    expect(readFileSync(path.join(dir, 'daily-post.json.migrated'), 'utf8')).toBe('{"lastPosted":"2026-12-03"}');
    // Started again: nothing left to import.
    expect(await importLegacyDaily(storage, dir, GUILD, NOW)).toEqual({ kind: 'none' });
    // An older linkdex ran again and wrote it anew: imported too, and the first copy kept.
    writeFileSync(path.join(dir, 'daily-post.json'), '{"lastPosted":"2026-12-04"}');
    expect(await importLegacyDaily(storage, dir, GUILD, NOW)).toMatchObject({ movedTo: path.join(dir, 'daily-post.json.migrated.2') });
    expect((await storage.exportState()).dailyPosted).toEqual([
      { guildId: GUILD, day: '2026-12-03' },
      { guildId: GUILD, day: '2026-12-04' },
    ]);
    await storage.close();
  });

  it('is left in place, saying why, when it is not the old format or no daily channel is set', async () => {
    for (const content of ['not json', '{"lastPosted":"yesterday"}', 'null']) {
      const { dir, storage } = await stateDir(content);
      expect(await importLegacyDaily(storage, dir, GUILD, NOW)).toEqual({
        kind: 'kept',
        reason: `${path.join(dir, 'daily-post.json')} is not the old daily post's state ({"lastPosted": "YYYY-MM-DD"}): left in place`,
      });
      expect(readFileSync(path.join(dir, 'daily-post.json'), 'utf8')).toBe(content);
      await storage.close();
    }
    const { dir, storage } = await stateDir('{"lastPosted":"2026-12-03"}');
    expect(await importLegacyDaily(storage, dir, undefined, NOW)).toMatchObject({ kind: 'kept' });
    expect(existsSync(path.join(dir, 'daily-post.json'))).toBe(true);
    expect((await storage.exportState()).dailyPosted).toEqual([]);
    await storage.close();
  });

  it('is keyed by DISCORD_GUILD_ID when set, else by the channel of DAILY_CHANNEL_ID', () => {
    expect(environmentDailyKey({ discordGuildId: GUILD, dailyChannelId: '222222222222222222' })).toBe(GUILD);
    expect(environmentDailyKey({ dailyChannelId: '222222222222222222' })).toBe('channel:222222222222222222');
    expect(environmentDailyKey({})).toBeUndefined();
  });
});
