import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionType, REST, Routes, type APIInteraction } from 'discord.js';
import type { Registry } from 'prom-client';
import { serveHealth, type Healthy } from '../observability/health-server.js';
import { respond, respondOptionsOf, within, type AnsweringOptions, type Transport } from './respond.js';
import { discordPublicKey, verifyDiscordRequest } from './verify-signature.js';

/** Discord's interactions are a few kilobytes; anything past this is refused unread (413). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The path Discord POSTs to: set the Interactions Endpoint URL to `https://<host>/interactions`. */
export const INTERACTIONS_PATH = '/interactions';

export interface HttpEndpointOptions extends AnsweringOptions {
  /** 0: any free port (tests). */
  port: number;
  /** Where to listen; every interface by default, as behind a load balancer. */
  host?: string;
  /** The application's public key, 64 hex characters (DISCORD_PUBLIC_KEY). */
  publicKey: string;
  /** REST base for deferred edits (DISCORD_API_URL); `https://discord.com/api` by default. */
  apiUrl?: string;
  /** `/healthz` and `/metrics` on the same server. */
  health?: { healthy: Healthy; registry: Registry };
}

export interface HttpEndpoint {
  port: number;
  /**
   * Stops accepting connections, answers what is in flight and sends the deferred edits still
   * pending (up to `graceMs`), then closes every connection.
   */
  close(graceMs?: number): Promise<void>;
}

type Refusal = { status: 400 | 401 | 404 | 405 | 413; reason: string; headers?: Record<string, string> };

const TOO_LARGE = Symbol('too large');

/** The raw body, or TOO_LARGE as soon as it passes `limit` bytes: nothing past the limit is kept. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.off('end', onEnd);
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', reject);
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

/**
 * Discord's interactions endpoint: `POST /interactions`, verified against the application's
 * public key over the raw body, and answered by the same `respond()` as the gateway bot, with
 * the answer in the HTTP response body and deferred edits through the webhook route. Holds no
 * state between requests, so any number of replicas can stand behind a load balancer.
 */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpoint> {
  const { logger } = options;
  const key = discordPublicKey(options.publicKey);
  // Webhook edits need no token: the interaction's own token is in the route.
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {});
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  const respondOptions = respondOptionsOf(options);

  const transport = (interaction: APIInteraction, response: ServerResponse): Transport => ({
    async reply(callback) {
      // Discord hangs up after 3 s; respond() then logs that the answer could not be sent.
      if (response.destroyed || response.writableEnded) throw new Error('the request was closed before the answer was sent');
      sendJson(response, 200, callback);
    },
    async editOriginal(body) {
      await rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token), { body, auth: false });
    },
  });

  /** Answers a request that never reaches a handler, logged once, without its body. */
  const refuse = (request: IncomingMessage, response: ServerResponse, refusal: Refusal) => {
    logger.warn(
      {
        status: refusal.status,
        reason: refusal.reason,
        method: request.method,
        path: (request.url ?? '/').split('?')[0]?.slice(0, 200),
        remote: request.socket.remoteAddress,
      },
      `refused a request: ${refusal.reason}`,
    );
    sendJson(response, refusal.status, { message: refusal.reason }, refusal.headers);
  };

  const tooLarge = (request: IncomingMessage, response: ServerResponse) => {
    // The rest of the body is not read: the connection is closed once the answer is out.
    response.shouldKeepAlive = false;
    refuse(request, response, { status: 413, reason: `body over ${MAX_BODY_BYTES} bytes`, headers: { connection: 'close' } });
  };

  const interact = async (request: IncomingMessage, response: ServerResponse) => {
    const declared = Number(header(request, 'content-length') ?? 0);
    if (declared > MAX_BODY_BYTES) return tooLarge(request, response);
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === TOO_LARGE) return tooLarge(request, response);
    const verdict = verifyDiscordRequest(key, header(request, 'x-signature-ed25519'), header(request, 'x-signature-timestamp'), body);
    if (!verdict.ok) return refuse(request, response, { status: 401, reason: verdict.reason });
    let interaction: unknown;
    try {
      interaction = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(request, response, { status: 400, reason: 'body is not JSON' });
    }
    if (!isInteraction(interaction)) return refuse(request, response, { status: 400, reason: 'body is not an interaction' });
    const task = respond(interaction, transport(interaction, response), respondOptions).finally(() => inFlight.delete(task));
    inFlight.add(task);
    await task;
  };

  const healthy: Healthy = () =>
    closing ? { ok: false, reason: 'shutting down' } : (options.health?.healthy() ?? { ok: true, reason: 'ok' });

  const server = createServer((request, response) => {
    // While draining, a kept-alive connection gets its answer and is then closed.
    if (closing) response.shouldKeepAlive = false;
    if (options.health && serveHealth(request, response, healthy, options.health.registry)) return;
    const path = (request.url ?? '/').split('?')[0];
    if (path !== INTERACTIONS_PATH) return refuse(request, response, { status: 404, reason: 'not found' });
    if (request.method !== 'POST')
      return refuse(request, response, { status: 405, reason: 'method not allowed', headers: { allow: 'POST' } });
    interact(request, response).catch((error: unknown) => {
      // The client went away mid-body, or something unexpected: never a crash.
      logger.warn({ err: error, method: request.method, path }, 'request failed before it could be answered');
      if (!response.headersSent) sendJson(response, 400, { message: 'bad request' });
      else response.destroy();
    });
  });
  // Discord's requests come quickly or not at all; a client that trickles its body is cut off.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  // Longer than a load balancer's idle timeout (60 s on most), so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    logger.warn({ err: error }, 'refused a malformed or too slow HTTP request');
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, ...(options.host ? { host: options.host } : {}), backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close(graceMs = 3000) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = performance.now() + graceMs;
      while (inFlight.size > 0 && performance.now() < deadline) {
        await within(Promise.allSettled([...inFlight]), Math.max(1, deadline - performance.now()));
      }
      if (inFlight.size > 0) logger.warn({ pending: inFlight.size }, 'stopped with answers still pending');
      server.closeAllConnections();
      await closed;
    },
  };
}
