/**
 * Replicas on one real PostgreSQL: a member's cooldown is shared (no way round it on another
 * replica), a server's settings saved on one replica reach the others' caches, and the link of
 * the day is posted once per server whatever the number of replicas.
 */
import { REST, type APIInteraction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsDefaults } from '../src/app.js';
import { commands } from '../src/commands/index.js';
import { loadConfig } from '../src/config.js';
import { answerInteraction } from '../src/discord/answer-interaction.js';
import { startDailyPosts } from '../src/discord/daily-post.js';
import { silentLogger } from '../src/logger.js';
import { Cooldowns, ServerCooldowns } from '../src/serve/cooldowns.js';
import { SettingsCache } from '../src/serve/settings-cache.js';
import { openStorage } from '../src/storage/open-storage.js';
import type { Storage } from '../src/storage/storage.js';
import { FAKE_IDS, FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { commandInteraction, subcommandInteraction } from '../dev/fake-discord/interactions.js';
import { startPostgres, type TestPostgres } from './support/postgres.js';
import { repoRoot, seedLinkdex } from './helpers.js';

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const linkdex = seedLinkdex();
const config = loadConfig({ LOG_LEVEL: 'silent', COOLDOWN_COMMANDS: '3', COOLDOWN_SECONDS: '60' }, repoRoot);

/** One replica: its own storage connection, settings cache and cooldowns, answering as the app does. */
async function replica(url: string, clock: () => number) {
  const storage = await openStorage({ databaseUrl: url, stateDir: '/nonexistent' });
  const logger = silentLogger();
  const settings = new SettingsCache(storage, logger);
  const cooldowns = new ServerCooldowns(new Cooldowns(config.cooldownCommands, config.cooldownSeconds * 1000), settings, storage, logger);
  const services = { logger, storage, settings, defaults: settingsDefaults(config) };
  const ask = async (api: APIInteraction): Promise<string> => {
    const { callback } = await answerInteraction(api, {
      linkdex: () => linkdex,
      commands,
      now: () => new Date(clock()),
      services,
      cooldowns,
      onError: (error) => {
        throw error;
      },
    });
    return (callback as unknown as { data: { embeds: { title: string }[] } }).data.embeds[0]?.title ?? '';
  };
  return { storage, settings, ask };
}

describe('replicas on one PostgreSQL', () => {
  it("share each member's cooldown, the default's and a server's own, and hear a server's new settings", async () => {
    const url = await server.createDatabase();
    let now = Date.parse('2026-03-01T12:00:00Z');
    const clock = () => (now += 100);
    const a = await replica(url, clock);
    const b = await replica(url, clock);
    try {
      // The default, 3 a minute, counted across both replicas.
      expect([
        await a.ask(commandInteraction('help')),
        await b.ask(commandInteraction('help')),
        await a.ask(commandInteraction('help')),
      ]).toEqual(['linkdex', 'linkdex', 'linkdex']);
      expect(await b.ask(commandInteraction('help'))).toBe('Slow down');

      // A minute later, the server's own rule saved on A (one command in 10 s) reaches B's cache.
      now += 60_000;
      expect(await a.ask(subcommandInteraction('settings', 'cooldown', { commands: 1, seconds: 10 }))).toBe('Settings saved');
      await expect
        .poll(() => b.settings.get(FAKE_IDS.guild), { timeout: 1000, interval: 20 })
        .toMatchObject({
          cooldown: { commands: 1, seconds: 10 },
        });
      expect(await b.ask(commandInteraction('help'))).toBe('linkdex');
      expect(await a.ask(commandInteraction('help'))).toBe('Slow down');
      expect(await b.ask(commandInteraction('help'))).toBe('Slow down');
    } finally {
      a.settings.close();
      b.settings.close();
      await a.storage.close();
      await b.storage.close();
    }
  });

  it('post the link of the day once per server, however many check the same minute', async () => {
    const url = await server.createDatabase();
    const fake = new FakeDiscord({ guildIds: ['1310000000000000100', '1310000000000000101'] });
    await fake.start();
    const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken(FAKE_TOKEN);
    const stores: Storage[] = [];
    try {
      for (let i = 0; i < 3; i++) stores.push(await openStorage({ databaseUrl: url, stateDir: '/nonexistent' }));
      const updatedAt = new Date().toISOString();
      for (const [i, guildId] of fake.guildIds.entries()) {
        const channelId = fake.channelIds[i] ?? '';
        await stores[0]?.saveSettings({ guildId, daily: { channelId, time: '09:00', timezone: 'Europe/Paris' }, updatedAt });
      }
      const now = () => new Date('2026-06-01T07:00:00Z');
      const quiet = () => undefined;
      const posts = stores.map((storage) =>
        startDailyPosts({
          rest,
          storage,
          linkdex: () => linkdex,
          logger: { info: quiet, warn: quiet, error: quiet },
          now,
          everyMs: 60_000,
        }),
      );
      await Promise.all([...posts.map((p) => p.check()), ...posts.map((p) => p.check())]);
      for (const p of posts) p.stop();
      expect(fake.channelMessages.map((m) => m.channelId).sort()).toEqual([...fake.channelIds].sort());
    } finally {
      for (const storage of stores) await storage.close();
      await fake.stop();
    }
  });
});
