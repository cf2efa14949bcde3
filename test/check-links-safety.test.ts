/**
 * The link checker against a hostile or absent network: private targets refused (issue 13 item 13),
 * an overall deadline, and a network that is not there (issue 12 item 8). Nothing leaves loopback:
 * names are resolved by a lookup the test gives, and refused addresses are never connected to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nonPublicKind } from '../src/links/address-policy.js';
import { checkLinks, type LinkEntry } from '../src/links/check-links.js';
import { guardedFetch, type LookupAll } from '../src/links/guarded-fetch.js';
import { linkProblems } from '../src/links/link-problems.js';
import { behaviours, closedPort, startServer, type TestServer } from './link-servers.js';

function entries(urls: readonly string[]): LinkEntry[] {
  return urls.map((url, i) => ({ url, source: { file: 'links.md', line: i + 1 } }));
}

function notFound(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
}

/** A resolver that knows only the names it is given; every other name does not exist. */
function lookupOf(names: Record<string, string>): LookupAll {
  return (hostname, callback) => {
    const address = names[hostname];
    if (address === undefined) callback(notFound(hostname), []);
    else callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

/** Every line of the problems for these results, as `check` prints them without the file. */
function lines(results: Parameters<typeof linkProblems>[0]): string[] {
  return linkProblems(results).map((p) => `${p.line} ${p.severity} ${p.code} ${p.message}`);
}

describe('which addresses count as not public', () => {
  it('classifies loopback, private, link-local and their IPv6 and IPv4-mapped forms', () => {
    const kinds = Object.fromEntries(
      [
        '127.0.0.1',
        '127.255.255.254',
        '10.1.2.3',
        '172.16.0.1',
        '172.31.255.255',
        '192.168.1.1',
        '100.64.0.1',
        '169.254.169.254',
        '0.0.0.0',
        '224.0.0.1',
        '255.255.255.255',
        '::1',
        '[::1]',
        '::',
        'fc00::1',
        'fd12:3456::1',
        'fe80::1',
        'fe80::1%eth0',
        '::ffff:127.0.0.1',
        '::ffff:7f00:2',
        '::ffff:a9fe:a9fe',
        '64:ff9b::7f00:1',
        '2002:7f00:1::',
        'ff02::1',
        // public
        '172.32.0.1',
        '8.8.8.8',
        '93.184.215.14',
        '::ffff:8.8.8.8',
        '2606:4700:4700::1111',
        'example.com',
      ].map((address) => [address, nonPublicKind(address) ?? 'public']),
    );
    expect(kinds).toEqual({
      '127.0.0.1': 'loopback',
      '127.255.255.254': 'loopback',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.1.1': 'private',
      '100.64.0.1': 'private',
      '169.254.169.254': 'link-local',
      '0.0.0.0': 'unspecified',
      '224.0.0.1': 'multicast',
      '255.255.255.255': 'reserved',
      '::1': 'loopback',
      '[::1]': 'loopback',
      '::': 'unspecified',
      'fc00::1': 'private',
      'fd12:3456::1': 'private',
      'fe80::1': 'link-local',
      'fe80::1%eth0': 'link-local',
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:7f00:2': 'loopback',
      '::ffff:a9fe:a9fe': 'link-local',
      '64:ff9b::7f00:1': 'loopback',
      '2002:7f00:1::': 'loopback',
      'ff02::1': 'multicast',
      '172.32.0.1': 'public',
      '8.8.8.8': 'public',
      '93.184.215.14': 'public',
      '::ffff:8.8.8.8': 'public',
      '2606:4700:4700::1111': 'public',
      'example.com': 'public',
    });
  });
});

describe('checkLinks refuses private, loopback and link-local targets by default', () => {
  let server: TestServer;
  let inner: http.Server;
  let innerRequests = 0;
  let innerPort = 0;

  beforeAll(async () => {
    // A "public" site on 127.0.0.1 whose pages redirect inward, to 127.0.0.2, by address or by name.
    inner = http.createServer((_req, res) => {
      innerRequests += 1;
      res.end('internal');
    });
    await new Promise<void>((resolve) => inner.listen(0, '127.0.0.2', resolve));
    innerPort = (inner.address() as AddressInfo).port;
    server = await startServer((req, res) => {
      const to = req.url === '/by-name' ? `http://internal.test:${innerPort}/secret` : `http://127.0.0.2:${innerPort}/secret`;
      res.writeHead(302, { location: to });
      res.end();
    });
  });
  afterAll(async () => {
    await server.close();
    await new Promise<void>((resolve) => inner.close(() => resolve()));
  });

  it('never connects to them, in any spelling of the address, nor to a name that resolves to one', async () => {
    const port = new URL(server.origin).port;
    const urls = [
      `http://2130706433:${port}/decimal`, // 127.0.0.1 in decimal
      `http://0x7f000001:${port}/hex`,
      `http://0177.0.0.1:${port}/octal`,
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/`,
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://looks-public.test:${port}/`,
    ];
    const started = Date.now();
    const check = await checkLinks(entries(urls), {
      lookup: lookupOf({ 'looks-public.test': '127.0.0.1' }),
      timeoutMs: 1000,
      hostDelayMs: 0,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(check.stopped).toBeUndefined();
    expect(check.results.map((r) => [r.url, r.outcome, r.requests])).toEqual(
      urls.map((u) => [new URL(u).href, 'private', 1]), // one refused HEAD each: no GET, no retry
    );
    expect(server.requests).toEqual([]);
    expect(lines(check.results)).toEqual([
      `1 warning private-link http://127.0.0.1:${port}/decimal is not checked: 127.0.0.1 is a loopback address; pass --allow-private to check it`,
      `2 warning private-link http://127.0.0.1:${port}/hex is not checked: 127.0.0.1 is a loopback address; pass --allow-private to check it`,
      `3 warning private-link http://127.0.0.1:${port}/octal is not checked: 127.0.0.1 is a loopback address; pass --allow-private to check it`,
      '4 warning private-link http://169.254.169.254/latest/meta-data/ is not checked: 169.254.169.254 is a link-local address; pass --allow-private to check it',
      `5 warning private-link http://[::1]:${port}/ is not checked: ::1 is a loopback address; pass --allow-private to check it`,
      '6 warning private-link http://[fd00::1]/ is not checked: fd00::1 is a private address; pass --allow-private to check it',
      '7 warning private-link http://[fe80::1]/ is not checked: fe80::1 is a link-local address; pass --allow-private to check it',
      `8 warning private-link http://[::ffff:7f00:1]:${port}/ is not checked: ::ffff:7f00:1 is a loopback address; pass --allow-private to check it`,
      `9 warning private-link http://looks-public.test:${port}/ is not checked: looks-public.test is at 127.0.0.1, a loopback address; pass --allow-private to check it`,
    ]);
  });

  it('checks every redirect: allowed for the first hop only, the hop to 127.0.0.2 is refused and never made', async () => {
    const onlyTheFirstHop = (address: string) => address === '127.0.0.1';
    const check = await checkLinks(entries([server.url('/by-address'), server.url('/by-name')]), {
      allowPrivate: onlyTheFirstHop,
      lookup: lookupOf({ 'internal.test': '127.0.0.2' }),
      hostDelayMs: 0,
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /by-address', 'HEAD /by-name']);
    expect(innerRequests).toBe(0);
    expect(lines(check.results)).toEqual([
      `1 warning private-link ${server.url('/by-address')} redirects to http://127.0.0.2:${innerPort}/secret, which is not followed: 127.0.0.2 is a loopback address; pass --allow-private to check it`,
      `2 warning private-link ${server.url('/by-name')} redirects to http://internal.test:${innerPort}/secret, which is not followed: internal.test is at 127.0.0.2, a loopback address; pass --allow-private to check it`,
    ]);

    // With every private target allowed, the same redirect is followed (the refusal above is the policy, not the server).
    const allowed = await checkLinks(entries([server.url('/by-address')]), { allowPrivate: true, hostDelayMs: 0 });
    expect(allowed.results.map((r) => [r.outcome, r.finalUrl])).toEqual([['redirected', `http://127.0.0.2:${innerPort}/secret`]]);
    expect(innerRequests).toBe(1);
  });
});

describe('checkLinks with a name that resolves to several addresses', () => {
  it('connects only to an allowed one, and refuses the name when none is', async () => {
    const server = await startServer(behaviours.ok);
    try {
      const port = new URL(server.origin).port;
      const lookup: LookupAll = (hostname, callback) =>
        callback(null, [
          { address: '127.0.0.2', family: 4 },
          { address: hostname === 'mixed.test' ? '127.0.0.1' : '10.0.0.1', family: 4 },
        ]);
      const check = await checkLinks(entries([`http://mixed.test:${port}/`, `http://inside.test:${port}/`]), {
        allowPrivate: (address) => address === '127.0.0.1',
        lookup,
        hostDelayMs: 0,
      });
      expect(check.results.map((r) => [r.outcome, r.reason])).toEqual([
        ['ok', '200 OK'],
        ['private', 'inside.test is at 127.0.0.2, a loopback address'],
      ]);
      expect(server.requests.map((r) => r.path)).toEqual(['/']);
    } finally {
      await server.close();
    }
  });
});

describe('guardedFetch reads no body', () => {
  it('a GET whose body never ends is answered with its status, and the download stops there', async () => {
    let sent = 0;
    const timers: NodeJS.Timeout[] = [];
    const endless = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        sent += chunk.length;
        res.write(chunk);
      }, 1);
      timers.push(timer);
      res.on('close', () => clearInterval(timer));
    });
    const client = guardedFetch({ allowPrivate: true });
    try {
      const response = await client.fetch(endless.url('/big'), { method: 'GET', signal: AbortSignal.timeout(5000) });
      expect(response.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = sent;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sent).toBe(after); // the server saw the client leave, while the client is still open
    } finally {
      client.close();
      for (const t of timers) clearInterval(t);
      await endless.close();
    }
  });
});

describe('checkLinks times a silent server out even when memory is collected meanwhile', () => {
  it('ends with link-timeout, not a wait forever, while garbage collections run', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const hang = await startServer(behaviours.hang);
    const collecting = setInterval(gc, 10);
    try {
      const started = Date.now();
      const check = await Promise.race([
        checkLinks(entries([hang.url('/a'), hang.url('/b')]), { allowPrivate: true, timeoutMs: 300, retries: 0, hostDelayMs: 0 }),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5000)),
      ]);
      expect(check?.results.map((r) => r.outcome)).toEqual(['timeout', 'timeout']);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      clearInterval(collecting);
      await hang.close();
    }
  });
});

describe('checkLinks stops at --max-time', () => {
  it('ends a check of a server that never answers at the deadline, keeping what was done', async () => {
    const [hang, ok] = await Promise.all([startServer(behaviours.hang), startServer(behaviours.ok)]);
    try {
      const started = Date.now();
      const check = await checkLinks(entries([ok.url('/'), hang.url('/1'), hang.url('/2'), hang.url('/3')]), {
        allowPrivate: true,
        timeoutMs: 60_000,
        maxTimeMs: 400,
        hostDelayMs: 0,
      });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(390);
      expect(elapsed).toBeLessThan(2000);
      expect(check.stopped).toEqual({ reason: 'max-time', maxTimeMs: 400 });
      expect(check.total).toBe(4);
      expect(check.results.map((r) => [r.url, r.outcome])).toEqual([[ok.url('/'), 'ok']]);
    } finally {
      await Promise.all([hang.close(), ok.close()]);
    }
  });
});

describe('checkLinks and a network that is not there', () => {
  const invalid = (n: number) => Array.from({ length: n }, (_, i) => `https://site-${i}.invalid/page`);
  const offlineLookup: LookupAll = (hostname, callback) => callback(notFound(hostname), []);

  it('stops, saying so, when every host fails to resolve or connect and none answers', async () => {
    const closed = await Promise.all([closedPort(), closedPort()]);
    const started = Date.now();
    const check = await checkLinks(entries([...invalid(3), ...closed.map((p) => `http://127.0.0.1:${p}/`)]), {
      allowPrivate: true,
      lookup: offlineLookup,
      retryDelayMs: 10,
      hostDelayMs: 0,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(check.stopped).toEqual({ reason: 'offline', hosts: 5, codes: { ENOTFOUND: 3, ECONNREFUSED: 2 } });
  });

  it('gives up after 8 such hosts of a large catalog rather than trying all of them', async () => {
    const check = await checkLinks(entries(invalid(200)), { lookup: offlineLookup, hostDelayMs: 0 });
    expect(check.stopped).toEqual({ reason: 'offline', hosts: 8, codes: { ENOTFOUND: 8 } });
    expect(check.total).toBe(200);
    expect(check.results.length).toBeLessThanOrEqual(8);
  });

  it('calls links dead as before when another host answers, or when there are only two hosts', async () => {
    const ok = await startServer(behaviours.ok);
    try {
      const withOne = await checkLinks(entries([...invalid(3), ok.url('/')]), {
        allowPrivate: true,
        lookup: offlineLookup,
        hostDelayMs: 0,
        concurrency: 1, // the answer comes last: the three failures before it must not be enough
      });
      expect(withOne.stopped).toBeUndefined();
      expect(withOne.results.map((r) => r.outcome)).toEqual(['dead', 'dead', 'dead', 'ok']);
    } finally {
      await ok.close();
    }
    const two = await checkLinks(entries(invalid(2)), { lookup: offlineLookup, hostDelayMs: 0 });
    expect(two.stopped).toBeUndefined();
    expect(two.results.map((r) => r.outcome)).toEqual(['dead', 'dead']);
  });
});
