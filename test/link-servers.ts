/**
 * Real HTTP servers on 127.0.0.1 (ephemeral ports) for the link checker's tests: one server per
 * behaviour, so each is its own host, and each counts the requests it has in flight.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  userAgent: string | undefined;
}

/** Requests in flight, now and at most; one counter can be shared by several servers. */
export interface InFlight {
  active: number;
  max: number;
}

export interface TestServer {
  origin: string;
  url: (path?: string) => string;
  requests: SeenRequest[];
  /** This server's own in-flight counter. */
  inFlight: InFlight;
  close: () => Promise<void>;
}

/** `n` is the 0-based index of the request on this server. */
export type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

export async function startServer(behaviour: Behaviour, shared?: InFlight): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const inFlight: InFlight = { active: 0, max: 0 };
  const counters = shared ? [inFlight, shared] : [inFlight];
  const server = http.createServer((req, res) => {
    const n = requests.length;
    requests.push({ method: req.method ?? '', path: req.url ?? '', userAgent: req.headers['user-agent'] });
    for (const c of counters) {
      c.active += 1;
      c.max = Math.max(c.max, c.active);
    }
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      for (const c of counters) c.active -= 1;
    };
    res.on('finish', end);
    res.on('close', end);
    behaviour(req, res, n);
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path = '/') => `${origin}${path}`,
    requests,
    inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function status(code: number, headers: http.OutgoingHttpHeaders = {}): Behaviour {
  return (_req, res) => {
    res.writeHead(code, headers);
    res.end(code === 204 ? undefined : `status ${code}`);
  };
}

/** The behaviours the issue lists, by name. */
export const behaviours = {
  ok: status(200),
  moved: ((req, res) => {
    if (req.url === '/final') status(200)(req, res, 0);
    else status(301, { location: '/final' })(req, res, 0);
  }) satisfies Behaviour,
  notFound: status(404),
  gone: status(410),
  noHead: ((req, res) => status(req.method === 'HEAD' ? 405 : 200)(req, res, 0)) satisfies Behaviour,
  rateLimitedOnce: ((req, res, n) => status(n === 0 ? 429 : 200, n === 0 ? { 'retry-after': '0' } : {})(req, res, n)) satisfies Behaviour,
  rateLimited: status(429),
  rateLimitedLong: status(429, { 'retry-after': '3600' }),
  forbidden: status(403),
  /** 500 twice (the HEAD and the GET after it), then 200. */
  flaky: ((req, res, n) => status(n < 2 ? 500 : 200)(req, res, n)) satisfies Behaviour,
  broken: status(500),
  hang: (() => undefined) satisfies Behaviour,
  reset: ((req) => req.socket.destroy()) satisfies Behaviour,
  loop: ((req, res) => status(302, { location: req.url === '/a' ? '/b' : '/a' })(req, res, 0)) satisfies Behaviour,
  endless: ((req, res) => status(302, { location: `/${Number((req.url ?? '/0').slice(1)) + 1}` })(req, res, 0)) satisfies Behaviour,
} as const;

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
