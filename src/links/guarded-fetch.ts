/**
 * The link checker's HTTP client: one request, no redirects followed, that refuses to connect to
 * a non-public address. The check happens where the connection is made (the socket's own DNS
 * lookup), so a name cannot resolve to a public address when checked and to 127.0.0.1 when used.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refuseAddress, type AllowPrivate } from './address-policy.js';

/** The part of `fetch` the link checker uses; tests pass their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** `dns.lookup` with `all: true`, the form the checker calls. */
export type LookupAll = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export interface GuardedFetchOptions {
  allowPrivate?: AllowPrivate;
  /** Default: `dns.lookup`. */
  lookup?: LookupAll;
}

/** A connection that was never made: the checker tells "offline" from "this site is down" by it. */
export class ConnectTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor() {
    super('no connection in time');
    this.name = 'ConnectTimeoutError';
  }
}

const defaultLookup: LookupAll = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

function headersOf(message: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // A header value fetch would refuse (a stray control character): nothing the checker reads.
      }
    }
  }
  return headers;
}

/** A `fetch` for the link checker, and `close` to drop its kept-alive connections when the check is done. */
export function guardedFetch(options: GuardedFetchOptions = {}): { fetch: FetchLike; close: () => void } {
  const allow = options.allowPrivate ?? false;
  const resolve = options.lookup ?? defaultLookup;
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  // The socket's lookup: resolve, keep only the addresses that may be used, fail when none is left.
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((a) => refuseAddress(hostname, a.address, allow) === undefined);
      const first = allowed[0];
      const refusal = addresses[0] && refuseAddress(hostname, addresses[0].address, allow);
      if (!first) {
        return callback(refusal ?? Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      }
      if (lookupOptions.all) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };

  const fetch: FetchLike = (url, init) =>
    new Promise<Response>((resolvePromise, reject) => {
      const target = new URL(url);
      const host = target.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) {
        const refusal = refuseAddress(host, host, allow);
        if (refusal) return reject(refusal);
      }
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const secure = target.protocol === 'https:';
      const request = (secure ? https : http).request(target, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init.headers).entries()),
        agent: secure ? agents.https : agents.http,
        lookup,
      });
      let connected = false;
      request.on('socket', (socket) => {
        // A reused kept-alive socket is connected already.
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      const onAbort = () => request.destroy(connected ? signal?.reason : new ConnectTimeoutError());
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      request.on('response', (message) => {
        signal?.removeEventListener('abort', onAbort);
        // The checker reads the status and headers only. A HEAD answer has no body, so its
        // connection can be kept; a GET body may be endless, so its connection is dropped.
        message.on('error', () => undefined);
        if (init.method === 'HEAD') message.resume();
        else message.destroy();
        const status = message.statusCode ?? 0;
        if (status < 200 || status > 599) {
          reject(Object.assign(new Error(`invalid status ${status}`), { code: 'EBADSTATUS' }));
          return;
        }
        resolvePromise(new Response(null, { status, headers: headersOf(message) }));
      });
      request.end();
    });

  return {
    fetch,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
