/** `npm run start:sharded`: two shard processes through discord.js's ShardingManager, against the fake. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidCallback } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord, shardOf } from './fake-discord/fake-discord.js';
import { commandInteraction } from './fake-discord/interactions.js';
import { repoRoot } from './helpers.js';

/** One guild on each of the two shards, by Discord's rule (id >> 22) % 2. */
const GUILDS = ['1310000000004194404', '1310000000000000100'];
const fake = new FakeDiscord({ guildIds: GUILDS });
let output = '';
let exit: Promise<number | null>;
let kill: (signal: NodeJS.Signals) => void;

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}; output:\n${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  await fake.start();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/shard.ts'], {
    cwd: repoRoot,
    env: {
      ...env,
      HOME: mkdtempSync(path.join(os.tmpdir(), 'linkdex-shards-')),
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      SHARD_COUNT: '2',
      SHARD_SPAWN_DELAY_MS: '0',
      COOLDOWN_COMMANDS: '0',
      CONTENT_DIR: '',
      LOG_LEVEL: 'info',
    },
  });
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  kill = (signal) => child.kill(signal);
  await until(() => output.includes('all 2 shards are up'), 'both shards');
  await until(() => output.split('"msg":"ready as').length - 1 === 2, 'two ready lines');
}, 60_000);

afterAll(async () => {
  kill('SIGKILL');
  await fake.stop();
});

describe('two shards', () => {
  it('identify as shard 0 and shard 1 of 2, each with its own guild', () => {
    expect(GUILDS.map((g) => shardOf(g, 2))).toEqual([0, 1]);
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(output.match(/ready as linkdex in 1 guild, serving 233 links/g)).toHaveLength(2);
  });

  it("answer each guild's interactions from the shard that has the guild", async () => {
    for (const guildId of GUILDS) {
      const reply = await fake.dispatchInteraction(commandInteraction('search', { query: 'kafka' }, { guildId }));
      expectValidCallback(reply.body);
      expect(reply.body.type).toBe(4);
    }
  });

  it('stop together on SIGTERM, exiting 0', async () => {
    kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toContain('stopping the shards');
  }, 15_000);
});
