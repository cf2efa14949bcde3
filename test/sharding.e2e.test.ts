/** `npm run start:sharded`: two shard processes through discord.js's ShardingManager, against the fake. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidCallback } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord, shardOf } from '../dev/fake-discord/fake-discord.js';
import { commandInteraction } from '../dev/fake-discord/interactions.js';
import { startScript, until, type Running } from './processes.js';

/** One guild on each of the two shards, by Discord's rule (id >> 22) % 2. */
const GUILDS = ['1310000000004194404', '1310000000000000100'];
const fake = new FakeDiscord({ guildIds: GUILDS });
let shards: Running;

/** The JSON lines of the manager and of both shards, interleaved. */
function logLines(): Record<string, unknown>[] {
  return shards
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  await fake.start();
  shards = startScript('src/shard.ts', {
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    SHARD_COUNT: '2',
    SHARD_SPAWN_DELAY_MS: '0',
  });
  await until(
    () => shards.output().includes('all 2 shards are up'),
    () => `both shards; output:\n${shards.output()}`,
    30_000,
  );
  await until(() => shards.output().split('"msg":"ready as').length - 1 === 2, 'two ready lines', 30_000);
  await until(() => shards.output().split('"msg":"serving ').length - 1 === 2, 'two serving lines', 30_000);
}, 60_000);

afterAll(async () => {
  shards.child.kill('SIGKILL');
  await fake.stop();
});

describe('two shards', () => {
  it('identify as shard 0 and shard 1 of 2, each with its own guild', () => {
    expect(GUILDS.map((g) => shardOf(g, 2))).toEqual([0, 1]);
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(shards.output().match(/"msg":"ready as linkdex in 1 guild"/g)).toHaveLength(2);
    expect(shards.output().match(/"msg":"serving 233 links, loaded in \d+ ms"/g)).toHaveLength(2);
  });

  it("carry their shard id on every line they log, so the manager's interleaved output says which shard wrote it", () => {
    const ready = logLines().filter((l) => String(l['msg']).startsWith('ready as'));
    expect(ready.map((l) => l['shard']).sort()).toEqual([0, 1]);
  });

  it("answer each guild's interactions from the shard that has the guild", async () => {
    for (const guildId of GUILDS) {
      const reply = await fake.dispatchInteraction(commandInteraction('search', { query: 'kafka' }, { guildId }));
      expectValidCallback(reply.body);
      expect(reply.body.type).toBe(4);
    }
  });

  it('stop together on SIGTERM, exiting 0, logging each stop as such and no error', async () => {
    shards.child.kill('SIGTERM');
    expect(await shards.exit).toBe(0);
    const lines = logLines();
    expect(lines.filter((l) => l['msg'] === 'stopping the shards')).toHaveLength(1);
    expect(
      lines
        .filter((l) => String(l['msg']).startsWith('shard ') && String(l['msg']).includes(' stopped'))
        .map((l) => l['msg'])
        .sort(),
    ).toEqual(['shard 0 stopped (exit 0)', 'shard 1 stopped (exit 0)']);
    expect(lines.filter((l) => typeof l['level'] === 'number' && l['level'] >= 50)).toEqual([]);
    // Both shards said they were shutting down, each under its id.
    expect(
      lines
        .filter((l) => l['msg'] === 'shutting down')
        .map((l) => l['shard'])
        .sort(),
    ).toEqual([0, 1]);
  }, 15_000);
});
