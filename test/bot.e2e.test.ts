/**
 * The real bot, started through the same entry as `npm start`, against the fake Discord: every
 * command, autocomplete and button, answered validly (discord-api-spec plus the limits it misses).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIInteractionResponse } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidCallback, expectValidCommandsBody } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { startScript, until } from './processes.js';

const fake = new FakeDiscord();
/** `npm start` is `node dist/src/main.js`; `npm run deploy` is `node dist/src/deploy.js`. */
const start = startScript;

let bot: ReturnType<typeof start>;

/** The gateway is ready and the catalog served: from then on every answer comes at once. */
const servingAndReady = (output: string) => output.includes('"msg":"ready as') && output.includes('"msg":"serving ');

beforeAll(async () => {
  await fake.start();
  bot = start('src/main.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl });
  await until(() => servingAndReady(bot.output()), `the ready and serving log lines; output so far:\n${bot.output()}`);
}, 30_000);

afterAll(async () => {
  if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
  await fake.stop();
});

type Message = Extract<APIInteractionResponse, { data?: unknown }> & { data: Record<string, unknown> };

async function ask(payload: Parameters<FakeDiscord['dispatchInteraction']>[0]) {
  const reply = await fake.dispatchInteraction(payload);
  expectValidCallback(reply.body);
  return reply.body as Message;
}

function embed(reply: Message) {
  const embeds = reply.data['embeds'] as {
    title?: string;
    description?: string;
    url?: string;
    footer?: { text: string };
    author?: { name: string };
    fields?: { name: string; value: string }[];
  }[];
  return embeds[0];
}

function buttons(reply: Message): { label?: string; custom_id: string; disabled?: boolean }[] {
  const rows = (reply.data['components'] ?? []) as { components: { label?: string; custom_id: string; disabled?: boolean }[] }[];
  return rows.flatMap((r) => r.components);
}

describe('the bot started by npm start, against the fake Discord', () => {
  it('logs in with the Guilds intent only and logs one ready line without the token', () => {
    expect(fake.identifies[0]?.intents).toBe(1);
    const ready = bot
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"ready as'));
    expect(ready).toHaveLength(1);
    expect(ready[0]).toContain('"msg":"ready as linkdex in 1 guild"');
    // The catalog loads beside the connection, and says when it is served.
    const serving = bot
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"serving '));
    expect(serving).toHaveLength(1);
    expect(serving[0]).toMatch(/"msg":"serving 233 links, loaded in \d+ ms"/);
    expect(bot.output()).not.toContain(FAKE_TOKEN);
  });

  it('answers /search with links grouped by category, publicly', async () => {
    const reply = await ask(commandInteraction('search', { query: 'kafka' }));
    expect(reply.type).toBe(4);
    expect(reply.data['flags']).toBeUndefined();
    expect(embed(reply)?.title).toBe('Search: “kafka”');
    expect(embed(reply)?.fields?.[0]).toMatchObject({ name: 'Distributed messaging, Streams' });
    expect(embed(reply)?.fields?.[0]?.value.split('\n')[0]).toContain('[Kafka - Capacity Planning](https://www.slideshare.net/');
    expect(embed(reply)?.footer?.text).toBe('10 results');
  });

  it('pages a long search with Previous and Next, for anyone, from the button alone', async () => {
    const first = await ask(commandInteraction('search', { query: 'monitoring' }));
    const next = buttons(first).find((b) => b.label === 'Next ▶');
    expect(buttons(first).map((b) => [b.label, b.disabled])).toEqual([
      ['◀ Previous', true],
      ['Next ▶', false],
    ]);
    const second = await ask(buttonInteraction(next?.custom_id ?? ''));
    expect(second.type).toBe(7);
    expect(embed(second)?.footer?.text).toMatch(/ · page 2\/\d+$/);
  });

  it('answers an empty search privately with suggestions', async () => {
    const reply = await ask(commandInteraction('search', { query: 'observabilty zzqxv' }));
    expect(reply.data['flags']).toBe(64);
    expect(embed(reply)?.description).toContain('• Observability');
  });

  it('autocompletes /search as the member types: links by id, then exactly that link', async () => {
    const choices = await ask(autocompleteInteraction('search', { query: 'kube' }, 'query'));
    expect(choices.type).toBe(8);
    const list = choices.data['choices'] as { name: string; value: string }[];
    expect(list.map((c) => c.name)).toEqual([
      'Kubernetes for Everyone · Distributed Systems',
      'E-book kubernetes Up & Running · Distributed Systems',
      'Alternatives for Local Kubernetes development · Tools, Libraries',
    ]);
    const picked = await ask(commandInteraction('search', { query: list[0]?.value ?? '' }));
    expect(embed(picked)).toMatchObject({ title: 'Kubernetes for Everyone' });
    const categories = await ask(autocompleteInteraction('search', { query: 'x', category: 'obs' }, 'category'));
    expect(categories.data['choices']).toEqual([{ name: 'Observability (49)', value: 'Observability' }]);
  });

  it('browses /category with first/previous/next/last and lists every category for "all"', async () => {
    const reply = await ask(commandInteraction('category', { name: 'devops' }));
    expect(embed(reply)).toMatchObject({
      title: 'Devops/Monitoring',
      description: 'From Programming · 24 links',
      footer: { text: '24 links · page 1/3' },
    });
    const last = await ask(
      buttonInteraction(buttons(reply).find((b) => b.label === 'Last ⏭')?.custom_id ?? '', {}, { command: 'category' }),
    );
    expect(embed(last)?.footer?.text).toBe('24 links · page 3/3');
    const all = await ask(commandInteraction('category', { name: 'all' }));
    expect(embed(all)?.title).toBe('Categories');
    expect(embed(all)?.description?.split('\n')).toHaveLength(23);
    const unknown = await ask(commandInteraction('category', { name: 'zzqxv' }));
    expect(unknown.data['flags']).toBe(64);
    const complete = await ask(autocompleteInteraction('category', { name: 'a' }, 'name'));
    expect((complete.data['choices'] as { value: string }[])[0]?.value).toBe('all');
  });

  it('answers /random with one linked title and an Another button, and /random today the same for everyone', async () => {
    const reply = await ask(commandInteraction('random', {}));
    expect(embed(reply)?.author?.name).toBe('🎲 Random link');
    expect(embed(reply)?.url).toMatch(/^https?:\/\//);
    const another = await ask(buttonInteraction(buttons(reply)[0]?.custom_id ?? '', {}, { command: 'random' }));
    expect(another.type).toBe(7);
    const today = await ask(commandInteraction('random', { today: true }));
    const again = await ask(commandInteraction('random', { today: true }));
    expect(embed(today)?.url).toBe(embed(again)?.url);
    expect(embed(today)?.author?.name).toMatch(/^📅 Link of the day · \d{4}-\d{2}-\d{2}$/);
  });

  it('answers /help with the commands and the catalog size', async () => {
    const reply = await ask(commandInteraction('help', {}));
    expect(JSON.stringify(reply.data)).toContain('233 links in 23 categories');
  });

  it('answers stale and foreign buttons privately', async () => {
    const foreign = await ask(buttonInteraction('not-ours'));
    expect(foreign.data['flags']).toBe(64);
    expect(embed(foreign)?.title).toBe('This button no longer works');
    const gone = await ask(buttonInteraction('lx|category|2|n|name=Vanished', {}, { command: 'category' }));
    expect(gone.data['flags']).toBe(64);
    expect(embed(gone)?.description).toContain('No such category “Vanished”. The categories are: ');
  });

  it('answers every interaction within Discord’s 3 seconds', () => {
    expect(fake.callbacks.length).toBeGreaterThan(15);
    expect(Math.max(...fake.callbacks.map((c) => c.ms))).toBeLessThan(3000);
    expect(fake.unknownRequests).toEqual([]);
  });

  it('exits 0 within 5 seconds of SIGTERM', async () => {
    const started = Date.now();
    bot.child.kill('SIGTERM');
    expect(await bot.exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('npm run deploy', () => {
  it('registers the commands to one guild with a bulk overwrite, idempotently, and says where', async () => {
    for (let i = 0; i < 2; i++) {
      const deploy = start('src/deploy.ts', {
        DISCORD_TOKEN: FAKE_TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_CLIENT_ID: fake.applicationId,
        DISCORD_GUILD_ID: fake.guildIds[0] ?? '',
      });
      expect(await deploy.exit).toBe(0);
      expect(deploy.output()).toContain(
        `Registered 5 commands to guild ${fake.guildIds[0]} (instant): /search, /category, /random, /help, /settings`,
      );
    }
    const [first, second] = fake.commandDeploys;
    expect(first?.scope).toBe(fake.guildIds[0]);
    expect(second?.body).toEqual(first?.body);
    expectValidCommandsBody(first?.body);
  });

  it('registers globally without a guild, and names every missing variable', async () => {
    const global = start('src/deploy.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_CLIENT_ID: fake.applicationId,
    });
    expect(await global.exit).toBe(0);
    expect(fake.commandDeploys.at(-1)?.scope).toBe('global');
    const missing = start('src/deploy.ts', { DISCORD_TOKEN: '', DISCORD_API_URL: fake.apiUrl });
    expect(await missing.exit).toBe(2);
    expect(missing.output()).toContain('DISCORD_TOKEN is required to register commands');
    expect(missing.output()).toContain('DISCORD_CLIENT_ID is required to register commands');
  });
});

describe('cooldowns in the running bot', () => {
  it('answer a member over the limit privately, while autocomplete goes on', async () => {
    const limited = start('src/main.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      COOLDOWN_COMMANDS: '2',
      COOLDOWN_SECONDS: '60',
    });
    try {
      await until(() => servingAndReady(limited.output()), 'the ready and serving lines');
      expect((await ask(commandInteraction('help', {}))).data['flags']).toBeUndefined();
      expect((await ask(commandInteraction('help', {}))).data['flags']).toBeUndefined();
      const third = await ask(commandInteraction('help', {}));
      expect(third.data['flags']).toBe(64);
      expect(embed(third)?.title).toBe('Slow down');
      expect(embed(third)?.description).toMatch(/^Try again in \d+ s\.$/);
      expect((await ask(autocompleteInteraction('search', { query: 'ku' }, 'query'))).type).toBe(8);
    } finally {
      limited.child.kill('SIGTERM');
      await limited.exit;
    }
  }, 30_000);
});

describe('live reload in the running bot', () => {
  it('serves a link added to the content while it runs, and logs the reload', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-live-bot-'));
    writeFileSync(path.join(dir, 'links.md'), '# Tools\n\n- [Alpha tool](https://alpha.example.com)\n');
    const live = start('src/main.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      CONTENT_DIR: dir,
      COOLDOWN_COMMANDS: '0',
    });
    try {
      await until(() => servingAndReady(live.output()), 'the ready and serving lines');
      writeFileSync(
        path.join(dir, 'links.md'),
        '# Tools\n\n- [Alpha tool](https://alpha.example.com)\n- [Zeta tool](https://zeta.example.com)\n',
      );
      await until(
        () => live.output().includes('reloaded: 1 added, 0 removed, 0 changed, 2 links'),
        `the reload line; output:\n${live.output()}`,
      );
      const reply = await ask(commandInteraction('search', { query: 'zeta' }));
      expect(embed(reply)?.title).toBe('Search: “zeta”');
      rmSync(dir, { recursive: true, force: true });
      await until(() => live.output().includes('reload failed; still serving the 2 links loaded before'), 'the failed reload line');
      expect(embed(await ask(commandInteraction('search', { query: 'alpha' })))?.footer?.text).toBe('1 result');
    } finally {
      live.child.kill('SIGTERM');
      await live.exit;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the daily post in the running bot', () => {
  it('posts the link of the day at start when its time has passed, and not again after a restart', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-state-'));
    const settings = {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DAILY_CHANNEL_ID: fake.channelId,
      DAILY_TIME: '00:00',
      STATE_DIR: stateDir,
    };
    const before = fake.channelMessages.length;
    for (let run = 0; run < 2; run++) {
      const bot = start('src/main.ts', settings);
      try {
        await until(() => servingAndReady(bot.output()), 'the ready and serving lines');
        if (run === 0) await until(() => bot.output().includes('posted the link of the day'), `the daily post; output:\n${bot.output()}`);
        else await new Promise((r) => setTimeout(r, 500));
      } finally {
        bot.child.kill('SIGTERM');
        await bot.exit;
      }
    }
    expect(fake.channelMessages.length - before).toBe(1);
    expect(JSON.stringify(fake.channelMessages.at(-1)?.body)).toMatch(/📅 Link of the day · \d{4}-\d{2}-\d{2}/);
  }, 40_000);

  it('does not post again the day that the JSON state of an older linkdex says was posted, and keeps that file renamed', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-state-'));
    const today = new Date().toISOString().slice(0, 10);
    writeFileSync(path.join(stateDir, 'daily-post.json'), `${JSON.stringify({ lastPosted: today })}\n`);
    const before = fake.channelMessages.length;
    const bot = start('src/main.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DAILY_CHANNEL_ID: fake.channelId,
      DAILY_TIME: '00:00',
      STATE_DIR: stateDir,
    });
    try {
      await until(
        () => bot.output().includes('the old daily post state is in the database now'),
        `the import line; output:\n${bot.output()}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exit;
    }
    expect(fake.channelMessages.length - before).toBe(0);
    expect(readdirSync(stateDir).sort()).toEqual(expect.arrayContaining(['daily-post.json.migrated', 'linkdex.sqlite']));
    expect(readdirSync(stateDir)).not.toContain('daily-post.json');
    expect(JSON.parse(readFileSync(path.join(stateDir, 'daily-post.json.migrated'), 'utf8'))).toEqual({ lastPosted: today });
    rmSync(stateDir, { recursive: true, force: true });
  }, 40_000);
});

describe('health and metrics', () => {
  it('serves /healthz and Prometheus /metrics with interactions, latency, catalog size and process metrics', async () => {
    const bot = start('src/main.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      METRICS_PORT: '0',
      COOLDOWN_COMMANDS: '0',
    });
    try {
      await until(() => bot.output().includes('health and metrics on http://127.0.0.1:'), `the metrics line; output:\n${bot.output()}`);
      // The port is bound before the login, and healthy once the gateway is ready.
      await until(() => servingAndReady(bot.output()), `the ready and serving lines; output:\n${bot.output()}`);
      const port = /127\.0\.0\.1:(\d+)\/healthz/.exec(bot.output())?.[1];
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok: connected, 233 links\n');
      await ask(commandInteraction('search', { query: 'kafka' }));
      await ask(autocompleteInteraction('search', { query: 'ku' }, 'query'));
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('linkdex_interactions_total{command="search",outcome="answered"} 1');
      expect(metrics).toContain('linkdex_interactions_total{command="search",outcome="autocomplete"} 1');
      expect(metrics).toMatch(/linkdex_interaction_duration_seconds_count\{command="search"\} 2/);
      expect(metrics).toContain('linkdex_catalog_entries 233');
      // The load at start counts as the last reload until the content changes.
      expect(metrics).toContain('linkdex_last_reload_success 1');
      const reloaded = Number(/^linkdex_last_reload_timestamp_seconds (\S+)$/m.exec(metrics)?.[1]);
      expect(Math.abs(reloaded - Date.now() / 1000)).toBeLessThan(120);
      expect(metrics).toMatch(/linkdex_gateway_ping_seconds \S+/);
      expect(metrics).toContain('process_cpu_user_seconds_total');
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      bot.child.kill('SIGTERM');
      expect(await bot.exit).toBe(0);
    }
  }, 30_000);
});
