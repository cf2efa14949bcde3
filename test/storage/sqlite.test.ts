import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStorage } from '../../src/storage/sqlite.js';
import { openStorage } from '../../src/storage/open-storage.js';
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
