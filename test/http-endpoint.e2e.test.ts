/**
 * The HTTP interactions endpoint started through the same entry as `npm run start:http`, signed
 * requests over 127.0.0.1 as Discord sends them: every command, autocomplete and a button answered
 * validly in the response body (discord-api-spec plus the limits it misses), every bad request
 * refused with the right status without stopping the server, a replay refused, a burst of 1,000
 * concurrent autocompletes answered, health on the same port and metrics only on METRICS_PORT, a
 * busy port named in one line, and a clean SIGTERM.
 */
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidCallback } from './discord-payload.js';
import { FAKE_TOKEN, FakeDiscord, snowflake } from '../dev/fake-discord/fake-discord.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction, interactionToken } from '../dev/fake-discord/interactions.js';
import { startScript, until, type Running } from './processes.js';
import { newSigner, postSigned, rawSignedRequest, send, sendAllAtOnce, type HttpAnswer } from './signed-requests.js';

const fake = new FakeDiscord();
const signer = newSigner();
let server: Running;
let origin: string;
let url: string;
let metricsOrigin: string;

/** `npm run start:http` is `node dist/src/main.js --http`, here on the loopback interface only. */
const startHttp = (env: Record<string, string>) => startScript('src/main.ts', { HOST: '127.0.0.1', METRICS_PORT: '', ...env }, ['--http']);
const portOf = (output: string) => /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];

beforeAll(async () => {
  await fake.start();
  server = startHttp({ PORT: '0', METRICS_PORT: '0', DISCORD_PUBLIC_KEY: signer.publicKeyHex, DISCORD_API_URL: fake.apiUrl });
  await until(
    () => server.output().includes('"msg":"health and metrics on http://') && server.output().includes('"msg":"serving '),
    () => `the listening and serving lines; output so far:\n${server.output()}`,
  );
  origin = `http://127.0.0.1:${portOf(server.output())}`;
  url = `${origin}/interactions`;
  metricsOrigin = `http://127.0.0.1:${/health and metrics on http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.output())?.[1]}`;
}, 30_000);

afterAll(async () => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await fake.stop();
});

type Message = { type: number; data: Record<string, unknown> };
const answers: HttpAnswer[] = [];

/** A signed POST of the interaction; the answer must be a valid callback, as JSON, within 3 s. */
async function ask(payload: unknown): Promise<Message> {
  const answer = await postSigned(url, signer, payload);
  answers.push(answer);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json');
  const body = JSON.parse(answer.text) as unknown;
  expectValidCallback(body, { over: 'http' });
  return body as Message;
}

function embed(reply: Message) {
  return (
    reply.data['embeds'] as { title?: string; description?: string; url?: string; footer?: { text: string }; author?: { name: string } }[]
  )[0];
}

function buttons(reply: Message): { label?: string; custom_id: string }[] {
  const rows = (reply.data['components'] ?? []) as { components: { label?: string; custom_id: string }[] }[];
  return rows.flatMap((r) => r.components);
}

function ping() {
  const id = snowflake();
  return { id, application_id: fake.applicationId, type: 1, token: interactionToken(id), version: 1 };
}

async function stillAnswers(): Promise<void> {
  expect(await ask(ping())).toEqual({ type: 1 });
}

describe('the HTTP endpoint started by npm run start:http', () => {
  it('logs one listening line, then one line with the catalog size once it is served, and no body or key material', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"listening on') || l.includes('"msg":"serving '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/"msg":"listening on http:\/\/127\.0\.0\.1:\d+\/interactions \(and \/healthz\)"/);
    expect(lines[1]).toMatch(/"msg":"serving 233 links, loaded in \d+ ms"/);
  });

  it('answers a PING with a PONG', async () => {
    await stillAnswers();
  });

  it('answers /search, /category with its buttons, /random, /help and a stale button in the response body', async () => {
    const search = await ask(commandInteraction('search', { query: 'kafka' }));
    expect(search.type).toBe(4);
    expect(embed(search)?.title).toBe('Search: “kafka”');
    expect(embed(search)?.footer?.text).toBe('10 results');

    const category = await ask(commandInteraction('category', { name: 'devops' }));
    expect(embed(category)?.footer?.text).toBe('24 links · page 1/3');
    const last = buttons(category).find((b) => b.label === 'Last ⏭');
    const paged = await ask(buttonInteraction(last?.custom_id ?? '', {}, { command: 'category' }));
    expect(paged.type).toBe(7);
    expect(embed(paged)?.footer?.text).toBe('24 links · page 3/3');

    const random = await ask(commandInteraction('random', {}));
    expect(embed(random)?.author?.name).toBe('🎲 Random link');
    const today = await ask(commandInteraction('random', { today: true }));
    expect(embed(today)?.url).toBe(embed(await ask(commandInteraction('random', { today: true })))?.url);

    const help = await ask(commandInteraction('help', {}));
    expect(JSON.stringify(help.data)).toContain('233 links in 23 categories');

    const foreign = await ask(buttonInteraction('not-ours'));
    expect(foreign.data['flags']).toBe(64);
  });

  it('autocompletes /search and its category option', async () => {
    const choices = await ask(autocompleteInteraction('search', { query: 'kube' }, 'query'));
    expect(choices.type).toBe(8);
    expect((choices.data['choices'] as { name: string }[]).map((c) => c.name)).toEqual([
      'Kubernetes for Everyone · Distributed Systems',
      'E-book kubernetes Up & Running · Distributed Systems',
      'Alternatives for Local Kubernetes development · Tools, Libraries',
    ]);
    const categories = await ask(autocompleteInteraction('search', { query: 'x', category: 'obs' }, 'category'));
    expect(categories.data['choices']).toEqual([{ name: 'Observability (49)', value: 'Observability' }]);
  });

  describe('refuses, without reaching a handler, and goes on answering', () => {
    const payload = () => JSON.stringify(commandInteraction('search', { query: 'REFUSEDMARKER' }));
    const now = () => Math.floor(Date.now() / 1000);
    const refusals = () =>
      server
        .output()
        .split('\n')
        .filter((l) => l.includes('"msg":"refused a request'));

    it('a signature made with another key: 401', async () => {
      const body = payload();
      const answer = await send(url, { body, headers: { 'content-type': 'application/json', ...newSigner().headers(body) } });
      expect([answer.status, answer.headers['content-type'], JSON.parse(answer.text)]).toEqual([
        401,
        'application/json',
        { message: 'bad signature' },
      ]);
      await stillAnswers();
    });

    it('a timestamp more than 5 minutes old or ahead, validly signed: 401', async () => {
      const body = payload();
      for (const timestamp of [String(now() - 301), String(now() + 301)]) {
        const answer = await send(url, { body, headers: signer.headers(body, timestamp) });
        expect([answer.status, answer.text]).toEqual([401, '{"message":"timestamp more than 5 minutes off"}']);
      }
      await stillAnswers();
    });

    it('a body with one byte flipped after signing: 401', async () => {
      const body = Buffer.from(payload());
      const headers = signer.headers(body);
      const at = body.indexOf('REFUSEDMARKER');
      body[at] = (body[at] ?? 0) ^ 0x01;
      expect((await send(url, { body, headers })).status).toBe(401);
      await stillAnswers();
    });

    it('no signature headers, or malformed ones: 401', async () => {
      expect((await send(url, { body: payload() })).status).toBe(401);
      expect((await send(url, { body: payload(), headers: { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': 'soon' } })).status).toBe(
        401,
      );
      await stillAnswers();
    });

    it('a body over 1 MB, declared or streamed without a length: 413, and the connection closed', async () => {
      // The server answers before the client has sent it all, then drains the rest for a while and
      // closes: the client sees the 413, or (if it were still sending after that) a reset, never a hang.
      const within5s = <T>(work: Promise<T>) =>
        Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000))]);
      const statusOrReset = (answer: Promise<{ status: number; headers: Record<string, unknown> }>) =>
        within5s(answer).then(
          (a) => [a.status, a.headers['connection']],
          (error: NodeJS.ErrnoException) => (['ECONNRESET', 'EPIPE'].includes(error.code ?? '') ? [413, 'close'] : [error.message]),
        );
      const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
      expect(await statusOrReset(send(url, { body: big, headers: signer.headers(big) }))).toEqual([413, 'close']);
      const chunks = Array.from({ length: 30 }, () => Buffer.alloc(50_000, 0x20));
      expect(await statusOrReset(send(url, { body: chunks, headers: signer.headers(Buffer.concat(chunks)) }))).toEqual([413, 'close']);
      await stillAnswers();
    });

    it('a validly signed body that is not JSON, or not an interaction: 400', async () => {
      const text = '{"type": 2, "data": SECRETWORD';
      const broken = await send(url, { body: text, headers: signer.headers(text) });
      expect([broken.status, broken.text]).toEqual([400, '{"message":"body is not JSON"}']);
      const notInteraction = await postSigned(url, signer, [1, 2, 3]);
      expect([notInteraction.status, notInteraction.text]).toEqual([400, '{"message":"body is not an interaction"}']);
      await stillAnswers();
    });

    it('another method or path, /metrics included: 405 or 404', async () => {
      const get = await send(url, { method: 'GET' });
      expect([get.status, get.headers['allow']]).toEqual([405, 'POST']);
      expect((await send(`${origin}/nope`, { body: payload() })).status).toBe(404);
      expect((await send(`${origin}/metrics`, { method: 'GET' })).status).toBe(404);
      await stillAnswers();
    });

    it('the same signed interaction sent again (a replay): 401, answered once', async () => {
      const body = JSON.stringify(commandInteraction('search', { query: 'kafka' }));
      const headers = { 'content-type': 'application/json', ...signer.headers(body) };
      const first = await send(url, { body, headers });
      expect(first.status).toBe(200);
      answers.push(first);
      for (let i = 0; i < 7; i++)
        expect(await send(url, { body, headers })).toMatchObject({
          status: 401,
          text: '{"message":"interaction already received (replay)"}',
        });
      await stillAnswers();
    });

    it('logs each refusal once, at warn, with its reason and without the body', async () => {
      await until(
        () => refusals().length >= 20,
        () => `20 refusal lines; output:\n${server.output()}`,
      );
      const lines = refusals().map((l) => JSON.parse(l) as { level: number; status: number; reason: string });
      expect(lines.every((l) => l.level === 40)).toBe(true);
      expect(lines.map((l) => l.status)).toEqual([
        401, 401, 401, 401, 401, 401, 413, 413, 400, 400, 405, 404, 404, 401, 401, 401, 401, 401, 401, 401,
      ]);
      expect(server.output()).not.toContain('SECRETWORD');
      expect(server.output()).not.toContain('REFUSEDMARKER');
      // No handler ran for any of them: every interaction line is for a request that was answered.
      const handled = () =>
        server
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"interaction"')).length;
      await until(() => handled() >= answers.length, 'an interaction line per answer');
      expect(handled()).toBe(answers.length);
    });
  });

  it('answers a burst of 1,000 concurrent signed autocompletes, every one with valid choices', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    try {
      const words = ['ku', 'kube', 'obs', 'pro', 'dat', 'py', 'doc', 'web', 'kafka', 'rust'];
      const burst = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          postSigned(url, signer, autocompleteInteraction('search', { query: words[i % words.length] ?? 'ku' }, 'query'), agent),
        ),
      );
      const statuses = burst.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
      for (const answer of burst) {
        const body = JSON.parse(answer.text) as { type: number; data: { choices: unknown[] } };
        expectValidCallback(body);
        expect(body.type).toBe(8);
        expect(body.data.choices.length).toBeGreaterThan(0);
      }
      expect(Math.max(...burst.map((a) => a.ms))).toBeLessThan(3000);
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it('answers every interaction within Discord’s 3 seconds, and calls nothing on Discord it should not', () => {
    expect(answers.length).toBeGreaterThan(16);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(3000);
    // Nothing was deferred, so nothing was edited; nothing was called that Discord does not have.
    expect(fake.requests).toEqual([]);
  });

  it('serves /healthz on the same port, and /metrics only on METRICS_PORT, with the gateway bot’s metrics that apply', async () => {
    const health = await fetch(`${origin}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok: 233 links\n']);
    expect((await fetch(`${metricsOrigin}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${metricsOrigin}/metrics`)).text();
    expect(metrics).toContain('linkdex_interactions_total{command="search",outcome="answered"} 2');
    expect(metrics).toMatch(/linkdex_interactions_total\{command="search",outcome="autocomplete"\} 1002\n/);
    // Discord's PINGs (the portal's check) are counted under their own name.
    expect(metrics).toMatch(/linkdex_interactions_total\{command="ping",outcome="answered"\} [1-9]/);
    expect(metrics).toContain('linkdex_catalog_entries 233');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).not.toContain('linkdex_gateway_ping_seconds');
  });

  it('exits 0 within 5 seconds of SIGTERM, and stops accepting connections', async () => {
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.output()).toContain('"msg":"shutting down"');
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });
});

describe('MODE=http npm start', () => {
  it('starts the same endpoint, and refuses to start without DISCORD_PUBLIC_KEY, naming it', async () => {
    const viaEnv = startScript('src/main.ts', { MODE: 'http', HOST: '127.0.0.1', PORT: '0', DISCORD_PUBLIC_KEY: signer.publicKeyHex });
    try {
      await until(
        () => viaEnv.output().includes('"msg":"listening on http://'),
        () => `the listening line; output:\n${viaEnv.output()}`,
      );
    } finally {
      viaEnv.child.kill('SIGTERM');
      expect(await viaEnv.exit).toBe(0);
    }
    const missing = startHttp({ PORT: '0' });
    expect(await missing.exit).toBe(2);
    expect(missing.output()).toContain('DISCORD_PUBLIC_KEY is required when MODE=http');
  }, 30_000);
});

describe('a burst of commands arriving faster than they can be answered one by one', () => {
  it('is acknowledged within Discord’s 3 s, deferring what waited, and logs the latency from arrival', async () => {
    // Discord's webhook route, accepting every edit.
    let edits = 0;
    const api = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => {
        edits++;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const burst = startHttp({
      PORT: '0',
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_API_URL: `http://127.0.0.1:${(api.address() as { port: number }).port}`,
    });
    try {
      await until(
        () => burst.output().includes('"msg":"listening on http://') && burst.output().includes('"msg":"serving '),
        () => `the listening and serving lines; output:\n${burst.output()}`,
      );
      // Before, 3,000 of them were acknowledged after up to 3.4 s while the log said 13 ms at most.
      const bodies = Array.from({ length: 2000 }, (_, i) =>
        JSON.stringify(commandInteraction('search', { query: ['kafka', 'rust', 'obs'][i % 3] ?? 'go' })),
      );
      const answers = await sendAllAtOnce(
        Number(portOf(burst.output())),
        bodies.map((body) => rawSignedRequest(signer, body)),
      );
      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      const deferred = answers.filter((a) => a.text === '{"type":5}').length;
      expect(deferred).toBeGreaterThan(0);
      const slowest = Math.max(...answers.map((a) => a.ms));
      expect(slowest).toBeLessThan(3000);
      const logged = () =>
        burst
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"interaction"'))
          .map((l) => JSON.parse(l) as { latencyMs: number; deferredAtOnce?: boolean });
      // From arrival to the edit: the latency the member saw, longer than any acknowledgement.
      // (Edits go out at discord.js's 50 requests a second, so not all are waited for.)
      await until(
        () => edits > 0 && logged().some((l) => l.deferredAtOnce === true && l.latencyMs > slowest),
        () => `a deferred interaction logged with its latency from arrival; ${logged().length} logged, ${edits} edits`,
        30_000,
      );
    } finally {
      burst.child.kill('SIGTERM');
      await burst.exit;
      await new Promise<void>((resolve) => api.close(() => resolve()));
    }
  }, 60_000);
});

describe('a port that is taken', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('PORT: one line naming the address and PORT, exit 1, and nothing else started', async () => {
    const busy = startHttp({ PORT: String(port), DISCORD_PUBLIC_KEY: signer.publicKeyHex });
    expect(await busy.exit).toBe(1);
    expect(busy.output()).toBe(`PORT: port ${port} on 127.0.0.1 is already in use; stop what listens there or choose another PORT\n`);
  }, 30_000);

  it('METRICS_PORT: the same, naming METRICS_PORT, once PORT is free', async () => {
    const busy = startHttp({ PORT: '0', METRICS_PORT: String(port), DISCORD_PUBLIC_KEY: signer.publicKeyHex });
    expect(await busy.exit).toBe(1);
    expect(busy.output()).toBe(`METRICS_PORT: port ${port} is already in use; stop what listens there or choose another METRICS_PORT\n`);
  }, 30_000);
});

describe('live reload and the daily post in HTTP mode', () => {
  it('serves a link added to CONTENT_DIR while it runs', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-live-http-'));
    writeFileSync(path.join(dir, 'links.md'), '# Tools\n\n- [Alpha tool](https://alpha.example.com)\n');
    const live = startHttp({ PORT: '0', DISCORD_PUBLIC_KEY: signer.publicKeyHex, CONTENT_DIR: dir });
    try {
      await until(
        () => live.output().includes('"msg":"listening on http://') && live.output().includes('"msg":"serving '),
        () => `the listening and serving lines; output:\n${live.output()}`,
      );
      const port = portOf(live.output());
      writeFileSync(
        path.join(dir, 'links.md'),
        '# Tools\n\n- [Alpha tool](https://alpha.example.com)\n- [Zeta tool](https://zeta.example.com)\n',
      );
      await until(
        () => live.output().includes('reloaded: 1 added, 0 removed, 0 changed, 2 links'),
        () => `the reload line:\n${live.output()}`,
      );
      const answer = await postSigned(`http://127.0.0.1:${port}/interactions`, signer, commandInteraction('search', { query: 'zeta' }));
      const body = JSON.parse(answer.text) as Message;
      expectValidCallback(body);
      expect(embed(body)?.title).toBe('Search: “zeta”');
    } finally {
      live.child.kill('SIGTERM');
      await live.exit;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('never logs the bot token, even where Discord echoes it in an error body', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-state-http-'));
    // An API (or a proxy in front of it) that repeats the Authorization header in its error message.
    fake.failNext('/channels/', 403, { message: `Missing Access for Authorization: Bot ${FAKE_TOKEN}`, code: 50001 });
    const poster = startHttp({
      PORT: '0',
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_TOKEN: FAKE_TOKEN,
      DAILY_CHANNEL_ID: fake.channelId,
      DAILY_TIME: '00:00',
      STATE_DIR: stateDir,
    });
    try {
      await until(
        () => poster.output().includes('cannot post the link of the day'),
        () => `the refused daily post; output:\n${poster.output()}`,
      );
      const line = poster
        .output()
        .split('\n')
        .find((l) => l.includes('cannot post the link of the day'));
      expect(line).toContain('Missing Access for Authorization: Bot [redacted]');
      expect(poster.output()).not.toContain(FAKE_TOKEN);
    } finally {
      poster.child.kill('SIGTERM');
      expect(await poster.exit).toBe(0);
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('posts the link of the day when DISCORD_TOKEN and DAILY_CHANNEL_ID are set too', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-state-http-'));
    const before = fake.channelMessages.length;
    const poster = startHttp({
      PORT: '0',
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_TOKEN: FAKE_TOKEN,
      DAILY_CHANNEL_ID: fake.channelId,
      DAILY_TIME: '00:00',
      STATE_DIR: stateDir,
    });
    try {
      await until(
        () => poster.output().includes('posted the link of the day'),
        () => `the daily post; output:\n${poster.output()}`,
      );
      expect(fake.channelMessages.length - before).toBe(1);
      expect(fake.requests.find((r) => r.path.startsWith('/channels/'))?.headers['authorization']).toBe(`Bot ${FAKE_TOKEN}`);
      expect(poster.output()).not.toContain(FAKE_TOKEN);
    } finally {
      poster.child.kill('SIGTERM');
      expect(await poster.exit).toBe(0);
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 30_000);
});
