/**
 * The HTTP interactions endpoint in-process, against the fake Discord for deferred edits: a slow
 * answer is deferred in the response body and edited in through the webhook route, a hanging one
 * ends in "something went wrong", a refused edit is logged, and closing finishes what is pending.
 * Also the signature check on its own, at the edges of the five-minute window.
 */
import { Buffer } from 'node:buffer';
import { Agent } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { help } from '../src/commands/help.js';
import type { AnyCommand } from '../src/commands/command.js';
import { encodeCustomId } from '../src/discord/custom-id.js';
import { startHttpEndpoint, type HttpEndpoint } from '../src/discord/http-endpoint.js';
import { discordPublicKey, verifyDiscordRequest } from '../src/discord/verify-signature.js';
import { createLogger } from '../src/logger.js';
import { expectValidCallback, expectValidWebhookBody } from './discord-payload.js';
import { FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { buttonInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { seedLinkdex } from './helpers.js';
import { newSigner, postSigned, send } from './signed-requests.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const registry: AnyCommand[] = [
  ...commands,
  {
    ...help,
    name: 'slow',
    description: '/help after 600 ms',
    run: async (ctx, input, page) => (await sleep(600), help.run(ctx, input, page)),
  },
  { name: 'hang', description: 'never answers', options: [], run: () => new Promise(() => undefined) },
];

const fake = new FakeDiscord();
const signer = newSigner();
const logs: string[] = [];
let endpoint: HttpEndpoint;
let url: string;

beforeAll(async () => {
  await fake.start();
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  const linkdex = seedLinkdex();
  endpoint = await startHttpEndpoint({
    port: 0,
    host: '127.0.0.1',
    publicKey: signer.publicKeyHex,
    apiUrl: fake.apiUrl,
    linkdex: () => linkdex,
    commands: registry,
    logger: createLogger('info', sink),
    deferAfterMs: 200,
    giveUpAfterMs: 800,
  });
  url = `http://127.0.0.1:${endpoint.port}/interactions`;
});

afterAll(async () => {
  await endpoint.close(100);
  await fake.stop();
});

/** Sends the interaction signed, as Discord would, and tells the fake Discord it was answered over HTTP. */
async function deliver(payload: Parameters<FakeDiscord['acknowledgeOverHttp']>[0]) {
  const answer = await postSigned(url, signer, payload);
  expect(answer.status).toBe(200);
  const body = JSON.parse(answer.text) as unknown;
  expectValidCallback(body);
  fake.acknowledgeOverHttp(payload, body);
  return { body, ms: answer.ms };
}

describe('answers that take time, over HTTP', () => {
  it('defers a slow command in the response body (type 5), then edits @original through DISCORD_API_URL without a token', async () => {
    const interaction = commandInteraction('slow', {});
    const reply = await deliver(interaction);
    expect(reply.body).toEqual({ type: 5 });
    expect(reply.ms).toBeLessThan(3000);
    const edit = await fake.waitForWebhook(interaction.token);
    expect([edit.method, edit.messageId, edit.applicationId, edit.status]).toEqual(['PATCH', '@original', fake.applicationId, 200]);
    expect(edit.request.headers['authorization']).toBeUndefined();
    expectValidWebhookBody(edit.body);
    expect(JSON.stringify(edit.body)).toContain('233 links in 23 categories');
  });

  it('defers a slow button as an update of its message (type 6), then edits it', async () => {
    const interaction = buttonInteraction(encodeCustomId({ command: 'slow', page: 1, nav: 'a', input: {} }), {}, { command: 'slow' });
    expect((await deliver(interaction)).body).toEqual({ type: 6 });
    const edit = await fake.waitForWebhook(interaction.token);
    expect(edit.status).toBe(200);
    expectValidWebhookBody(edit.body);
  });

  it('replaces an answer that never comes with "something went wrong", logged with the interaction id', async () => {
    const interaction = commandInteraction('hang', {});
    expect((await deliver(interaction)).body).toEqual({ type: 5 });
    const edit = await fake.waitForWebhook(interaction.token);
    expectValidWebhookBody(edit.body);
    expect(JSON.stringify(edit.body)).toContain('Something went wrong');
    expect(logs.some((l) => l.includes(`"interaction":"${interaction.id}"`) && l.includes('ran too long'))).toBe(true);
  });

  it('logs an edit Discord refuses, and answers the next interaction', async () => {
    fake.failNext('/webhooks/', 404, { message: 'Unknown Webhook', code: 10015 });
    const interaction = commandInteraction('slow', {});
    await deliver(interaction);
    const refused = () => logs.some((l) => l.includes(`"interaction":"${interaction.id}"`) && l.includes('could not send the answer'));
    for (let i = 0; i < 100 && !refused(); i++) await sleep(20);
    expect(refused()).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', status: 404 });
    expect((await deliver(commandInteraction('search', { query: 'kafka' }))).body).toMatchObject({ type: 4 });
  });

  it('logs each interaction once, and never a token', () => {
    const lines = logs.filter((l) => l.includes('"msg":"interaction"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const ids = lines.map((l) => l['interaction']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(lines.find((l) => l['command'] === 'search')).toMatchObject({ outcome: 'answered', options: { query: 'kafka' } });
    expect(logs.join('')).not.toMatch(/interaction:[0-9]+:/);
  });

  it('on close, stops accepting at once, sends the edit still pending, and only then resolves', async () => {
    const interaction = commandInteraction('slow', {});
    expect((await deliver(interaction)).body).toEqual({ type: 5 });
    let closedAt = Number.POSITIVE_INFINITY;
    const closing = endpoint.close(3000).then(() => (closedAt = performance.now()));
    // A new connection (not one kept alive from before) is refused.
    await expect(send(url, { body: '{}', agent: new Agent({ keepAlive: false }) })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const edit = await fake.waitForWebhook(interaction.token);
    await closing;
    expect(edit.status).toBe(200);
    expect(edit.request.at).toBeLessThan(closedAt);
  });
});

describe('the signature check', () => {
  const key = discordPublicKey(signer.publicKeyHex);
  const body = Buffer.from('{"type":1}');
  const at = 1_700_000_000;
  const headers = signer.headers(body, String(at));
  const check = (signature: string | undefined, timestamp: string | undefined, raw = body, nowSeconds = at) =>
    verifyDiscordRequest(key, signature, timestamp, raw, nowSeconds * 1000);

  it('accepts the signature over timestamp + raw body up to exactly 5 minutes off, either way', () => {
    const { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } = headers;
    expect(check(signature, timestamp)).toEqual({ ok: true });
    expect(check(signature, timestamp, body, at + 300)).toEqual({ ok: true });
    expect(check(signature, timestamp, body, at - 300)).toEqual({ ok: true });
    expect(check(signature, timestamp, body, at + 301)).toEqual({ ok: false, reason: 'timestamp more than 5 minutes off' });
    expect(check(signature, timestamp, body, at - 301)).toEqual({ ok: false, reason: 'timestamp more than 5 minutes off' });
  });

  it('refuses another key, another body, another timestamp, and malformed or missing headers', () => {
    const signature = headers['x-signature-ed25519'];
    const other = newSigner().headers(body, String(at))['x-signature-ed25519'];
    expect(check(other, String(at))).toEqual({ ok: false, reason: 'bad signature' });
    expect(check(signature, String(at), Buffer.from('{"type":2}'))).toEqual({ ok: false, reason: 'bad signature' });
    expect(check(signature, String(at + 1))).toEqual({ ok: false, reason: 'bad signature' });
    expect(check(signature?.slice(2), String(at))).toEqual({ ok: false, reason: 'malformed signature' });
    expect(check(signature, '1.7e9')).toEqual({ ok: false, reason: 'malformed timestamp' });
    expect(check(undefined, String(at))).toEqual({ ok: false, reason: 'missing signature headers' });
  });

  it('takes the public key as the developer portal shows it, and nothing else', () => {
    expect(discordPublicKey(signer.publicKeyHex.toUpperCase()).asymmetricKeyType).toBe('ed25519');
    expect(() => discordPublicKey('abc')).toThrow('64 hexadecimal characters');
  });
});
