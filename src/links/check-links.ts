/**
 * Fetches every distinct URL of a catalog and says what became of it: `linkdex check --links`.
 *
 * HEAD first (GET when the server does not take HEAD), redirects followed by hand so each hop is
 * seen, retries with backoff on network errors and 5xx, `retry-after` honoured on 429 within a
 * cap, bounded concurrency overall and per host. Private, loopback and link-local targets are
 * refused unless allowed; an overall deadline stops the check; a network that is not there at all
 * stops it too, rather than calling every link dead. `fetch`, the clock and `sleep` are
 * injectable, so tests can be fast and exact.
 */
import { STATUS_CODES } from 'node:http';
import type { SourceRef } from '../catalog/types.js';
import { PrivateAddressError, type AllowPrivate } from './address-policy.js';
import { guardedFetch, type FetchLike, type LookupAll } from './guarded-fetch.js';
import { HostGate } from './host-gate.js';

export type { FetchLike };

/** What a link check needs of an entry. */
export interface LinkEntry {
  url: string;
  source: SourceRef;
}

export type LinkOutcome =
  /** The URL answers 2xx itself. */
  | 'ok'
  /** It answers 2xx at the end of one or more redirects: `finalUrl` is where. */
  | 'redirected'
  /** 404, 410, a host that does not resolve, a refused connection. */
  | 'dead'
  /** 401, 403, 429: the host may only be refusing bots. */
  | 'unknown'
  /** No answer within the timeout, every attempt. */
  | 'timeout'
  /** The redirects come back to a URL already visited. */
  | 'loop'
  /** Anything else: 5xx after the retries, another 4xx, a reset connection, too many redirects. */
  | 'failed'
  /** Not fetched: the URL, or a redirect, points to a private, loopback or link-local address. */
  | 'private';

export interface LinkResult {
  /** The URL fetched: the entry's URL without its `#fragment`. */
  url: string;
  /** Every entry that links to it, in content order. */
  sources: SourceRef[];
  outcome: LinkOutcome;
  /** The last HTTP status seen, when there was one. */
  status?: number;
  /** Where the redirects end; `url` itself when there were none. */
  finalUrl: string;
  /** Each hop's target, in order; empty without redirects. */
  redirects: string[];
  /** Time spent waiting for the answers that counted (one per hop), without queueing and backoff. */
  ms: number;
  /** Requests made, retries and the GET after a refused HEAD included. */
  requests: number;
  /** Why, for a person: `404 Not Found`, `its host is not found (ENOTFOUND)`… */
  reason: string;
}

export interface CheckLinksOptions {
  /**
   * Default: `guardedFetch`, which refuses non-public addresses as `allowPrivate` says. Another
   * fetch is called with `redirect: 'manual'` and must do its own refusing.
   */
  fetch?: FetchLike;
  /** Connect to private, loopback and link-local addresses too (the default fetch). Default false. */
  allowPrivate?: AllowPrivate;
  /** How the default fetch resolves host names. Default `dns.lookup`. */
  lookup?: LookupAll;
  /** Stop after this many milliseconds overall; URLs not done by then are left unchecked. Default: no limit. */
  maxTimeMs?: number;
  /**
   * The network is taken to be unreachable when this many hosts (all of them, if fewer, but at
   * least 3) have failed to resolve or connect and no server has answered at all. Default 8.
   */
  offlineAfterHosts?: number;
  /** Wall-clock milliseconds (also used to read a `retry-after` date). Default `Date.now`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Per request. Default 10,000. */
  timeoutMs?: number;
  /** Requests in flight at once, over all hosts. Default 8. */
  concurrency?: number;
  /** Requests in flight at once to one host (host and port). Default 2. */
  maxPerHost?: number;
  /** Least time between the starts of two requests to one host. Default 100. */
  hostDelayMs?: number;
  /** Retries after a network error, a timeout or a 5xx. Default 2. */
  retries?: number;
  /** The first retry waits this long, each next one twice as long. Default 500. */
  retryDelayMs?: number;
  /** A `retry-after` longer than this is not waited for: the link is reported unknown. Default 10,000. */
  maxRetryAfterMs?: number;
  /** Default 10. */
  maxRedirects?: number;
  userAgent?: string;
  /** Called each time a URL is done. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 8;

/** Why a check stopped before every URL was done. */
export type LinkCheckStop =
  | { reason: 'max-time'; maxTimeMs: number }
  /** Every host tried failed to resolve or connect, and none answered: `codes` counts how they failed. */
  | { reason: 'offline'; hosts: number; codes: Record<string, number> };

export interface LinkCheck {
  /** One per URL checked, in the order the URLs first appear. */
  results: LinkResult[];
  /** Distinct URLs, checked or not. */
  total: number;
  stopped?: LinkCheckStop;
}

export function linkCheckerUserAgent(version: string): string {
  return `linkdex-link-checker/${version} (+https://github.com/)`;
}

type Method = 'HEAD' | 'GET';

type Failure =
  /** `connected` false: no connection was made in time, which an unreachable network looks like. */
  | { kind: 'timeout'; connected: boolean }
  | { kind: 'dns'; code: string }
  | { kind: 'refused' }
  /** No route, or no name server: the network, rather than the site, may be the trouble. */
  | { kind: 'unreachable'; code: string }
  | { kind: 'private'; error: PrivateAddressError }
  | { kind: 'network'; detail: string };

/** Failures that happen before any server is reached; when every host fails so, the network is down. */
function beforeConnection(failure: Failure): string | undefined {
  switch (failure.kind) {
    case 'dns':
    case 'unreachable':
      return failure.code;
    case 'refused':
      return 'ECONNREFUSED';
    case 'timeout':
      return failure.connected ? undefined : 'ETIMEDOUT';
    default:
      return undefined;
  }
}

type Sent =
  | { kind: 'response'; status: number; location: string | null; retryAfter: string | null; ms: number }
  | { kind: 'error'; failure: Failure };

interface Settings {
  fetch: FetchLike;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  maxRetryAfterMs: number;
  maxRedirects: number;
  userAgent: string;
  gate: (host: string) => HostGate;
  /** Aborted when the whole check stops (deadline, offline): every request and wait ends at once. */
  stop: AbortSignal;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEAD_STATUSES = new Set([404, 410]);
const UNKNOWN_STATUSES = new Set([401, 403, 429]);

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The URL as fetched: parsed (so host case and default ports do not matter), without the fragment. */
export function linkKey(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  return url.href;
}

/** `300 ms`, `1.5 s`, `10 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function statusText(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError) {
      for (const inner of e.errors as unknown[]) {
        const innerCode = errorCode(inner);
        if (innerCode) return innerCode;
      }
    }
  }
  return undefined;
}

const UNREACHABLE_CODES = new Set(['EAI_AGAIN', 'EAI_FAIL', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

function classifyError(error: unknown): Failure {
  if (error instanceof PrivateAddressError) return { kind: 'private', error };
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { kind: 'timeout', connected: true };
  const code = errorCode(error);
  if (code === 'ENOTFOUND') return { kind: 'dns', code };
  if (code === 'ECONNREFUSED') return { kind: 'refused' };
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { kind: 'timeout', connected: false };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { kind: 'timeout', connected: true };
  if (code !== undefined) return { kind: 'network', detail: code };
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return { kind: 'network', detail: cause instanceof Error ? cause.message : String(cause) };
}

function failureReason(failure: Failure): string {
  switch (failure.kind) {
    case 'timeout':
      return 'no answer in time';
    case 'dns':
      return `its host is not found (${failure.code})`;
    case 'refused':
      return 'the connection is refused (ECONNREFUSED)';
    case 'unreachable':
      return `the host cannot be reached (${failure.code})`;
    case 'private':
      return failure.error.message;
    default:
      return `the connection fails (${failure.detail})`;
  }
}

/** Milliseconds a `retry-after` header asks for: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A signal that aborts after `timeoutMs`, or when the whole check stops. Not
 * `AbortSignal.any([AbortSignal.timeout(…), stop])`: that holds its timeout signal only weakly,
 * so a garbage collection during the request can lose the timeout and leave a silent server's
 * request waiting forever. Here a real timer holds it until `clear`.
 */
function requestDeadline(timeoutMs: number, stop: AbortSignal): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const onStop = () => controller.abort(stop.reason);
  const timer = setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), timeoutMs);
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
    },
  };
}

/** One request through the host's gate; the body, if any, is thrown away. */
async function send(url: string, method: Method, s: Settings, counter: { requests: number }): Promise<Sent> {
  const gate = s.gate(new URL(url).host);
  await gate.acquire();
  counter.requests += 1;
  const started = s.now();
  const deadline = requestDeadline(s.timeoutMs, s.stop);
  try {
    const response = await s.fetch(url, {
      method,
      redirect: 'manual',
      signal: deadline.signal,
      headers: { 'user-agent': s.userAgent, accept: '*/*' },
    });
    const ms = s.now() - started;
    await response.body?.cancel().catch(() => undefined);
    const sent: Sent = {
      kind: 'response',
      status: response.status,
      location: response.headers.get('location'),
      retryAfter: response.headers.get('retry-after'),
      ms,
    };
    if (response.status === 429) {
      const wait = parseRetryAfter(sent.retryAfter, s.now());
      if (wait !== undefined && wait <= s.maxRetryAfterMs) gate.pauseUntil(s.now() + wait);
    }
    return sent;
  } catch (error) {
    return { kind: 'error', failure: classifyError(error) };
  } finally {
    deadline.clear();
    gate.release();
  }
}

/** A HEAD answer that says nothing about the page: ask again with GET. 429 means "slow down", not "no HEAD". */
function headUnsupported(sent: Sent): boolean {
  if (sent.kind === 'response') return sent.status >= 400 && sent.status !== 429;
  return sent.failure.kind === 'network';
}

/** How long to wait before trying again, or undefined when trying again is pointless. */
function retryDelay(sent: Sent, attempt: number, s: Settings): number | undefined {
  const backoff = s.retryDelayMs * 2 ** attempt;
  if (sent.kind === 'error') return sent.failure.kind === 'dns' || sent.failure.kind === 'private' ? undefined : backoff;
  const retryAfter = parseRetryAfter(sent.retryAfter, s.now());
  if (sent.status === 429) return retryAfter !== undefined && retryAfter <= s.maxRetryAfterMs ? retryAfter : undefined;
  if (sent.status >= 500 && sent.status !== 501) {
    return retryAfter !== undefined && retryAfter <= s.maxRetryAfterMs ? Math.max(backoff, retryAfter) : backoff;
  }
  return undefined;
}

/** One hop: HEAD (or GET once HEAD has been refused), retried as `retryDelay` allows. */
async function fetchHop(url: string, state: { method: Method; requests: number }, s: Settings): Promise<Sent> {
  for (let attempt = 0; ; attempt++) {
    let sent = await send(url, state.method, s, state);
    if (state.method === 'HEAD' && headUnsupported(sent)) {
      state.method = 'GET';
      sent = await send(url, 'GET', s, state);
    }
    const delay = attempt < s.retries && !s.stop.aborted ? retryDelay(sent, attempt, s) : undefined;
    if (delay === undefined) return sent;
    await s.sleep(delay);
  }
}

interface Checked {
  result: Omit<LinkResult, 'sources'>;
  /** How it failed when no server was reached (ENOTFOUND, ECONNREFUSED…). */
  unreached?: string;
}

const FAILURE_OUTCOMES: Record<Failure['kind'], LinkOutcome> = {
  timeout: 'timeout',
  dns: 'dead',
  refused: 'dead',
  unreachable: 'failed',
  private: 'private',
  network: 'failed',
};

async function checkUrl(url: string, s: Settings): Promise<Checked> {
  const state: { method: Method; requests: number } = { method: 'HEAD', requests: 0 };
  const redirects: string[] = [];
  let current = url;
  let ms = 0;
  const done = (outcome: LinkOutcome, reason: string, status?: number): Checked => ({
    result: {
      url,
      outcome,
      ...(status === undefined ? {} : { status }),
      finalUrl: current,
      redirects,
      ms,
      requests: state.requests,
      reason,
    },
  });

  for (;;) {
    const sent = await fetchHop(current, state, s);
    if (sent.kind === 'error') {
      const { failure } = sent;
      const reason = failure.kind === 'timeout' ? `no answer within ${formatDuration(s.timeoutMs)}` : failureReason(failure);
      const unreached = redirects.length === 0 ? beforeConnection(failure) : undefined;
      return { ...done(FAILURE_OUTCOMES[failure.kind], reason), ...(unreached === undefined ? {} : { unreached }) };
    }
    ms += sent.ms;
    const { status } = sent;
    if (REDIRECT_STATUSES.has(status) && sent.location !== null) {
      let next: URL;
      try {
        next = new URL(sent.location, current);
      } catch {
        return done('failed', `${statusText(status)} to an invalid location ${JSON.stringify(sent.location)}`, status);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return done('failed', `${statusText(status)} to a non-web location ${next.href}`, status);
      }
      next.hash = '';
      if (next.href === url || redirects.includes(next.href)) {
        const loop = [url, ...redirects, next.href].join(' → ');
        return done('loop', `redirects in a loop: ${loop}`, status);
      }
      if (redirects.length >= s.maxRedirects) return done('failed', `more than ${s.maxRedirects} redirects`, status);
      redirects.push(next.href);
      current = next.href;
      continue;
    }
    const text = statusText(status);
    if (status >= 200 && status < 300) return done(redirects.length > 0 ? 'redirected' : 'ok', text, status);
    if (DEAD_STATUSES.has(status)) return done('dead', text, status);
    if (UNKNOWN_STATUSES.has(status)) return done('unknown', text, status);
    if (REDIRECT_STATUSES.has(status)) return done('failed', `${text} without a location`, status);
    return done('failed', text, status);
  }
}

/** Distinct URLs with the entries that link to them, in content order. */
function distinctUrls(entries: readonly LinkEntry[]): { url: string; sources: SourceRef[] }[] {
  const byUrl = new Map<string, SourceRef[]>();
  for (const entry of entries) {
    const key = linkKey(entry.url);
    if (key === undefined) continue; // the content check reports it
    const sources = byUrl.get(key);
    const source = { file: entry.source.file, line: entry.source.line };
    if (sources) sources.push(source);
    else byUrl.set(key, [source]);
  }
  return [...byUrl].map(([url, sources]) => ({ url, sources }));
}

/** Indices taking hosts in turn, so a long run of links to one host does not hold every worker. */
function interleaveByHost(urls: readonly string[]): number[] {
  const byHost = new Map<string, number[]>();
  urls.forEach((url, i) => {
    const host = new URL(url).host;
    const list = byHost.get(host);
    if (list) list.push(i);
    else byHost.set(host, [i]);
  });
  const lists = [...byHost.values()];
  const order: number[] = [];
  for (let round = 0; order.length < urls.length; round++) {
    for (const list of lists) {
      const i = list[round];
      if (i !== undefined) order.push(i);
    }
  }
  return order;
}

/** `sleep`, cut short when the check stops. */
function stoppable(sleep: (ms: number) => Promise<void>, stop: AbortSignal): (ms: number) => Promise<void> {
  return (ms) => {
    if (stop.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        stop.removeEventListener('abort', done);
        resolve();
      };
      stop.addEventListener('abort', done);
      void sleep(ms).then(done);
    });
  };
}

/** Watches for a network that is not there: hosts that fail before any server is reached, while none answers. */
class OfflineWatch {
  private answered = false;
  private readonly failedHosts = new Map<string, string>();

  constructor(private readonly needed: number) {}

  /** True once enough hosts have failed so and none answered. */
  record(url: string, checked: Checked): boolean {
    if (checked.unreached === undefined) {
      if (checked.result.outcome !== 'private') this.answered = true;
    } else {
      this.failedHosts.set(new URL(url).host, checked.unreached);
    }
    return !this.answered && this.failedHosts.size >= this.needed;
  }

  stop(): LinkCheckStop {
    const codes: Record<string, number> = {};
    for (const code of this.failedHosts.values()) codes[code] = (codes[code] ?? 0) + 1;
    return { reason: 'offline', hosts: this.failedHosts.size, codes };
  }
}

/** Checks each distinct URL once; one result per URL checked, in the order the URLs first appear. */
export async function checkLinks(entries: readonly LinkEntry[], options: CheckLinksOptions = {}): Promise<LinkCheck> {
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  const sleep = stoppable(options.sleep ?? defaultSleep, controller.signal);
  const maxPerHost = options.maxPerHost ?? 2;
  const hostDelayMs = options.hostDelayMs ?? 100;
  const gates = new Map<string, HostGate>();
  const client = options.fetch
    ? { fetch: options.fetch, close: () => undefined }
    : guardedFetch({ allowPrivate: options.allowPrivate ?? false, ...(options.lookup ? { lookup: options.lookup } : {}) });
  const settings: Settings = {
    fetch: client.fetch,
    now,
    sleep,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? 2,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
    maxRedirects: options.maxRedirects ?? 10,
    userAgent: options.userAgent ?? linkCheckerUserAgent('0'),
    gate: (host) => {
      let gate = gates.get(host);
      if (!gate) {
        gate = new HostGate(maxPerHost, hostDelayMs, now, sleep);
        gates.set(host, gate);
      }
      return gate;
    },
    stop: controller.signal,
  };

  const targets = distinctUrls(entries);
  const hosts = new Set(targets.map((t) => new URL(t.url).host)).size;
  // With one or two hosts, "all failed" says nothing about the network: they may simply be gone.
  const offline = new OfflineWatch(hosts >= 3 ? Math.max(3, Math.min(options.offlineAfterHosts ?? 8, hosts)) : Infinity);
  let stopped: LinkCheckStop | undefined;
  const stopWith = (why: LinkCheckStop) => {
    stopped ??= why;
    controller.abort(new Error(`link check stopped: ${why.reason}`));
  };
  const deadline =
    options.maxTimeMs === undefined
      ? undefined
      : setTimeout(() => stopWith({ reason: 'max-time', maxTimeMs: options.maxTimeMs ?? 0 }), options.maxTimeMs);

  const order = interleaveByHost(targets.map((t) => t.url));
  const results: (LinkResult | undefined)[] = targets.map(() => undefined);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (let i = order[next++]; i !== undefined && !controller.signal.aborted; i = order[next++]) {
      const target = targets[i];
      if (!target) continue;
      const checked = await checkUrl(target.url, settings);
      // What ends after the stop was cut short by it: not a result.
      if (controller.signal.aborted) return;
      if (offline.record(target.url, checked)) stopWith(offline.stop());
      results[i] = { ...checked.result, sources: target.sources };
      done += 1;
      options.onProgress?.(done, targets.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, targets.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    clearTimeout(deadline);
    client.close();
  }
  return {
    results: results.filter((r): r is LinkResult => r !== undefined),
    total: targets.length,
    ...(stopped ? { stopped } : {}),
  };
}
