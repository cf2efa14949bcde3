import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export type Healthy = () => { ok: boolean; reason: string };

/** The metrics registry, or its promise: prom-client is loaded after the bot has started connecting. */
export type LazyRegistry = Registry | Promise<Registry>;

/**
 * `GET /healthz` (200 when `healthy()` says so, 503 otherwise) and `GET /metrics` (Prometheus
 * text), for the health server and the HTTP interactions endpoint alike. Answers and returns
 * true when the request is for one of them; a method other than GET or HEAD there gets 405.
 */
export function serveHealth(request: IncomingMessage, response: ServerResponse, healthy: Healthy, registry: LazyRegistry): boolean {
  const url = (request.url ?? '/').split('?')[0];
  if (url !== '/healthz' && url !== '/metrics') return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  if (url === '/healthz') {
    const state = healthy();
    response.writeHead(state.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(`${state.reason}\n`);
    return true;
  }
  Promise.resolve(registry)
    .then(async (loaded) => ({ text: await loaded.metrics(), contentType: loaded.contentType }))
    .then(
      ({ text, contentType }) => response.writeHead(200, { 'content-type': contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  return true;
}

/**
 * `/healthz`: 200 while the gateway is connected and the catalog is served, 503 otherwise (also
 * while the first catalog loads), for a load balancer or an orchestrator; `/metrics`: Prometheus text.
 */
export async function startHealthServer(port: number, healthy: Healthy, registry: LazyRegistry): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    if (serveHealth(request, response, healthy, registry)) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
