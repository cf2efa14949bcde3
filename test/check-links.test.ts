import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks, linkKey, parseRetryAfter, type FetchLike, type LinkEntry, type LinkResult } from '../src/links/check-links.js';
import { HostGate } from '../src/links/host-gate.js';
import { linkProblems } from '../src/links/link-problems.js';
import { behaviours, closedPort, startServer, type InFlight, type TestServer } from './link-servers.js';

function entries(urls: readonly string[], file = 'links.md'): LinkEntry[] {
  return urls.map((url, i) => ({ url, source: { file, line: i + 1 } }));
}

function byUrl(results: readonly LinkResult[]): Map<string, LinkResult> {
  return new Map(results.map((r) => [r.url, r]));
}

describe('checkLinks against real servers on 127.0.0.1', () => {
  const servers = {} as Record<keyof typeof behaviours, TestServer>;
  const overall: InFlight = { active: 0, max: 0 };
  let refusedUrl = '';
  let results: Map<string, LinkResult>;
  let urls: Record<keyof typeof behaviours | 'dns' | 'refused', string>;

  beforeAll(async () => {
    for (const name of Object.keys(behaviours) as (keyof typeof behaviours)[]) {
      servers[name] = await startServer(behaviours[name], overall);
    }
    refusedUrl = `http://127.0.0.1:${await closedPort()}/`;
    urls = {
      ...(Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, s.url(name === 'loop' ? '/a' : '/0')])) as Record<
        keyof typeof behaviours,
        string
      >),
      dns: 'http://nonexistent.invalid/',
      refused: refusedUrl,
    };
    const check = await checkLinks(entries(Object.values(urls)), {
      timeoutMs: 200,
      retryDelayMs: 5,
      hostDelayMs: 1,
      concurrency: 4,
      userAgent: 'linkdex-link-checker/test (+https://github.com/)',
      allowPrivate: true,
    });
    expect(check.stopped).toBeUndefined();
    results = byUrl(check.results);
  });
  afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));

  const result = (name: keyof typeof urls): LinkResult => {
    const r = results.get(urls[name]);
    if (!r) throw new Error(`no result for ${name}`);
    return r;
  };

  it('classifies each URL exactly', () => {
    const outcomes = Object.fromEntries(Object.keys(urls).map((name) => [name, result(name as keyof typeof urls).outcome]));
    expect(outcomes).toEqual({
      ok: 'ok',
      moved: 'redirected',
      notFound: 'dead',
      gone: 'dead',
      noHead: 'ok',
      rateLimitedOnce: 'ok',
      rateLimited: 'unknown',
      rateLimitedLong: 'unknown',
      forbidden: 'unknown',
      flaky: 'ok',
      broken: 'failed',
      hang: 'timeout',
      reset: 'failed',
      loop: 'loop',
      endless: 'failed',
      dns: 'dead',
      refused: 'dead',
    });
    expect(result('ok')).toMatchObject({ status: 200, requests: 1, redirects: [], finalUrl: urls.ok, reason: '200 OK' });
    expect(result('moved')).toMatchObject({ status: 200, finalUrl: servers.moved.url('/final'), redirects: [servers.moved.url('/final')] });
    expect(result('notFound')).toMatchObject({ status: 404, reason: '404 Not Found' });
    expect(result('gone')).toMatchObject({ status: 410, reason: '410 Gone' });
    expect(result('forbidden')).toMatchObject({ status: 403 });
    expect(result('rateLimited')).toMatchObject({ status: 429, requests: 1 });
    expect(result('rateLimitedLong')).toMatchObject({ status: 429, requests: 1 });
    expect(result('broken')).toMatchObject({ status: 500, reason: '500 Internal Server Error', requests: 4 });
    expect(result('hang')).toMatchObject({ reason: 'no answer within 200 ms', requests: 3 });
    expect(result('hang').status).toBeUndefined();
    expect(result('reset').reason).toMatch(/^the connection fails \(/);
    expect(result('loop').reason).toBe(
      `redirects in a loop: ${servers.loop.url('/a')} → ${servers.loop.url('/b')} → ${servers.loop.url('/a')}`,
    );
    expect(result('endless')).toMatchObject({ reason: 'more than 10 redirects', requests: 11 });
    expect(result('endless').redirects).toHaveLength(10);
    expect(result('dns')).toMatchObject({ reason: 'its host is not found (ENOTFOUND)', requests: 1 });
    expect(result('refused')).toMatchObject({ reason: 'the connection is refused (ECONNREFUSED)', requests: 3 });
  });

  it('tries HEAD first and GET only when HEAD is refused', () => {
    const methods = (name: keyof typeof behaviours) => servers[name].requests.map((r) => r.method);
    expect(methods('ok')).toEqual(['HEAD']);
    expect(methods('moved')).toEqual(['HEAD', 'HEAD']);
    expect(methods('noHead')).toEqual(['HEAD', 'GET']);
    expect(methods('notFound')).toEqual(['HEAD', 'GET']);
    expect(methods('forbidden')).toEqual(['HEAD', 'GET']);
    // 429 is "slow down", not "no HEAD": the retry-after: 0 is honoured with HEAD again.
    expect(methods('rateLimitedOnce')).toEqual(['HEAD', 'HEAD']);
    expect(methods('rateLimited')).toEqual(['HEAD']);
    expect(methods('rateLimitedLong')).toEqual(['HEAD']);
    // 500 on HEAD, 500 on GET, then the retry succeeds.
    expect(methods('flaky')).toEqual(['HEAD', 'GET', 'GET']);
    expect(methods('broken')).toEqual(['HEAD', 'GET', 'GET', 'GET']);
    expect(methods('hang')).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(methods('reset')).toEqual(['HEAD', 'GET', 'GET', 'GET']);
  });

  it('sends its User-Agent and keeps within the concurrency limits', () => {
    for (const server of Object.values(servers)) {
      for (const r of server.requests) expect(r.userAgent).toBe('linkdex-link-checker/test (+https://github.com/)');
      expect(server.inFlight.max).toBeLessThanOrEqual(2);
    }
    expect(overall.max).toBeLessThanOrEqual(4);
  });
});

describe('checkLinks: concurrency, politeness and de-duplication', () => {
  it('never has more than 2 requests in flight to one host, nor more than `concurrency` overall', async () => {
    const overall: InFlight = { active: 0, max: 0 };
    const slow = (_req: unknown, res: { end: () => void }) => void setTimeout(() => res.end(), 20);
    const hosts = await Promise.all([0, 1, 2].map(() => startServer(slow, overall)));
    try {
      const urls = hosts.flatMap((h) => Array.from({ length: 8 }, (_, i) => h.url(`/${i}`)));
      const { results } = await checkLinks(entries(urls), { concurrency: 5, hostDelayMs: 0, allowPrivate: true });
      expect(results.map((r) => r.outcome)).toEqual(urls.map(() => 'ok'));
      for (const h of hosts) {
        expect(h.requests).toHaveLength(8);
        expect(h.inFlight.max).toBeLessThanOrEqual(2);
      }
      expect(overall.max).toBeLessThanOrEqual(5);
    } finally {
      await Promise.all(hosts.map((h) => h.close()));
    }
  });

  it('checks a URL once however many entries share it, and reports every entry', async () => {
    const server = await startServer(behaviours.notFound);
    try {
      const same = [server.url('/x'), `${server.url('/x')}#part`, server.url('/x').replace('http://', 'HTTP://')];
      const list = [...entries(same, 'a.md'), { url: server.url('/x'), source: { file: 'b.md', line: 7 } }];
      const { results } = await checkLinks(list, { hostDelayMs: 0, allowPrivate: true });
      expect(results).toHaveLength(1);
      expect(results[0]?.sources).toEqual([
        { file: 'a.md', line: 1 },
        { file: 'a.md', line: 2 },
        { file: 'a.md', line: 3 },
        { file: 'b.md', line: 7 },
      ]);
      expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
      expect(linkProblems(results).map((p) => `${p.file}:${p.line} ${p.severity} ${p.code}`)).toEqual([
        'a.md:1 error dead-link',
        'a.md:2 error dead-link',
        'a.md:3 error dead-link',
        'b.md:7 error dead-link',
      ]);
    } finally {
      await server.close();
    }
  });

  it('skips what is not an http(s) URL', async () => {
    expect(linkKey('mailto:a@b.c')).toBeUndefined();
    expect(linkKey('not a url')).toBeUndefined();
    expect(linkKey('https://Example.COM:443/a#b')).toBe('https://example.com/a');
    expect(await checkLinks(entries(['mailto:a@b.c']))).toEqual({ results: [], total: 0 });
  });
});

/** A fake clock, sleep and fetch: exact sleeps, no waiting. */
function fakeWorld(answer: (url: string, method: string, n: number) => Response | Error, latencyMs = 10) {
  let t = 1_000_000;
  const sleeps: number[] = [];
  const calls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const n = calls.length;
    calls.push(`${init.method} ${url}`);
    expect(init.redirect).toBe('manual');
    expect(init.signal).toBeInstanceOf(AbortSignal);
    t += latencyMs;
    const a = answer(url, init.method ?? 'GET', n);
    if (a instanceof Error) throw a;
    return a;
  };
  return {
    calls,
    sleeps,
    options: {
      fetch,
      now: () => t,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      hostDelayMs: 0,
    },
  };
}

function fetchFailed(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('checkLinks with a fake fetch and clock', () => {
  it('backs off 500 ms then 1000 ms on 5xx and network errors, then gives up', async () => {
    const world = fakeWorld((_url, method) => (method === 'HEAD' ? new Response(null, { status: 503 }) : fetchFailed('ECONNRESET')));
    const [r] = (await checkLinks(entries(['https://example.org/']), world.options)).results;
    expect(world.calls).toEqual([
      'HEAD https://example.org/',
      'GET https://example.org/',
      'GET https://example.org/',
      'GET https://example.org/',
    ]);
    expect(world.sleeps).toEqual([500, 1000]);
    expect(r).toMatchObject({ outcome: 'failed', reason: 'the connection fails (ECONNRESET)', requests: 4 });
  });

  it('honours retry-after on 429 within the cap, in seconds or as a date', async () => {
    const seconds = fakeWorld(
      (_u, _m, n) => new Response(null, n === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 }),
    );
    const [a] = (await checkLinks(entries(['https://example.org/']), seconds.options)).results;
    expect(a?.outcome).toBe('ok');
    expect(seconds.sleeps).toEqual([3000]);

    const tooLong = fakeWorld(() => new Response(null, { status: 429, headers: { 'retry-after': '11' } }));
    const [b] = (await checkLinks(entries(['https://example.org/']), tooLong.options)).results;
    expect(b).toMatchObject({ outcome: 'unknown', status: 429, requests: 1 });
    expect(tooLong.sleeps).toEqual([]);

    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('spaces the requests to one host and pauses it after a 429', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const gate = new HostGate(
      2,
      100,
      () => t,
      async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    );
    await gate.acquire();
    await gate.acquire();
    let third = false;
    const waiting = gate.acquire().then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false); // two in flight already
    gate.release();
    await waiting;
    expect(sleeps).toEqual([100, 100]);
    gate.release();
    gate.pauseUntil(t + 5000);
    await gate.acquire();
    expect(sleeps).toEqual([100, 100, 5000]);
  });

  it('turns results into problems: one per entry, with codes, severities and where the link ends up', async () => {
    const world = fakeWorld((url) => {
      if (url.endsWith('/old')) return new Response(null, { status: 308, headers: { location: '/new' } });
      if (url.endsWith('/gone')) return new Response(null, { status: 410 });
      if (url.endsWith('/blocked')) return new Response(null, { status: 403 });
      if (url.endsWith('/slow')) return new Response(null, { status: 200 });
      if (url.endsWith('/hang')) return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      if (url.startsWith('https://nowhere.example')) return fetchFailed('ENOTFOUND');
      return new Response(null, { status: 200 });
    });
    const slowFetch: FetchLike = async (url, init) => {
      const response = await world.options.fetch(url, init);
      if (url.endsWith('/slow')) await world.options.sleep(6000); // the clock moves on while the server thinks
      return response;
    };
    const { results } = await checkLinks(
      entries([
        'https://example.org/fine',
        'https://example.org/old',
        'https://example.org/gone',
        'https://example.org/blocked',
        'https://example.org/slow',
        'https://example.org/hang',
        'https://nowhere.example/',
      ]),
      { ...world.options, fetch: slowFetch, timeoutMs: 300, retries: 0 },
    );
    expect(linkProblems(results).map((p) => `${p.file}:${p.line} ${p.severity} ${p.code} ${p.message}`)).toEqual([
      'links.md:2 warning redirected-link https://example.org/old ends up at https://example.org/new; link that instead',
      'links.md:3 error dead-link https://example.org/gone is dead: 410 Gone',
      'links.md:4 info link-unknown https://example.org/blocked answers 403 Forbidden; the site may refuse bots, so check it by hand',
      'links.md:5 info slow-link https://example.org/slow took 6 s to answer',
      'links.md:6 warning link-timeout https://example.org/hang timed out: no answer within 300 ms',
      'links.md:7 error dead-link https://nowhere.example/ is dead: its host is not found (ENOTFOUND)',
    ]);
  });
});
