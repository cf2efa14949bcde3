import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz`: 200 while the gateway is connected and a catalog is loaded, 503 otherwise, for a
 * load balancer or an orchestrator; `/metrics`: Prometheus text.
 */
export async function startHealthServer(
  port: number,
  healthy: () => { ok: boolean; reason: string },
  registry: Registry,
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const url = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url === '/healthz') {
      const state = healthy();
      response.writeHead(state.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' }).end(`${state.reason}\n`);
      return;
    }
    if (url === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
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
