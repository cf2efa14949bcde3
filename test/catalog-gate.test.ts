import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { APIInteraction, REST } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { LOADING_CHOICE_NAME, UNAVAILABLE_CHOICE_NAME } from '../src/answers/notices.js';
import { CatalogGate, CatalogNotReady } from '../src/catalog-gate.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import type { MessageData } from '../src/discord/render-message.js';
import { respondOnDiscord as respond, type DiscordIo as Transport } from '../src/discord/discord-transport.js';
import { withDefaults } from '../src/serve/options.js';
import type { Config } from '../src/config.js';
import type { Linkdex } from '../src/linkdex.js';
import { createLogger } from '../src/logger.js';
import { dailyPostWhenReady } from '../src/app.js';
import { openStorage } from '../src/storage/open-storage.js';
import { expectValidCallback, expectValidWebhookBody } from './discord-payload.js';
import { seedLinkdex } from './helpers.js';

let seed: Linkdex;
beforeAll(() => {
  seed = seedLinkdex();
});

/** What the bot sent for one interaction: its callback and its edits, each stamped with whether the catalog was open then. */
function recorder(gate: CatalogGate) {
  const replies: { body: unknown; open: boolean }[] = [];
  const edits: MessageData[] = [];
  const transport: Transport = {
    reply: async (body) => void replies.push({ body, open: gate.state === 'ready' }),
    editOriginal: async (body) => void edits.push(body),
  };
  return { replies, edits, transport };
}

function optionsFor(gate: CatalogGate, extra: { autocompleteWaitMs?: number; catalogWaitMs?: number } = {}) {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  const options = withDefaults({ linkdex: gate.linkdex, catalog: gate, commands, logger: createLogger('info', sink), ...extra });
  return { options, logs };
}

const title = (data: MessageData | undefined) => (data?.embeds?.[0] as { title?: string } | undefined)?.title;
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('CatalogGate', () => {
  it('is loading until opened: linkdex() refuses, then gives the live catalog of the moment', async () => {
    const gate = new CatalogGate();
    expect(gate.state).toBe('loading');
    expect(() => gate.linkdex()).toThrow(CatalogNotReady);
    const live = { current: seed };
    gate.open(live);
    await expect(gate.ready).resolves.toBeUndefined();
    expect(gate.state).toBe('ready');
    expect(gate.linkdex()).toBe(seed);
    // A reload swaps the live catalog's current Linkdex: the gate follows it.
    const reloaded = seedLinkdex();
    live.current = reloaded;
    expect(gate.linkdex()).toBe(reloaded);
  });

  it('fails once, with the reason, and nothing waiting makes it an unhandled rejection; it is never opened after', async () => {
    const gate = new CatalogGate();
    gate.fail(new Error('no links loaded'));
    gate.open({ current: seed });
    expect(gate.state).toBe('failed');
    expect(gate.failure?.message).toBe('no links loaded');
    await expect(gate.ready).rejects.toThrow('no links loaded');
    expect(() => gate.linkdex()).toThrow(CatalogNotReady);
  });
});

describe('answering while the catalog loads', () => {
  it('defers /search at once (type 5), then edits in the real answer once the catalog is there', async () => {
    const gate = new CatalogGate();
    const { replies, edits, transport } = recorder(gate);
    const { options, logs } = optionsFor(gate);
    const done = respond(commandInteraction('search', { query: 'kafka' }), transport, options);
    await tick();
    expect(replies).toEqual([{ body: { type: 5 }, open: false }]);
    expectValidCallback(replies[0]?.body);
    expect(edits).toEqual([]);
    gate.open({ current: seed });
    await done;
    expect(edits).toHaveLength(1);
    expectValidWebhookBody(edits[0]);
    expect(title(edits[0])).toBe('Search: “kafka”');
    expect(JSON.stringify(edits[0])).toContain('Kafka - Capacity Planning');
    expect(logs.at(-1)).toMatchObject({ command: 'search', outcome: 'answered', deferred: true, waitedForCatalog: true });
  });

  it('defers a button with type 6 and edits the same message with the page it asks for', async () => {
    const gate = new CatalogGate();
    const { replies, edits, transport } = recorder(gate);
    const { options } = optionsFor(gate);
    const next = encodeCustomId({ command: 'category', page: 2, nav: 'n', input: { name: 'Devops/Monitoring' } });
    const done = respond(buttonInteraction(next, {}, { command: 'category' }), transport, options);
    await tick();
    expect(replies).toEqual([{ body: { type: 6 }, open: false }]);
    expectValidCallback(replies[0]?.body);
    gate.open({ current: seed });
    await done;
    expectValidWebhookBody(edits[0]);
    expect(title(edits[0])).toBe('Devops/Monitoring');
    expect(JSON.stringify(edits[0])).toContain('page 2/3');
  });

  it('gives autocomplete the real choices when the catalog comes within the wait', async () => {
    const gate = new CatalogGate();
    const { replies, transport } = recorder(gate);
    const { options } = optionsFor(gate, { autocompleteWaitMs: 5000 });
    const done = respond(autocompleteInteraction('search', { query: 'kafka' }, 'query'), transport, options);
    await tick();
    expect(replies).toEqual([]);
    gate.open({ current: seed });
    await done;
    const body = replies[0]?.body as { type: number; data: { choices: { name: string }[] } };
    expectValidCallback(body);
    expect(body.type).toBe(8);
    expect(body.data.choices[0]?.name).toBe('Kafka - Capacity Planning · Distributed messaging, Streams');
  });

  it('gives autocomplete one honest "loading" choice past the wait, whose value is what was typed, trimmed to 100', async () => {
    const gate = new CatalogGate();
    const { options, logs } = optionsFor(gate, { autocompleteWaitMs: 50 });
    const typed = `  distributed tracing ${'x'.repeat(200)}`;
    const cases: [string, string][] = [
      ['  kafka streams ', 'kafka streams'],
      [typed, typed.trim().slice(0, 100)],
      // A value may not be empty: a blank one reads as no option, as if nothing were picked.
      ['', ' '],
    ];
    for (const [value, expected] of cases) {
      const { replies, transport } = recorder(gate);
      await respond(autocompleteInteraction('search', { query: value }, 'query'), transport, options);
      expectValidCallback(replies[0]?.body);
      expect(replies[0]?.body).toEqual({ type: 8, data: { choices: [{ name: LOADING_CHOICE_NAME, value: expected }] } });
    }
    expect(logs.at(-1)).toMatchObject({ command: 'search', outcome: 'loading' });
  });

  it('answers a PING at once, catalog or not', async () => {
    const gate = new CatalogGate();
    const { replies, transport } = recorder(gate);
    const { options } = optionsFor(gate);
    const ping = { id: '1', application_id: '2', type: 1, token: 't', version: 1 } as unknown as APIInteraction;
    await respond(ping, transport, options);
    expect(replies).toEqual([{ body: { type: 1 }, open: false }]);
  });

  it('tells the members waiting, and those who come after, that the catalog could not be loaded', async () => {
    const gate = new CatalogGate();
    const { options, logs } = optionsFor(gate);
    const waiting = recorder(gate);
    const done = respond(commandInteraction('random', {}), waiting.transport, options);
    await tick();
    gate.fail(new Error('no links loaded'));
    await done;
    expect(waiting.replies.map((r) => r.body)).toEqual([{ type: 5 }]);
    expectValidWebhookBody(waiting.edits[0]);
    expect(title(waiting.edits[0])).toBe('The links are not available');
    expect(logs.at(-1)).toMatchObject({ command: 'random', outcome: 'unavailable', deferred: true });

    const later = recorder(gate);
    await respond(autocompleteInteraction('category', { name: 'dev' }, 'name'), later.transport, options);
    expectValidCallback(later.replies[0]?.body);
    expect(later.replies[0]?.body).toEqual({ type: 8, data: { choices: [{ name: UNAVAILABLE_CHOICE_NAME, value: 'dev' }] } });
  });

  it('says the catalog is still loading when it has not come within the time a deferred answer can wait', async () => {
    const gate = new CatalogGate();
    const { replies, edits, transport } = recorder(gate);
    const { options } = optionsFor(gate, { catalogWaitMs: 50 });
    await respond(commandInteraction('help', {}), transport, options);
    expect(replies.map((r) => r.body)).toEqual([{ type: 5 }]);
    expectValidWebhookBody(edits[0]);
    expect(title(edits[0])).toBe('Still loading');
  });
});

describe('the daily post while the catalog loads', () => {
  /** A REST client that records what is posted to a channel. */
  function recordingRest() {
    const posts: { route: string; body: unknown }[] = [];
    const rest = { post: async (route: string, options: { body: unknown }) => void posts.push({ route, body: options.body }) };
    return { posts, rest: rest as unknown as REST };
  }
  const config = () =>
    ({ dailyChannelId: '123', dailyMinutes: 0, stateDir: mkdtempSync(path.join(os.tmpdir(), 'linkdex-daily-gate-')) }) as Config;
  const storageFor = (c: Config) => openStorage({ databaseUrl: undefined, stateDir: c.stateDir });

  it('waits for the catalog, then posts the link of the day', async () => {
    const gate = new CatalogGate();
    const { posts, rest } = recordingRest();
    const { options } = optionsFor(gate);
    const c = config();
    const storage = await storageFor(c);
    const daily = dailyPostWhenReady(c, rest, gate, storage, options.logger);
    try {
      await tick();
      expect(posts).toEqual([]);
      gate.open({ current: seed });
      for (let i = 0; i < 100 && posts.length === 0; i++) await tick();
      expect(posts.map((p) => p.route)).toEqual(['/channels/123/messages']);
      expect(JSON.stringify(posts[0]?.body)).toMatch(/📅 Link of the day · \d{4}-\d{2}-\d{2}/);
    } finally {
      daily.stop();
      await storage.close();
    }
  });

  it('posts nothing, and says so, when the catalog could not be loaded', async () => {
    const gate = new CatalogGate();
    const { posts, rest } = recordingRest();
    const { options, logs } = optionsFor(gate);
    const c = config();
    const storage = await storageFor(c);
    const other = dailyPostWhenReady(c, rest, gate, storage, options.logger);
    gate.fail(new Error('no links loaded'));
    await tick();
    other.stop();
    await storage.close();
    expect(posts).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ msg: 'no link of the day will be posted: the catalog could not be loaded' });
  });
});
