/**
 * The HTTP endpoint in-process under hostile traffic, with its limits scaled down so each attack
 * takes a second or so: clients that stall (and never read) are cut off and their sockets closed,
 * forged or stale requests are refused before their body is read, bodies share a bounded budget,
 * connections are capped, a replayed interaction is refused without spending a cooldown, refusals
 * are logged by count. (A burst of commands, which needs the server in its own process, is in
 * http-endpoint.e2e.test.ts.)
 */
import type { Buffer } from 'node:buffer';
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { Cooldowns } from '../src/serve/cooldowns.js';
import { startHttpEndpoint, type HttpEndpoint, type HttpEndpointOptions } from '../src/discord/http-endpoint.js';
import { SeenInteractions } from '../src/discord/seen-interactions.js';
import { createLogger } from '../src/logger.js';
import { commandInteraction } from '../dev/fake-discord/interactions.js';
import { seedLinkdex } from './helpers.js';
import { newSigner, postSigned, send } from './signed-requests.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const signer = newSigner();
const linkdex = seedLinkdex();
const opened: HttpEndpoint[] = [];
const sockets: Socket[] = [];

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(opened.map((e) => e.close(100)));
});

/** An endpoint on 127.0.0.1 with `overrides`, and its log lines as objects. */
async function endpointWith(overrides: Partial<HttpEndpointOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), done()) });
  const endpoint = await startHttpEndpoint({
    port: 0,
    host: '127.0.0.1',
    publicKey: signer.publicKeyHex,
    linkdex: () => linkdex,
    commands,
    logger: createLogger('info', sink),
    ...overrides,
  });
  opened.push(endpoint);
  return { endpoint, lines, url: `http://127.0.0.1:${endpoint.port}/interactions` };
}

/** A raw connection that writes `text` and never reads what comes back. */
function stalled(port: number, text: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.pause();
      if (text) socket.write(text);
      resolve(socket);
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  });
}

/** Headers Discord would send for a body of `length` bytes, signed now with a key nobody has. */
function forgedHeaders(length: number, timestamp = String(Math.floor(Date.now() / 1000))): string {
  return (
    'POST /interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
    `content-length: ${length}\r\nx-signature-ed25519: ${'ab'.repeat(64)}\r\nx-signature-timestamp: ${timestamp}\r\n\r\n`
  );
}

async function waitFor(condition: () => Promise<boolean>, ms: number): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
  return performance.now() - started;
}

describe('slow and stalled clients', () => {
  const limits = { headersTimeoutMs: 300, requestTimeoutMs: 600, timeoutCheckMs: 100, lingerMs: 200 };

  it('are cut off within a check interval of their timeout, and their sockets closed though they never read', async () => {
    const { endpoint, lines } = await endpointWith({ limits });
    await Promise.all([
      ...Array.from({ length: 20 }, () => stalled(endpoint.port, '')),
      ...Array.from({ length: 20 }, () => stalled(endpoint.port, 'POST /interactions HTTP/1.1\r\nhost: x\r\n')),
      ...Array.from({ length: 20 }, () => stalled(endpoint.port, `${forgedHeaders(5000)}{"type":`)),
    ]);
    await waitFor(async () => (await endpoint.stats()).connections === 60, 2000);
    // Before: Node checked every 30 s, and a 408 left the socket open until the client closed it.
    const ms = await waitFor(async () => (await endpoint.stats()).connections === 0, 3000);
    expect(ms).toBeLessThan(600 + 100 + 200 + 500);
    expect((await endpoint.stats()).bufferedBytes).toBe(0);
    const tooSlow = lines.filter((l) => l['reason'] === 'too slow');
    expect(tooSlow.length).toBe(20);
    expect(tooSlow[0]).toMatchObject({ level: 40, status: 408, msg: 'refused a request: too slow' });
  });

  it('a forged or stale request is refused on its headers, before its body is sent', async () => {
    const { endpoint } = await endpointWith({ limits });
    for (const timestamp of [String(Math.floor(Date.now() / 1000) - 301), 'soon']) {
      const socket = connect(endpoint.port, '127.0.0.1');
      sockets.push(socket);
      socket.write(forgedHeaders(500_000, timestamp));
      const answer = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
      expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
      expect(answer).toContain('connection: close');
    }
  });

  it('bodies share a bounded budget: large ones past it get 503 at once, and Discord’s small ones still get through', async () => {
    const { endpoint, url } = await endpointWith({
      limits: { ...limits, requestTimeoutMs: 2000, maxBufferedBytes: 2_000_000, maxLargeBufferedBytes: 1_000_000 },
    });
    const held = await Promise.all(
      Array.from({ length: 8 }, () => stalled(endpoint.port, `${forgedHeaders(400_000)}${' '.repeat(300_000)}`)),
    );
    // Two 400 KB bodies fit in the 1 MB for large ones; the other six are refused without being read.
    const refusedAtOnce = await Promise.all(
      held.map(
        (socket) =>
          new Promise<boolean>((resolve) => {
            socket.resume();
            socket.once('data', (d: Buffer) => resolve(d.toString().startsWith('HTTP/1.1 503')));
            setTimeout(() => resolve(false), 500);
          }),
      ),
    );
    expect(refusedAtOnce.filter(Boolean)).toHaveLength(6);
    expect((await endpoint.stats()).bufferedBytes).toBe(800_000);
    const ping = await postSigned(url, signer, { id: '1', type: 1, token: 't', application_id: '1', version: 1 });
    expect([ping.status, ping.text]).toEqual([200, '{"type":1}']);
    await waitFor(async () => (await endpoint.stats()).bufferedBytes === 0, 4000);
  });

  it('connections past the cap are closed as they come', async () => {
    const { endpoint } = await endpointWith({
      limits: { ...limits, headersTimeoutMs: 5000, requestTimeoutMs: 10_000, maxConnections: 30 },
    });
    const all = await Promise.all(Array.from({ length: 40 }, () => stalled(endpoint.port, '')));
    await sleep(200);
    expect((await endpoint.stats()).connections).toBe(30);
    expect(all.filter((s) => s.destroyed || s.readableEnded).length + (await endpoint.stats()).connections).toBeGreaterThanOrEqual(30);
  });
});

describe('a replayed interaction', () => {
  it('is answered once; the copies get 401 and spend no cooldown', async () => {
    const { url, lines } = await endpointWith({ cooldowns: new Cooldowns(2, 60_000) });
    const body = JSON.stringify(commandInteraction('search', { query: 'kafka' }));
    const headers = { 'content-type': 'application/json', ...signer.headers(body) };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(url, { body, headers })).status);
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
    // The member's second command of the window is answered, not told to slow down.
    const second = await postSigned(url, signer, commandInteraction('search', { query: 'rust' }));
    expect(second.text).not.toContain('Slow down');
    expect(lines.filter((l) => l['msg'] === 'interaction')).toHaveLength(2);
    expect(lines.filter((l) => l['reason'] === 'interaction already received (replay)')).toHaveLength(7);
  });

  it('is remembered within bounds: past capacity the oldest is forgotten, and nothing as old is accepted', () => {
    const seen = new SeenInteractions(3);
    const now = 1_700_000_000_000;
    const at = now / 1000;
    expect(['a', 'b', 'c'].map((id, i) => seen.firstTime(id, at - 10 + i, now))).toEqual([true, true, true]);
    expect(seen.firstTime('a', at - 10, now)).toBe(false);
    expect(seen.firstTime('d', at, now)).toBe(true);
    expect(seen.size).toBe(3);
    // 'a' is forgotten, but its timestamp is now too old to trust.
    expect(seen.firstTime('a', at - 10, now)).toBe(false);
    expect(seen.firstTime('e', at - 10, now)).toBe(false);
    // Past the 5-minute window, ids are dropped: their timestamp is refused anyway.
    expect(seen.firstTime('f', at + 400, now + 400_000)).toBe(true);
    expect(seen.size).toBe(1);
  });
});

describe('refusal logs', () => {
  it('a flood of forged requests: a line each for the first few, then one line with the count', async () => {
    const { url, lines } = await endpointWith({ refusalLog: { perInterval: 5, intervalMs: 2000 } });
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const other = newSigner();
    const body = '{"type":1}';
    await Promise.all(Array.from({ length: 200 }, () => send(url, { body, headers: other.headers(body), agent })));
    agent.destroy();
    await waitFor(async () => lines.some((l) => typeof l['refused'] === 'number'), 4000);
    expect(lines.filter((l) => l['msg'] === 'refused a request: bad signature')).toHaveLength(5);
    expect(lines.filter((l) => typeof l['refused'] === 'number')).toEqual([
      {
        level: 40,
        time: expect.any(Number) as number,
        refused: 195,
        byReason: { '401 bad signature': 195 },
        intervalSeconds: 2,
        msg: 'refused 195 more requests in 2 s, not logged one by one',
      },
    ]);
  });
});
