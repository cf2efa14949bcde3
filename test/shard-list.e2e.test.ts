/**
 * SHARD_LIST: `npm run start:sharded` on one machine of two starts only its own shards of
 * SHARD_COUNT, against the fake Discord.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeDiscord, shardOf } from '../dev/fake-discord/fake-discord.js';
import { startScript, until, type Running } from './processes.js';

/** One guild on each of the two shards, by Discord's rule (id >> 22) % 2. */
const GUILDS = ['1310000000004194404', '1310000000000000100'];
const fake = new FakeDiscord({ guildIds: GUILDS });
let shards: Running | undefined;

afterAll(async () => {
  if (shards?.child.exitCode === null) shards.child.kill('SIGKILL');
  await fake.stop();
});

describe('SHARD_LIST=1 with SHARD_COUNT=2', () => {
  it('starts shard 1 of 2 only, which serves its own guild, and stops on SIGTERM', async () => {
    expect(GUILDS.map((g) => shardOf(g, 2))).toEqual([0, 1]);
    await fake.start();
    const running = startScript('src/shard.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      SHARD_COUNT: '2',
      SHARD_LIST: '1',
      SHARD_SPAWN_DELAY_MS: '0',
    });
    shards = running;
    await until(
      () => running.output().includes('"msg":"shards 1 of 2 are up"') && running.output().includes('"msg":"serving '),
      () => `shard 1 up and serving; output:\n${running.output()}`,
      30_000,
    );
    expect(fake.identifies.map((i) => i.shard)).toEqual([[1, 2]]);
    expect(running.output()).toContain('"msg":"starting shard 1 of 2"');
    expect(running.output()).not.toContain('"msg":"starting shard 0 of 2"');
    expect(running.output().match(/"msg":"ready as linkdex in 1 guild"/g)).toHaveLength(1);
    running.child.kill('SIGTERM');
    expect(await running.exit).toBe(0);
    expect(running.output()).toContain('"msg":"shard 1 stopped (exit 0)"');
  }, 45_000);

  it('refuses a shard id not below SHARD_COUNT, naming SHARD_LIST, with exit 2', async () => {
    const refused = startScript('src/shard.ts', { DISCORD_TOKEN: FAKE_TOKEN, SHARD_COUNT: '2', SHARD_LIST: '0,2' });
    expect(await refused.exit).toBe(2);
    expect(refused.output()).toContain('SHARD_LIST has 2, but shard ids go from 0 to 1 with SHARD_COUNT=2');
  }, 15_000);
});
