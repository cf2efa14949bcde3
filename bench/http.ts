/**
 * The HTTP interactions endpoint under load and under attack: the real server (src/main.ts
 * --http, as `npm run start:http` runs it) on the seed catalog, logging to a file as it would in
 * production, all over 127.0.0.1.
 * - bursts: 1,000 signed autocomplete requests at once on kept-alive connections: throughput,
 *   latency percentiles and whether every request got a valid answer;
 * - stalled clients: 2,000 connections that stall (no bytes, half the headers, or forged headers
 *   and most of a 1 MB body) and never read, while signed requests keep coming one at a time: the
 *   server's resident memory idle and with them, and the signed requests' latency meanwhile;
 * - a command burst: 3,000 signed /search commands at once: how long the slowest member waited
 *   for the acknowledgement (Discord allows 3 s), against the latency the server logged.
 * `tsx bench/http.ts --server-root DIR` runs the last two against another checkout (a baseline).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { expectValidCallback } from '../test/discord-payload.js';
import { autocompleteInteraction, commandInteraction } from '../dev/fake-discord/interactions.js';
import { testEnv } from '../test/processes.js';
import { newSigner, rawSignedRequest, send, sendAllAtOnce, type HttpAnswer } from '../test/signed-requests.js';
import { percentile } from './percentile.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** What members type into /search's query option. */
const SEQUENTIAL = 500;
/** What the endpoint accepts at most (MAX_BODY_BYTES). */
const MAX_BODY = 1024 * 1024;
const TYPED = ['k', 'ku', 'kub', 'kube', 'o', 'ob', 'obs', 'py', 'pyt', 'doc', 'dock', 'web', 'kafka', 'rust', 'data', 'prom'];

export interface HttpBurst {
  requests: number;
  answered: number;
  valid: number;
  wallMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface HttpBenchResult {
  catalog: 'seed';
  /** Requests in flight at once, in each burst. */
  concurrency: number;
  warmupBursts: number;
  bursts: HttpBurst[];
  /** Over every timed request of every burst (percentiles of the pooled latencies). */
  total: { requests: number; answered: number; valid: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** One request at a time, after the bursts: what a request costs when nothing queues. */
  sequential: { requests: number; answered: number; p50Ms: number; p99Ms: number };
  /** The median burst's throughput. */
  requestsPerSecond: number;
  allAnswered: boolean;
  /** The hostile scenarios, each on a fresh server after the bursts. */
  stalled: StalledResult;
  commandBurst: CommandBurstResult;
}

/** One burst: every request signed beforehand, then all sent at once. */
async function burst(
  url: string,
  concurrency: number,
  agent: Agent,
  signer: ReturnType<typeof newSigner>,
): Promise<{ burst: HttpBurst; samples: number[] }> {
  const bodies = Array.from({ length: concurrency }, (_, i) =>
    JSON.stringify(autocompleteInteraction('search', { query: TYPED[i % TYPED.length] ?? 'ku' }, 'query')),
  );
  const signed = bodies.map((body) => ({ body, headers: { 'content-type': 'application/json', ...signer.headers(body) } }));
  const started = performance.now();
  const answers = await Promise.all(
    signed.map((r) => send(url, { ...r, agent }).catch((): HttpAnswer => ({ status: 0, headers: {}, text: '', ms: Number.NaN }))),
  );
  const wallMs = performance.now() - started;
  const answered = answers.filter((a) => a.status === 200);
  const valid = answered.filter((a) => {
    try {
      const body = JSON.parse(a.text) as { type?: number; data?: { choices?: unknown[] } };
      expectValidCallback(body);
      return body.type === 8 && (body.data?.choices?.length ?? 0) > 0;
    } catch {
      return false;
    }
  });
  const ms = answered.map((a) => a.ms);
  return {
    burst: {
      requests: concurrency,
      answered: answered.length,
      valid: valid.length,
      wallMs,
      requestsPerSecond: (concurrency / wallMs) * 1000,
      p50Ms: percentile(ms, 50),
      p99Ms: percentile(ms, 99),
      maxMs: Math.max(...ms),
    },
    samples: ms,
  };
}

interface Server {
  url: string;
  port: string;
  child: ChildProcess;
  /** The server's log so far. */
  log(): string;
  /** Resident memory now, from /proc (Linux). */
  rssMb(): number;
  /** Open file descriptors now, from /proc (Linux): each connection holds one. */
  fds(): number;
  stop(): Promise<void>;
}

/** `src/main.ts --http` from `root` (this checkout by default), logging to a file; resolves once it listens. */
async function startServer(signer: ReturnType<typeof newSigner>, env: Record<string, string> = {}, root = repoRoot): Promise<Server> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-bench-http-'));
  const logFile = path.join(dir, 'server.log');
  const fd = openSync(logFile, 'w');
  const serverEnv = testEnv({
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '',
    DISCORD_PUBLIC_KEY: signer.publicKeyHex,
    LOG_LEVEL: 'info',
    ...env,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--http'], {
    cwd: root,
    env: serverEnv,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const log = () => readFileSync(logFile, 'utf8');
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  let port: string | undefined;
  for (let waited = 0; !port; waited += 20) {
    if (child.exitCode !== null || waited > 30_000) {
      const text = log();
      await stop();
      throw new Error(`the HTTP server did not start:\n${text}`);
    }
    await sleep(20);
    // An older checkout listens on 0.0.0.0 whatever HOST says.
    port = /listening on http:\/\/(?:\[[^\]]*\]|[^:/]+):(\d+)\//.exec(log())?.[1];
  }
  const rssMb = () => {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
  };
  const fds = () => readdirSync(`/proc/${child.pid}/fd`).length;
  return { url: `http://127.0.0.1:${port}/interactions`, port, child, log, rssMb, fds, stop };
}

export async function benchHttp(
  options: { concurrency?: number; bursts?: number; warmupBursts?: number; progress?: (message: string) => void } = {},
): Promise<HttpBenchResult> {
  const concurrency = options.concurrency ?? 1000;
  const rounds = options.bursts ?? 3;
  const warmupBursts = options.warmupBursts ?? 2;
  const progress = options.progress ?? (() => undefined);
  const signer = newSigner();
  const server = await startServer(signer);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  let measured: Omit<HttpBenchResult, 'stalled' | 'commandBurst'>;
  try {
    const { url, port } = server;
    progress(`http: server on port ${port}; ${warmupBursts} warm-up burst(s), then ${rounds} timed burst(s) of ${concurrency}`);
    for (let i = 0; i < warmupBursts; i++) await burst(url, concurrency, agent, signer);
    const bursts: HttpBurst[] = [];
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const { burst: result, samples: ms } = await burst(url, concurrency, agent, signer);
      progress(
        `http: burst ${i + 1}: ${result.answered}/${result.requests} answered, ${result.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`,
      );
      bursts.push(result);
      samples.push(...ms);
    }
    const alone: HttpAnswer[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const body = JSON.stringify(autocompleteInteraction('search', { query: TYPED[i % TYPED.length] ?? 'ku' }, 'query'));
      alone.push(await send(url, { body, headers: { 'content-type': 'application/json', ...signer.headers(body) }, agent }));
    }
    const aloneMs = alone.filter((a) => a.status === 200).map((a) => a.ms);
    progress(`http: ${SEQUENTIAL} requests one at a time: p50 ${percentile(aloneMs, 50).toFixed(2)} ms`);
    const sum = (f: (b: HttpBurst) => number) => bursts.reduce((n, b) => n + f(b), 0);
    measured = {
      catalog: 'seed',
      concurrency,
      warmupBursts,
      bursts,
      total: {
        requests: sum((b) => b.requests),
        answered: sum((b) => b.answered),
        valid: sum((b) => b.valid),
        p50Ms: percentile(samples, 50),
        p99Ms: percentile(samples, 99),
        maxMs: Math.max(...samples),
      },
      requestsPerSecond: percentile(
        bursts.map((b) => b.requestsPerSecond),
        50,
      ),
      sequential: { requests: SEQUENTIAL, answered: aloneMs.length, p50Ms: percentile(aloneMs, 50), p99Ms: percentile(aloneMs, 99) },
      allAnswered: aloneMs.length === SEQUENTIAL && bursts.every((b) => b.answered === b.requests && b.valid === b.requests),
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
  const stalled = await benchStalled({ progress });
  const commandBurst = await benchCommandBurst({ progress });
  return { ...measured, stalled, commandBurst };
}

export function httpReport(r: HttpBenchResult): string {
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const rows = r.bursts.map(
    (b, i) =>
      `burst ${i + 1}   ${`${b.answered}/${b.requests}`.padStart(9)} ${String(b.valid).padStart(6)} ${f(b.requestsPerSecond).padStart(8)} ` +
      `${f(b.p50Ms).padStart(8)} ${f(b.p99Ms).padStart(8)} ${f(b.maxMs).padStart(8)} ${f(b.wallMs).padStart(8)}`,
  );
  return [
    `== HTTP interactions endpoint (npm run start:http, seed catalog): ${r.concurrency} concurrent signed autocompletes per burst, after ${r.warmupBursts} warm-up burst(s)`,
    '          answered  valid    req/s  p50 ms   p99 ms   max ms  wall ms',
    ...rows,
    `all bursts   ${`${r.total.answered}/${r.total.requests}`.padStart(9)} ${String(r.total.valid).padStart(6)} ${f(r.requestsPerSecond).padStart(8)} ` +
      `${f(r.total.p50Ms).padStart(8)} ${f(r.total.p99Ms).padStart(8)} ${f(r.total.maxMs).padStart(8)}   (req/s: the median burst)`,
    `one at a time (${r.sequential.requests} requests): p50 ${r.sequential.p50Ms.toFixed(2)} ms, p99 ${r.sequential.p99Ms.toFixed(2)} ms`,
    `every request answered with valid choices: ${r.allAnswered ? 'yes' : 'NO'}`,
    '',
    stalledReport(r.stalled),
    '',
    commandBurstReport(r.commandBurst),
  ].join('\n');
}

export interface StalledResult {
  clients: number;
  /** Of which: connected and sent nothing / half the headers / forged headers and most of a 1 MB body. */
  mix: { silent: number; halfHeaders: number; forgedBodies: number };
  /** The server's resident memory after warming up, before the stalled clients. */
  idleRssMb: number;
  /** Its highest and last resident memory while they were held (sampled every 250 ms). */
  peakRssMb: number;
  endRssMb: number;
  /** Signed autocompletes sent one at a time meanwhile. */
  signed: { requests: number; answered: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** File descriptors the server held idle, at its peak, and at the end (each connection is one). */
  fds: { idle: number; peak: number; end: number };
  seconds: number;
}

/** A connection that writes `text` (and `body` bytes after it) and then stalls, never reading. */
function stall(port: string, text: string, body: Buffer | undefined, closed: () => void): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.pause();
      if (text) socket.write(text);
      if (body) socket.write(body);
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.on('close', closed);
    // A refused connection (past the server's cap) counts as closed and stalls nothing.
    socket.on('error', () => resolve(socket));
  });
}

/**
 * 2,000 stalled clients (a quarter silent, a quarter half-way through their headers, half with
 * forged but fresh signature headers and 1 MB - 1 of a declared 1 MB body), held for `holdMs`,
 * while one signed autocomplete at a time measures what Discord would see.
 */
export async function benchStalled(
  options: { clients?: number; holdMs?: number; root?: string; progress?: (message: string) => void } = {},
): Promise<StalledResult> {
  const clients = options.clients ?? 2000;
  const holdMs = options.holdMs ?? 12_000;
  const progress = options.progress ?? (() => undefined);
  const signer = newSigner();
  const server = await startServer(signer, {}, options.root);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const sockets: Socket[] = [];
  const signedMs: number[] = [];
  let signedSent = 0;
  const ask = async () => {
    const body = JSON.stringify(autocompleteInteraction('search', { query: TYPED[signedSent % TYPED.length] ?? 'ku' }, 'query'));
    signedSent++;
    const answer = await send(server.url, { body, headers: { 'content-type': 'application/json', ...signer.headers(body) }, agent }).catch(
      (): HttpAnswer => ({ status: 0, headers: {}, text: '', ms: Number.NaN }),
    );
    if (answer.status === 200) signedMs.push(answer.ms);
  };
  try {
    for (let i = 0; i < 300; i++) await ask();
    signedMs.length = 0;
    signedSent = 0;
    await sleep(1000);
    const idleRssMb = server.rssMb();
    const started = performance.now();
    const silent = Math.floor(clients / 4);
    const halfHeaders = Math.floor(clients / 4);
    const forgedBodies = clients - silent - halfHeaders;
    const megabyte = Buffer.alloc(MAX_BODY - 1, 0x20);
    const onClosed = () => undefined;
    const forged = () =>
      'POST /interactions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
      `content-length: ${MAX_BODY}\r\nx-signature-ed25519: ${'ab'.repeat(64)}\r\n` +
      `x-signature-timestamp: ${Math.floor(Date.now() / 1000)}\r\n\r\n`;
    // Opened in waves of 100, as a flood would arrive; signed requests go on meanwhile.
    let sampling = true;
    let peakRssMb = idleRssMb;
    const idleFds = server.fds();
    let peakFds = idleFds;
    const sampler = (async () => {
      while (sampling) {
        peakRssMb = Math.max(peakRssMb, server.rssMb());
        peakFds = Math.max(peakFds, server.fds());
        await sleep(250);
      }
    })();
    const asking = (async () => {
      while (sampling) {
        await ask();
        await sleep(20);
      }
    })();
    for (let i = 0; i < clients; i += 100) {
      const wave = Array.from({ length: Math.min(100, clients - i) }, (_, j) => {
        const n = i + j;
        if (n < silent) return stall(server.port, '', undefined, onClosed);
        if (n < silent + halfHeaders) return stall(server.port, 'POST /interactions HTTP/1.1\r\nhost: x\r\n', undefined, onClosed);
        return stall(server.port, forged(), megabyte, onClosed);
      });
      sockets.push(...(await Promise.all(wave)));
    }
    progress(`http: ${clients} stalled clients open after ${((performance.now() - started) / 1000).toFixed(1)} s; holding`);
    await sleep(Math.max(0, holdMs - (performance.now() - started)));
    const endRssMb = server.rssMb();
    const endFds = server.fds();
    sampling = false;
    await Promise.all([sampler, asking]);
    return {
      clients,
      mix: { silent, halfHeaders, forgedBodies },
      idleRssMb,
      peakRssMb,
      endRssMb,
      signed: {
        requests: signedSent,
        answered: signedMs.length,
        p50Ms: percentile(signedMs, 50),
        p99Ms: percentile(signedMs, 99),
        maxMs: Math.max(...signedMs),
      },
      fds: { idle: idleFds, peak: peakFds, end: endFds },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    agent.destroy();
    await server.stop();
  }
}

export interface CommandBurstResult {
  commands: number;
  answered: number;
  /** Answered with a deferral (type 5), the answer edited in afterwards. */
  deferred: number;
  /** From sending to the end of the answer, as Discord would wait: the slowest and the 99th percentile. */
  maxWaitMs: number;
  p99WaitMs: number;
  /** Acknowledged later than Discord's 3 s. */
  over3s: number;
  /** The highest latency the server logged for these interactions. */
  maxLoggedLatencyMs: number;
}

/** `commands` signed /search commands sent at once, each on its own connection; deferred edits go to a local sink. */
export async function benchCommandBurst(
  options: { commands?: number; root?: string; progress?: (message: string) => void } = {},
): Promise<CommandBurstResult> {
  const count = options.commands ?? 3000;
  const signer = newSigner();
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  const server = await startServer(signer, { DISCORD_API_URL: apiUrl }, options.root);
  try {
    // Warm up the handlers, then the burst, every request signed beforehand.
    for (let i = 0; i < 50; i++) {
      const body = JSON.stringify(commandInteraction('search', { query: TYPED[i % TYPED.length] ?? 'ku' }));
      await send(server.url, { body, headers: { 'content-type': 'application/json', ...signer.headers(body) } });
    }
    const bodies = Array.from({ length: count }, (_, i) =>
      JSON.stringify(commandInteraction('search', { query: `${TYPED[i % TYPED.length] ?? 'ku'}` })),
    );
    const ids = new Set(bodies.map((body) => (JSON.parse(body) as { id: string }).id));
    // Every request signed and every connection open beforehand, so that the client's own work
    // is not in the figures: then all are written in one go, as Discord's would arrive.
    const answers = await sendAllAtOnce(
      Number(server.port),
      bodies.map((body) => rawSignedRequest(signer, body)),
    );
    const answered = answers.filter((a) => a.status === 200);
    const waits = answered.map((a) => a.ms);
    // Let the deferred edits finish and the log be flushed.
    await sleep(3000);
    const logged = server
      .log()
      .split('\n')
      .filter((l) => l.includes('"msg":"interaction"'))
      .map((l) => JSON.parse(l) as { interaction: string; latencyMs: number })
      .filter((l) => ids.has(l.interaction));
    const result = {
      commands: count,
      answered: answered.length,
      deferred: answered.filter((a) => a.text === '{"type":5}').length,
      maxWaitMs: Math.max(...waits),
      p99WaitMs: percentile(waits, 99),
      over3s: waits.filter((ms) => ms > 3000).length,
      maxLoggedLatencyMs: Math.max(...logged.map((l) => l.latencyMs)),
    };
    options.progress?.(`http: ${count} commands at once: slowest acknowledgement ${result.maxWaitMs.toFixed(0)} ms`);
    return result;
  } finally {
    await server.stop();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}

export function stalledReport(r: StalledResult): string {
  const f = (n: number) => n.toFixed(1);
  return [
    `== HTTP endpoint with ${r.clients.toLocaleString('en')} stalled clients that never read (${r.mix.silent} silent, ${r.mix.halfHeaders} half-way through their headers, ${r.mix.forgedBodies} with forged headers and 1 MB - 1 of body), held ${r.seconds.toFixed(0)} s`,
    `server RSS: idle ${f(r.idleRssMb)} MB, peak ${f(r.peakRssMb)} MB (+${f(r.peakRssMb - r.idleRssMb)}), at the end ${f(r.endRssMb)} MB (+${f(r.endRssMb - r.idleRssMb)})`,
    `signed autocompletes meanwhile, one at a time: ${r.signed.answered}/${r.signed.requests} answered, p50 ${f(r.signed.p50Ms)} ms, p99 ${f(r.signed.p99Ms)} ms, max ${f(r.signed.maxMs)} ms`,
    `server file descriptors (one per connection): idle ${r.fds.idle}, peak ${r.fds.peak}, at the end ${r.fds.end}`,
  ].join('\n');
}

export function commandBurstReport(r: CommandBurstResult): string {
  return [
    `== HTTP endpoint: ${r.commands.toLocaleString('en')} signed /search commands written at once, each on its own open connection`,
    `answered ${r.answered}/${r.commands}, ${r.deferred} of them deferred; acknowledged after: p99 ${r.p99WaitMs.toFixed(0)} ms, slowest ${r.maxWaitMs.toFixed(0)} ms; ${r.over3s} later than Discord's 3 s`,
    `the highest latency the server logged for them: ${r.maxLoggedLatencyMs} ms`,
  ].join('\n');
}

/** `tsx bench/http.ts [--server-root DIR] [--stalled N] [--commands N]`: the two hostile scenarios, against DIR's server. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'server-root': { type: 'string' },
      stalled: { type: 'string', default: '2000' },
      commands: { type: 'string', default: '3000' },
    },
  });
  const root = values['server-root'] ? path.resolve(values['server-root']) : repoRoot;
  const progress = (message: string) => process.stderr.write(`${message}\n`);
  process.stdout.write(`server: ${root}\n`);
  if (Number(values.stalled) > 0)
    process.stdout.write(`${stalledReport(await benchStalled({ clients: Number(values.stalled), root, progress }))}\n`);
  if (Number(values.commands) > 0)
    process.stdout.write(`${commandBurstReport(await benchCommandBurst({ commands: Number(values.commands), root, progress }))}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
