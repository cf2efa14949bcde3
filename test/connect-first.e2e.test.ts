/**
 * The bot connects (or listens) before its catalog is loaded. LINKDEX_TEST_HOLD_LOAD holds the
 * first load until the test creates a file, so what is sent before is certainly sent while it loads.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { LOADING_CHOICE_NAME, UNAVAILABLE_CHOICE_NAME } from '../src/answers/notices.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import { expectValidCallback, expectValidWebhookBody } from './discord-payload.js';
import { repoRoot } from './helpers.js';
import { startScript, until, type Running } from './processes.js';
import { newSigner, postSigned } from './signed-requests.js';

const fake = new FakeDiscord();
let dir: string;

beforeAll(async () => {
  await fake.start();
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-connect-first-'));
});

afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

const has = (run: Running, msg: string) => run.output().includes(`"msg":"${msg}`);
const titleOf = (body: unknown) => (body as { embeds?: { title?: string }[] }).embeds?.[0]?.title;
const nextPage = encodeCustomId({ command: 'category', page: 2, nav: 'n', input: { name: 'Devops/Monitoring' } });

async function stop(run: Running): Promise<void> {
  if (run.child.exitCode !== null) return;
  run.child.kill('SIGTERM');
  expect(await run.exit).toBe(0);
}

describe('the gateway bot while its catalog loads', () => {
  it('is ready first; /search and a button are deferred and edited once it is served, autocomplete says it loads', async () => {
    const hold = path.join(dir, 'release-gateway');
    const bot = startScript('src/main.ts', {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      METRICS_PORT: '0',
      LINKDEX_TEST_HOLD_LOAD: hold,
    });
    try {
      await until(
        () => has(bot, 'ready as'),
        () => `the ready line; output:\n${bot.output()}`,
        30_000,
      );
      expect(bot.output()).toContain('"catalog":"loading","msg":"ready as linkdex in 1 guild"');
      expect(has(bot, 'serving ')).toBe(false);
      const port = /127\.0\.0\.1:(\d+)\/healthz/.exec(bot.output())?.[1];
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.text()).toMatch(/^connected, loading the catalog \(\d+\.\d s so far\)\n$/);

      const search = commandInteraction('search', { query: 'kafka' });
      const button = buttonInteraction(nextPage, {}, { command: 'category' });
      const searchReply = await fake.dispatchInteraction(search);
      const buttonReply = await fake.dispatchInteraction(button);
      const typed = await fake.dispatchInteraction(autocompleteInteraction('search', { query: 'kafka streams' }, 'query'));
      for (const reply of [searchReply, buttonReply, typed]) {
        expectValidCallback(reply.body);
        // Within Discord's 3 s, or the fake would have answered 404.
        expect(reply.status).toBe(204);
      }
      expect(searchReply.body).toEqual({ type: 5 });
      expect(buttonReply.body).toEqual({ type: 6 });
      expect(typed.body).toEqual({ type: 8, data: { choices: [{ name: LOADING_CHOICE_NAME, value: 'kafka streams' }] } });
      expect(has(bot, 'serving ')).toBe(false);

      writeFileSync(hold, '');
      const searchEdit = await fake.waitForWebhook(search.token, { timeoutMs: 20_000 });
      expectValidWebhookBody(searchEdit.body);
      expect(titleOf(searchEdit.body)).toBe('Search: “kafka”');
      expect(JSON.stringify(searchEdit.body)).toContain('Kafka - Capacity Planning');
      const buttonEdit = await fake.waitForWebhook(button.token);
      expectValidWebhookBody(buttonEdit.body);
      expect(titleOf(buttonEdit.body)).toBe('Devops/Monitoring');
      expect(JSON.stringify(buttonEdit.body)).toContain('page 2/3');
      // The edits may reach the fake before the log line reaches this process's pipe.
      await until(() => has(bot, 'serving '), 'the serving line');
      expect(bot.output()).toMatch(/"msg":"serving 233 links, loaded in \d+ ms"/);

      // Served: answers come at once again, and /healthz says so.
      const now = await fake.dispatchInteraction(autocompleteInteraction('search', { query: 'kafka' }, 'query'));
      expect((now.body as { data: { choices: { name: string }[] } }).data.choices[0]?.name).toBe(
        'Kafka - Capacity Planning · Distributed messaging, Streams',
      );
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(healthy.status).toBe(200);
      expect(await healthy.text()).toBe('ok: connected, 233 links\n');
    } finally {
      await stop(bot);
    }
  }, 60_000);

  it('tells members the catalog could not be loaded when every content file was skipped, and says why in the log', async () => {
    const content = path.join(dir, 'unreadable');
    mkdirSync(content);
    writeFileSync(path.join(content, 'links.md'), Buffer.from([0x23, 0x20, 0x00, 0x01, 0x02]));
    const bot = startScript('src/main.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, CONTENT_DIR: content });
    try {
      await until(
        () => has(bot, 'ready as') && has(bot, 'cannot serve the catalog'),
        () => `the ready line and the failure; output:\n${bot.output()}`,
        30_000,
      );
      expect(bot.output()).toContain('cannot serve the catalog: no links loaded: 1 error, the first');
      expect(bot.output()).toContain('file looks binary');
      const search = commandInteraction('search', { query: 'kafka' });
      const reply = await fake.dispatchInteraction(search);
      expect(reply.body).toEqual({ type: 5 });
      const edit = await fake.waitForWebhook(search.token);
      expectValidWebhookBody(edit.body);
      expect(titleOf(edit.body)).toBe('The links are not available');
      const typed = await fake.dispatchInteraction(autocompleteInteraction('random', { category: 'dev' }, 'category'));
      expectValidCallback(typed.body);
      expect(typed.body).toEqual({ type: 8, data: { choices: [{ name: UNAVAILABLE_CHOICE_NAME, value: 'dev' }] } });
    } finally {
      await stop(bot);
    }
  }, 60_000);
});

describe('the HTTP endpoint while its catalog loads', () => {
  it('listens first; /search and a button are deferred and edited once it is served, autocomplete says it loads', async () => {
    const hold = path.join(dir, 'release-http');
    const signer = newSigner();
    const server = startScript(
      'src/main.ts',
      { HOST: '127.0.0.1', PORT: '0', DISCORD_PUBLIC_KEY: signer.publicKeyHex, DISCORD_API_URL: fake.apiUrl, LINKDEX_TEST_HOLD_LOAD: hold },
      ['--http'],
    );
    try {
      await until(
        () => has(server, 'listening on http://'),
        () => `the listening line; output:\n${server.output()}`,
        30_000,
      );
      const origin = `http://127.0.0.1:${/listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.output())?.[1]}`;
      const health = await fetch(`${origin}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.text()).toMatch(/^loading the catalog \(\d+\.\d s so far\)\n$/);

      const search = commandInteraction('search', { query: 'kafka' });
      const button = buttonInteraction(nextPage, {}, { command: 'category' });
      const answers = await Promise.all([
        postSigned(`${origin}/interactions`, signer, search),
        postSigned(`${origin}/interactions`, signer, button),
        postSigned(`${origin}/interactions`, signer, autocompleteInteraction('category', { name: '  devops ' }, 'name')),
      ]);
      const bodies = answers.map((a) => JSON.parse(a.text) as unknown);
      for (const body of bodies) expectValidCallback(body, { over: 'http' });
      expect(bodies).toEqual([{ type: 5 }, { type: 6 }, { type: 8, data: { choices: [{ name: LOADING_CHOICE_NAME, value: 'devops' }] } }]);
      expect(has(server, 'serving ')).toBe(false);

      writeFileSync(hold, '');
      const searchEdit = await fake.waitForWebhook(search.token, { timeoutMs: 20_000 });
      expectValidWebhookBody(searchEdit.body);
      expect(titleOf(searchEdit.body)).toBe('Search: “kafka”');
      const buttonEdit = await fake.waitForWebhook(button.token);
      expectValidWebhookBody(buttonEdit.body);
      expect(JSON.stringify(buttonEdit.body)).toContain('page 2/3');
      await until(() => has(server, 'serving 233 links'), 'the serving line');
      const healthy = await fetch(`${origin}/healthz`);
      expect(healthy.status).toBe(200);
      expect(await healthy.text()).toBe('ok: 233 links\n');
    } finally {
      await stop(server);
    }
  }, 60_000);
});

describe('a restart on unchanged content', () => {
  it('restores the search index from the catalog snapshot instead of building it, and answers the same', async () => {
    // A content folder of its own: its snapshot slot under .cache/snapshots/ is new, so the first start builds.
    const content = path.join(dir, 'restart-content');
    cpSync(path.join(repoRoot, 'content'), content, { recursive: true });
    const servingLine = (run: Running) =>
      run
        .output()
        .split('\n')
        .find((line) => line.includes('"msg":"serving '));
    const answers: unknown[] = [];
    for (const expected of ['built', 'snapshot']) {
      const bot = startScript('src/main.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, CONTENT_DIR: content });
      try {
        await until(
          () => servingLine(bot) !== undefined,
          () => `the serving line; output:\n${bot.output()}`,
          30_000,
        );
        expect(servingLine(bot)).toContain(`"index":"${expected}"`);
        expect(servingLine(bot)).toContain('"msg":"serving 233 links, loaded in');
        const typed = await fake.dispatchInteraction(autocompleteInteraction('search', { query: 'kafka capacty' }, 'query'));
        expectValidCallback(typed.body);
        answers.push(typed.body);
      } finally {
        await stop(bot);
      }
    }
    expect((answers[0] as { data: { choices: unknown[] } }).data.choices.length).toBeGreaterThan(0);
    expect(answers[1]).toEqual(answers[0]);
  }, 90_000);
});
