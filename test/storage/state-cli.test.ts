/**
 * `linkdex state export` and `import`, in-process: a backup of the SQLite file moved into a real
 * PostgreSQL, and what a missing or malformed file, or a database out of reach, gets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'linkdex-state-cli-'));
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(cwd, { recursive: true, force: true });
});

async function linkdex(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(argv, {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    cwd,
    now: () => new Date('2026-12-03T10:00:00Z'),
  });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

const GUILD = '111111111111111111';
const settings = {
  guildId: GUILD,
  daily: { channelId: '333333333333333333', time: '09:30', timezone: 'Europe/Berlin' },
  updatedAt: '2026-12-03T08:00:00.000Z',
};

describe('linkdex state', () => {
  it('exports the SQLite file, and PostgreSQL that imports it holds the same', async () => {
    const sqlite = { STATE_DIR: path.join(cwd, 'state') };
    const storage = await openStorage({ databaseUrl: undefined, stateDir: sqlite.STATE_DIR });
    await storage.saveSettings(settings);
    await storage.dailyPosted(GUILD, '2026-12-02', new Date());
    await storage.dailyPosted(GUILD, '2026-12-03', new Date());
    await storage.close();

    const exported = await linkdex(sqlite, 'state', 'export', '--out', 'backup.json');
    const file = path.join(cwd, 'state', 'linkdex.sqlite');
    expect(exported).toEqual({
      status: 0,
      stdout: '',
      stderr: `Exported 1 server's settings and 2 posted days from the SQLite file ${file} to backup.json.`,
    });
    const backup = readFileSync(path.join(cwd, 'backup.json'), 'utf8');
    expect(JSON.parse(backup)).toEqual({
      format: 'linkdex-state',
      version: 1,
      settings: [settings],
      dailyPosted: [
        { guildId: GUILD, day: '2026-12-02' },
        { guildId: GUILD, day: '2026-12-03' },
      ],
    });

    const postgres = { DATABASE_URL: await server.createDatabase() };
    const database = /\/(test_\d+_\d+)$/.exec(postgres.DATABASE_URL)?.[1];
    expect(await linkdex(postgres, 'state', 'import', 'backup.json')).toEqual({
      status: 0,
      stdout: '',
      stderr: `Imported 1 server's settings and 2 posted days into the PostgreSQL database ${database} on 127.0.0.1:${server.port} as linkdex.`,
    });
    const again = await linkdex(postgres, 'state', 'export');
    expect(again.status).toBe(0);
    expect(`${again.stdout}\n`).toBe(backup);
    expect(again.stderr).toBe(
      `Exported 1 server's settings and 2 posted days from the PostgreSQL database ${database} on 127.0.0.1:${server.port} as linkdex.`,
    );
    expect(again.stderr).not.toContain('test-password');
  });

  it('refuses a missing or malformed file with exit 2, saying what is wrong, and imports nothing', async () => {
    const env = { STATE_DIR: path.join(cwd, 'refusing') };
    writeFileSync(path.join(cwd, 'broken.json'), '{"format": "linkdex-state",');
    writeFileSync(path.join(cwd, 'other.json'), '{"lastPosted": "2026-12-03"}');
    writeFileSync(
      path.join(cwd, 'bad.json'),
      JSON.stringify({
        format: 'linkdex-state',
        version: 1,
        settings: [{ guildId: GUILD, daily: { time: '25:00' }, updatedAt: 'x' }],
        dailyPosted: [{ guildId: GUILD, day: 'today' }],
      }),
    );
    expect(await linkdex(env, 'state', 'import', 'missing.json')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'linkdex: missing.json does not exist',
    });
    expect(await linkdex(env, 'state', 'import', 'broken.json')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^linkdex: broken\.json is not JSON \(.+\): it must be what linkdex state export wrote$/),
    });
    expect(await linkdex(env, 'state', 'import', 'other.json')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'linkdex: other.json is not a linkdex state export: "format" must be "linkdex-state"',
    });
    expect(await linkdex(env, 'state', 'import', 'bad.json')).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'linkdex: bad.json is not a linkdex state export: settings[0].daily needs "channelId", "time" and "timezone"; dailyPosted[0] needs "guildId" and "day" (YYYY-MM-DD)',
    });
    const exported = await linkdex(env, 'state', 'export');
    expect(JSON.parse(exported.stdout)).toMatchObject({ settings: [], dailyPosted: [] });
  });

  it('names DATABASE_URL, without its password, when the database cannot be reached (exit 2)', async () => {
    const result = await linkdex({ DATABASE_URL: 'postgres://linkdex:hunter2@127.0.0.1:9/linkdex' }, 'state', 'export');
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'linkdex: cannot reach the PostgreSQL database linkdex on 127.0.0.1:9 as linkdex: connect ECONNREFUSED 127.0.0.1:9; check DATABASE_URL',
    });
  });

  it('says how to use it when the words or flags are wrong (exit 2)', async () => {
    const env = { STATE_DIR: path.join(cwd, 'usage') };
    const usage = (message: string) => ({ status: 2, stdout: '', stderr: `linkdex: ${message}\nSee \`linkdex --help\`.` });
    const both = 'linkdex state export [--out FILE], linkdex state import FILE';
    expect(await linkdex(env, 'state')).toEqual(usage(`state needs export or import: ${both}`));
    expect(await linkdex(env, 'state', 'backup')).toEqual(usage(`unknown state command "backup"; state needs export or import: ${both}`));
    expect(await linkdex(env, 'state', 'import')).toEqual(usage('state import needs one file: linkdex state import FILE'));
    expect(await linkdex(env, 'state', 'import', 'a.json', '--out', 'b.json')).toEqual(usage('--out applies to state export only'));
    expect(await linkdex(env, 'state', 'export', '--content', 'x')).toEqual(usage('--content does not apply to state'));
    expect(await linkdex(env, 'search', 'kafka', '--out', 'x')).toEqual(usage('--out does not apply to search'));
  });
});
