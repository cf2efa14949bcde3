/**
 * Issue 16's many-process proof: real processes of the compiled bot on one embedded PostgreSQL —
 * three HTTP replicas (`MODE=http`) and two gateway shards (`npm run start:sharded`) — post each
 * server's link of the day exactly once, also when a replica is killed (SIGKILL) while its post is
 * on the wire. Counted at the fake Discord once every process has exited, so no late duplicate can
 * still arrive: messages per channel, and POSTs per channel (the claim, not only Discord's nonce,
 * kept the others from sending).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/storage/open-storage.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { startScript, until, type Running } from './processes.js';
import { newSigner } from './signed-requests.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';

/** Four servers: three due when the replicas start, the fourth set up once the shards come. */
const GUILDS = ['1310000000004194404', '1310000000000000100', '1310000000008388708', '1310000000012582912'];

let server: TestPostgres;
const fake = new FakeDiscord({ guildIds: GUILDS });
const started: Running[] = [];

beforeAll(async () => {
  [server] = await Promise.all([startPostgres(), fake.start()]);
}, 60_000);

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await fake.stop();
  await server?.stop();
});

/**
 * A zone where it is about noon now, so that "00:00" is due and the local day cannot turn during
 * the test (Etc/GMT-N is UTC+N; N from -11 to 12 always exists).
 */
function noonZone(now = new Date()): string {
  const ahead = 12 - now.getUTCHours();
  return ahead === 0 ? 'Etc/UTC' : `Etc/GMT${ahead > 0 ? '-' : '+'}${Math.abs(ahead)}`;
}

/** A token per replica (the fake accepts any bot token), so a request at the fake says which replica sent it. */
const tokenOf = (replica: number) => FAKE_TOKEN.replace(/f+$/, String(replica).repeat(38));

const isPost = (r: { method: string; path: string }) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path);

async function saveDaily(url: string, indexes: number[]): Promise<void> {
  const storage = await openStorage({ databaseUrl: url, stateDir: '/nonexistent' });
  try {
    const timezone = noonZone();
    for (const i of indexes) {
      await storage.saveSettings({
        guildId: GUILDS[i] ?? '',
        daily: { channelId: fake.channelIds[i] ?? '', time: '00:00', timezone },
        updatedAt: new Date().toISOString(),
      });
    }
  } finally {
    await storage.close();
  }
}

async function stop(p: Running): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  return p.exit;
}

describe('three HTTP replicas and two gateway shards on one PostgreSQL', () => {
  it('post each server’s link of the day exactly once, with a replica killed while it posts', async () => {
    const url = await server.createDatabase();
    await saveDaily(url, [0, 1, 2]);
    const signer = newSigner();
    // The first post is held 2 s at the fake: its sender is killed while the post is on the wire.
    fake.delayNext('/channels/', 2000);
    const replicas = [0, 1, 2].map((i) =>
      startScript('src/main.ts', {
        MODE: 'http',
        HOST: '127.0.0.1',
        PORT: '0',
        DISCORD_PUBLIC_KEY: signer.publicKeyHex,
        DISCORD_TOKEN: tokenOf(i),
        DISCORD_API_URL: fake.apiUrl,
        DATABASE_URL: url,
      }),
    );
    started.push(...replicas);
    const output = () => replicas.map((r, i) => `--- replica ${i}\n${r.output()}`).join('\n');

    await until(
      () => fake.requests.some(isPost),
      () => `a first post; output:\n${output()}`,
      20_000,
    );
    const first = fake.requests.find(isPost);
    const killed = [0, 1, 2].find((i) => first?.headers['authorization'] === `Bot ${tokenOf(i)}`);
    expect(killed, 'the first post names its replica').toBeDefined();
    const victim = replicas[killed ?? 0];
    victim?.child.kill('SIGKILL');
    expect(await victim?.exit).toBeNull();
    const survivors = replicas.filter((r) => r !== victim);

    // The killed replica's post still lands (Discord took the request); the others post the rest.
    const posted = (i: number) => fake.channelMessages.filter((m) => m.channelId === fake.channelIds[i]).length;
    await until(
      () => [0, 1, 2].every((i) => posted(i) === 1),
      () => `a post in each of 3 channels; output:\n${output()}`,
      20_000,
    );

    // The shards come on the same database, as a fourth server's settings are saved: shard 0
    // posts it (the replicas check again only in a minute) and none of the three again.
    await saveDaily(url, [3]);
    const shards = startScript('src/shard.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: url,
      SHARD_COUNT: '2',
      SHARD_SPAWN_DELAY_MS: '0',
    });
    started.push(shards);
    await until(
      () => posted(3) === 1,
      () => `shard 0's post for the fourth server; output:\n${shards.output()}`,
      25_000,
    );
    await until(
      () => shards.output().includes('all 2 shards are up'),
      () => `both shards; output:\n${shards.output()}`,
      25_000,
    );

    expect(await Promise.all([...survivors, shards].map(stop))).toEqual([0, 0, 0]);
    expect(GUILDS.map((_, i) => posted(i))).toEqual([1, 1, 1, 1]);
    const posts = fake.requests.filter(isPost).map((r) => r.path);
    expect(posts.sort()).toEqual(fake.channelIds.map((id) => `/channels/${id}/messages`).sort());
    // Which process posted what: two for the survivors and the killed one, the fourth from shard 0.
    expect(shards.output()).toMatch(`"msg":"posted the link of the day for `);
    expect(fake.requests.filter(isPost).find((r) => r.path.includes(fake.channelIds[3] ?? '-'))?.headers['authorization']).toBe(
      `Bot ${FAKE_TOKEN}`,
    );
  }, 60_000);
});
