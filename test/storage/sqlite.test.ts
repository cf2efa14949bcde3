import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../src/storage/sqlite.js';
import { openStorage, startOpeningStorage } from '../../src/storage/open-storage.js';
import { StorageUnavailable } from '../../src/storage/storage.js';
import { storageContract } from './contract.js';

const folder = mkdtempSync(path.join(tmpdir(), 'linkdex-sqlite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let databases = 0;

storageContract({
  kind: 'sqlite',
  setting: 'STATE_DIR',
  newDatabase() {
    const file = path.join(folder, `${++databases}`, 'linkdex.sqlite');
    return Promise.resolve({ open: (migrations) => openSqliteStorage({ file, ...(migrations ? { migrations } : {}) }) });
  },
  openUnreachable() {
    // STATE_DIR is a file: no folder can be made under it.
    const notAFolder = path.join(folder, 'not-a-folder');
    writeFileSync(notAFolder, '');
    return openStorage({ databaseUrl: undefined, stateDir: notAFolder });
  },
});

describe('a storage still opening (the bot connects meanwhile)', () => {
  it('is usable at once: calls wait for the opening, and listeners hear saves', async () => {
    const storage = startOpeningStorage({ databaseUrl: undefined, stateDir: path.join(folder, 'opening') });
    expect(storage.description).toBe(`SQLite file ${path.join(folder, 'opening', 'linkdex.sqlite')}`);
    const heard: string[] = [];
    storage.onSettingsChanged((guildId) => heard.push(guildId));
    await storage.saveSettings({ guildId: '111111111111111111', updatedAt: '2026-12-03T08:00:00.000Z' });
    expect(await storage.settings('111111111111111111')).toEqual({ guildId: '111111111111111111', updatedAt: '2026-12-03T08:00:00.000Z' });
    expect(heard).toEqual(['111111111111111111']);
    await storage.close();
    expect(await storage.ping()).toBe(false);
  });

  it('rejects every call with StorageUnavailable when it cannot be opened, and closes quietly', async () => {
    const notAFolder = path.join(folder, 'not-a-folder-either');
    writeFileSync(notAFolder, '');
    const storage = startOpeningStorage({ databaseUrl: undefined, stateDir: notAFolder });
    await expect(storage.opened).rejects.toThrow(`${notAFolder} is not a folder; check STATE_DIR`);
    await expect(storage.settings('111111111111111111')).rejects.toBeInstanceOf(StorageUnavailable);
    await expect(storage.claimDaily('111111111111111111', '2026-12-03', new Date(), 1000)).rejects.toBeInstanceOf(StorageUnavailable);
    expect(await storage.ping()).toBe(false);
    await storage.close();
  });
});
