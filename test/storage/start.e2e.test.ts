/**
 * The bot and the HTTP endpoint with their storage: opened at start (the SQLite file under
 * STATE_DIR by default), and a database that cannot be opened stops the start in one line naming
 * what to fix, with exit code 2, as any other bad setting.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeDiscord } from '../../dev/fake-discord/fake-discord.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { openSqliteStorage } from '../../src/storage/sqlite.js';
import { startScript, until } from '../processes.js';

const fake = new FakeDiscord();
const folder = mkdtempSync(path.join(os.tmpdir(), 'linkdex-start-storage-'));
const PUBLIC_KEY = '0'.repeat(63) + '1';

beforeAll(() => fake.start());
afterAll(async () => {
  await fake.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The `msg` of every fatal log line. */
function fatalLines(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level === 60)
    .map((l) => l.msg);
}

const PROCESS_MS = 60_000;

describe('the storage at start', () => {
  it(
    'opens the SQLite file under STATE_DIR by default, and the bot serves',
    async () => {
      const stateDir = path.join(folder, 'default');
      const bot = startScript('src/main.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, STATE_DIR: stateDir });
      try {
        await until(
          () => bot.output().includes('serving 233 links'),
          () => `the serving line; output:\n${bot.output()}`,
          PROCESS_MS,
        );
        expect(existsSync(path.join(stateDir, 'linkdex.sqlite'))).toBe(true);
      } finally {
        bot.child.kill('SIGTERM');
      }
      expect(await bot.exit).toBe(0);
      expect(fatalLines(bot.output())).toEqual([]);
    },
    PROCESS_MS,
  );

  it(
    'stops the bot with exit 2 naming DATABASE_URL when PostgreSQL cannot be reached, and never prints the password',
    async () => {
      const bot = startScript('src/main.ts', {
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        DATABASE_URL: 'postgres://linkdex:hunter2@127.0.0.1:9/linkdex',
      });
      expect(await bot.exit).toBe(2);
      expect(fatalLines(bot.output())).toEqual([
        'cannot start: cannot reach the PostgreSQL database linkdex on 127.0.0.1:9 as linkdex: connect ECONNREFUSED 127.0.0.1:9; check DATABASE_URL',
      ]);
      expect(bot.output()).not.toContain('hunter2');
    },
    PROCESS_MS,
  );

  it(
    'stops the HTTP endpoint with exit 2 naming the SQLite file and STATE_DIR when the file cannot be made',
    async () => {
      const notAFolder = path.join(folder, 'a-file');
      writeFileSync(notAFolder, '');
      const endpoint = startScript('src/main.ts', { MODE: 'http', PORT: '0', DISCORD_PUBLIC_KEY: PUBLIC_KEY, STATE_DIR: notAFolder });
      expect(await endpoint.exit).toBe(2);
      const file = path.join(notAFolder, 'linkdex.sqlite');
      expect(fatalLines(endpoint.output())).toEqual([
        `cannot start: cannot use the SQLite file ${file}: ${notAFolder} is not a folder; check STATE_DIR`,
      ]);
    },
    PROCESS_MS,
  );

  it(
    'refuses a database a newer linkdex wrote, with exit 2',
    async () => {
      const stateDir = path.join(folder, 'newer');
      const newer = await openSqliteStorage({
        file: path.join(stateDir, 'linkdex.sqlite'),
        migrations: { ...MIGRATIONS, '0002_later': { up: async () => undefined } },
      });
      await newer.close();
      const bot = startScript('src/main.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, STATE_DIR: stateDir });
      expect(await bot.exit).toBe(2);
      expect(fatalLines(bot.output())).toEqual([
        `cannot start: the database at ${path.join(stateDir, 'linkdex.sqlite')} has schema version 2; this linkdex knows up to 1: upgrade linkdex or use another DATABASE_URL`,
      ]);
    },
    PROCESS_MS,
  );
});
