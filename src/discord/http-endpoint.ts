import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InteractionType, REST, Routes, type APIInteraction } from 'discord.js';
import { serveHealth, type Healthy, type LazyRegistry } from '../observability/health-server.js';
import { ArrivalClock, LoopLoad } from './arrival-clock.js';
import { BodyBudget } from './body-budget.js';
import { RefusalLog, type RefusalLogOptions } from './refusal-log.js';
import { InFlight } from '../serve/in-flight.js';
import { withDefaults, type AnsweringOptions } from '../serve/options.js';
import { respondOnDiscord, type DiscordIo } from './discord-transport.js';
import { SeenInteractions } from './seen-interactions.js';
import { checkSignatureHeaders, discordPublicKey, verifyDiscordRequest } from './verify-signature.js';

/** Discord's interactions are a few kilobytes; anything past this is refused unread (413). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The path Discord POSTs to: set the Interactions Endpoint URL to `https://<host>/interactions`. */
export const INTERACTIONS_PATH = '/interactions';
/** A body declared larger than this (or of unknown length) draws on the share of the budget kept for large bodies. */
export const SMALL_BODY_BYTES = 64 * 1024;

/** What a flood of connections may hold; the defaults keep 2,000 stalled clients within some 50 MB. */
export interface EndpointLimits {
  /** Open connections; past this, new ones are closed as they come. */
  maxConnections: number;
  /** Request bodies held in memory at once, all requests together; past this, 503. */
  maxBufferedBytes: number;
  /** Of which bodies over SMALL_BODY_BYTES may hold this much, so Discord's small ones always fit. */
  maxLargeBufferedBytes: number;
  /** Headers must be complete within this, and the whole request within `requestTimeoutMs` (408). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** How often those two timeouts are checked (Node checks every 30 s by default). */
  timeoutCheckMs: number;
  /** After refusing a body unread, how long the connection stays half-closed so the client can read the answer. */
  lingerMs: number;
  /** Connections left to linger at once; past this, refused ones are closed at once. */
  maxLingering: number;
  /** Interaction ids remembered to refuse replays (within the signature's 5-minute window). */
  rememberedInteractions: number;
}

export const DEFAULT_LIMITS: EndpointLimits = {
  maxConnections: 4096,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxLargeBufferedBytes: 8 * 1024 * 1024,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  timeoutCheckMs: 1000,
  lingerMs: 1000,
  maxLingering: 64,
  rememberedInteractions: 100_000,
};

export interface HttpEndpointOptions extends AnsweringOptions {
  /** 0: any free port (tests). */
  port: number;
  /** Where to listen; every interface by default, as behind a load balancer. */
  host?: string;
  /** The application's public key, 64 hex characters (DISCORD_PUBLIC_KEY). */
  publicKey: string;
  /** REST base for deferred edits (DISCORD_API_URL); `https://discord.com/api` by default. */
  apiUrl?: string;
  /**
   * `/healthz` on the same server, for the load balancer. `/metrics` only when `registry` is
   * given here: it is public, so metrics are normally served on METRICS_PORT instead.
   */
  health?: { healthy: Healthy; registry?: LazyRegistry };
  limits?: Partial<EndpointLimits>;
  /** How refused requests are logged (one line each up to a count per interval, then a sum). */
  refusalLog?: RefusalLogOptions;
}

export interface HttpEndpoint {
  port: number;
  /** The address it listens on, as given (`0.0.0.0` by default). */
  host: string;
  /** What hostile traffic is holding: open connections, body bytes reserved, interaction ids remembered. */
  stats(): Promise<{ connections: number; bufferedBytes: number; rememberedInteractions: number }>;
  /**
   * Stops accepting connections, answers what is in flight and sends the deferred edits still
   * pending (up to `graceMs`), then closes every connection.
   */
  close(graceMs?: number): Promise<void>;
}

type Refusal = { status: 400 | 401 | 404 | 405 | 413 | 503; reason: string; headers?: Record<string, string> };

const TOO_LARGE = Symbol('too large');
const OVER_BUDGET = Symbol('over budget');
const CLOSED = Symbol('closed');

/**
 * The raw body, or TOO_LARGE as soon as it passes `limit` bytes (nothing past the limit is kept),
 * OVER_BUDGET when the budget cannot hold it, CLOSED when the client went away before its end.
 * A declared length is reserved in full before anything is read; an unknown one as it arrives.
 * The budget is given back before this resolves: the caller holds the only copy.
 */
function readBody(
  request: IncomingMessage,
  limit: number,
  budget: BodyBudget,
  declared: number | undefined,
): Promise<Buffer | typeof TOO_LARGE | typeof OVER_BUDGET | typeof CLOSED> {
  const size = declared ?? Number.POSITIVE_INFINITY;
  let reserved = 0;
  if (declared !== undefined) {
    if (!budget.take(declared, size)) return Promise.resolve(OVER_BUDGET);
    reserved = declared;
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (result: Buffer | typeof TOO_LARGE | typeof OVER_BUDGET | typeof CLOSED) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      request.off('error', onClose);
      budget.give(reserved, size);
      reserved = 0;
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) return finish(TOO_LARGE);
      if (declared === undefined) {
        if (!budget.take(chunk.length, size)) return finish(OVER_BUDGET);
        reserved += chunk.length;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, length));
    const onClose = () => finish(CLOSED);
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
    request.on('error', onClose);
  });
}

/** Enough of an interaction for the handlers: a signed body could still be any JSON. */
function isInteraction(value: unknown): value is APIInteraction {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v['type'] !== 'number') return false;
  if (v['type'] === InteractionType.Ping) return true;
  return typeof v['id'] === 'string' && typeof v['token'] === 'string' && typeof v['application_id'] === 'string';
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
    .end(text);
}

/** `GET /healthz` alone, for the load balancer: 200 or 503 with the reason. */
function serveHealthz(request: IncomingMessage, response: ServerResponse, state: { ok: boolean; reason: string }): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  response.writeHead(state.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(`${state.reason}\n`);
}

/**
 * Discord's interactions endpoint: `POST /interactions`, verified against the application's
 * public key over the raw body, and answered by the same `respond()` as the gateway bot, with
 * the answer in the HTTP response body and deferred edits through the webhook route. The only
 * state kept between requests is the ids of the last five minutes' interactions (to refuse
 * replays), so any number of replicas can stand behind a load balancer. Hostile traffic is
 * bounded: forged and stale requests are refused on their headers, bodies share a memory budget,
 * slow clients are cut off within a second of their timeout, and refusals are logged by count.
 */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpoint> {
  const { logger } = options;
  const limits: EndpointLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const key = discordPublicKey(options.publicKey);
  // Webhook edits need no token: the interaction's own token is in the route.
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {});
  const inFlight = new InFlight();
  const budget = new BodyBudget(limits.maxBufferedBytes, limits.maxLargeBufferedBytes, SMALL_BODY_BYTES);
  const seen = new SeenInteractions(limits.rememberedInteractions);
  const refusals = new RefusalLog(logger, options.refusalLog);
  const clock = new ArrivalClock();
  const load = new LoopLoad();
  let lingering = 0;
  let closing = false;

  const answering = withDefaults({ saturated: () => load.saturated(), ...options });

  const io = (interaction: APIInteraction, response: ServerResponse): DiscordIo => ({
    async reply(callback) {
      // Discord hangs up after 3 s; respond() then logs that the answer could not be sent.
      if (response.destroyed || response.writableEnded) throw new Error('the request was closed before the answer was sent');
      sendJson(response, 200, callback);
    },
    async editOriginal(body) {
      await rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token), { body, auth: false });
    },
  });

  const pathOf = (request: IncomingMessage) => (request.url ?? '/').split('?')[0]?.slice(0, 200);
  const refused = (request: IncomingMessage | undefined, status: number, reason: string, remote: string | undefined) =>
    refusals.refused({ status, reason, method: request?.method, path: request ? pathOf(request) : undefined, remote });

  /** Answers a request that never reaches a handler, logged (or counted) without its body. */
  const refuse = (request: IncomingMessage, response: ServerResponse, refusal: Refusal) => {
    refused(request, refusal.status, refusal.reason, request.socket.remoteAddress);
    sendJson(response, refusal.status, { message: refusal.reason }, refusal.headers);
  };

  /**
   * Refuses a request whose body is not read, and closes the connection once the answer is out.
   * The client may still be sending: destroying the socket at once would reset the connection
   * and lose the answer, and reading what still comes would cost memory under a flood. So the
   * answer and a FIN are sent, the socket stops reading (what comes waits in the kernel), and
   * it is destroyed `lingerMs` later, by when a client that reads has its answer. Each such
   * socket may still hold a chunk it had read, so under a flood (past `maxLingering` at once)
   * the others are destroyed at once, and their clients see a reset.
   */
  const refuseUnread = (request: IncomingMessage, response: ServerResponse, refusal: Refusal) => {
    // Node calls destroySoon() on the socket once a `connection: close` answer is written.
    request.socket.destroySoon = function (this: Socket) {
      this.end();
      if (lingering >= limits.maxLingering) {
        this.destroy();
        return;
      }
      lingering++;
      this.pause();
      const timer = setTimeout(() => this.destroy(), limits.lingerMs).unref();
      this.once('close', () => {
        lingering--;
        clearTimeout(timer);
      });
    };
    response.shouldKeepAlive = false;
    refuse(request, response, { ...refusal, headers: { ...refusal.headers, connection: 'close' } });
  };

  const interact = async (request: IncomingMessage, response: ServerResponse, receivedAt: number) => {
    // Node's parser has refused a content-length that is not a number; this keeps the budget whole regardless.
    const length = Number(header(request, 'content-length') ?? Number.NaN);
    const declared = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    if (declared !== undefined && declared > MAX_BODY_BYTES)
      return refuseUnread(request, response, { status: 413, reason: `body over ${MAX_BODY_BYTES} bytes` });
    const signature = header(request, 'x-signature-ed25519');
    const timestamp = header(request, 'x-signature-timestamp');
    // A forged or stale request is refused on its headers, before its body takes any memory.
    const early = checkSignatureHeaders(signature, timestamp);
    if (!early.ok) return refuseUnread(request, response, { status: 401, reason: early.reason });
    const body = await readBody(request, MAX_BODY_BYTES, budget, declared);
    if (body === CLOSED) return refused(request, 400, 'connection closed before the body was complete', request.socket.remoteAddress);
    if (body === TOO_LARGE) return refuseUnread(request, response, { status: 413, reason: `body over ${MAX_BODY_BYTES} bytes` });
    if (body === OVER_BUDGET)
      return refuseUnread(request, response, {
        status: 503,
        reason: 'too many request bodies held at once',
        headers: { 'retry-after': '1' },
      });
    const verdict = verifyDiscordRequest(key, signature, timestamp, body);
    if (!verdict.ok) return refuse(request, response, { status: 401, reason: verdict.reason });
    let interaction: unknown;
    try {
      interaction = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(request, response, { status: 400, reason: 'body is not JSON' });
    }
    if (!isInteraction(interaction)) return refuse(request, response, { status: 400, reason: 'body is not an interaction' });
    // A signed request sent again within the window would be answered twice and spend a cooldown.
    if (typeof interaction.id === 'string' && !seen.firstTime(interaction.id, Number(timestamp)))
      return refuse(request, response, { status: 401, reason: 'interaction already received (replay)' });
    await inFlight.track(respondOnDiscord(interaction, io(interaction, response), answering, receivedAt));
  };

  const healthy: Healthy = () =>
    closing ? { ok: false, reason: 'shutting down' } : (options.health?.healthy() ?? { ok: true, reason: 'ok' });

  const server = createServer(
    {
      // Node checks the two timeouts every 30 s by default, which let a slow client hold on for 30 s.
      connectionsCheckingInterval: limits.timeoutCheckMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
    },
    (request, response) => {
      const receivedAt = clock.arrival();
      load.arrived();
      // While draining, a kept-alive connection gets its answer and is then closed.
      if (closing) response.shouldKeepAlive = false;
      const path = pathOf(request);
      if (options.health?.registry && serveHealth(request, response, healthy, options.health.registry)) return;
      if (options.health && path === '/healthz') return serveHealthz(request, response, healthy());
      if (path !== INTERACTIONS_PATH) return refuseUnread(request, response, { status: 404, reason: 'not found' });
      if (request.method !== 'POST')
        return refuseUnread(request, response, { status: 405, reason: 'method not allowed', headers: { allow: 'POST' } });
      interact(request, response, receivedAt).catch((error: unknown) => {
        // Something unexpected: never a crash.
        logger.warn({ err: error, method: request.method, path }, 'request failed before it could be answered');
        if (!response.headersSent) sendJson(response, 500, { message: 'internal error' });
        else response.destroy();
      });
    },
  );
  // Longer than a load balancer's idle timeout (60 s on most), so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.maxConnections = limits.maxConnections;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, text] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large']
          : [400, 'Bad Request'];
    refused(undefined, status, status === 408 ? 'too slow' : `malformed request (${error.code ?? 'unknown'})`, socket.remoteAddress);
    // end() alone waits for the client to close its side, which a stalled client never does.
    const timer = setTimeout(() => socket.destroy(), limits.lingerMs).unref();
    socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, () => {
      clearTimeout(timer);
      socket.destroy();
    });
  });

  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    host,
    stats: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, connections) =>
          error ? reject(error) : resolve({ connections, bufferedBytes: budget.used, rememberedInteractions: seen.size }),
        ),
      ),
    async close(graceMs = 3000) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const pending = await inFlight.drain(graceMs);
      if (pending > 0) logger.warn({ pending }, 'stopped with answers still pending');
      refusals.flush();
      load.stop();
      server.closeAllConnections();
      await closed;
    },
  };
}
