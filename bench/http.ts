/**
 * The HTTP interactions endpoint under a burst: the real server (src/main.ts --http, as
 * `npm run start:http` runs it) on the seed catalog, logging to a file as it would in production,
 * and 1,000 signed autocomplete requests sent at once over 127.0.0.1 on kept-alive connections.
 * Reports throughput, latency percentiles and whether every request got a valid answer.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expectValidCallback } from '../test/discord-payload.js';
import { autocompleteInteraction } from '../dev/fake-discord/interactions.js';
import { testEnv } from '../test/processes.js';
import { newSigner, send, type HttpAnswer } from '../test/signed-requests.js';
import { percentile } from './percentile.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** What members type into /search's query option. */
const SEQUENTIAL = 500;
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

export async function benchHttp(
  options: { concurrency?: number; bursts?: number; warmupBursts?: number; progress?: (message: string) => void } = {},
): Promise<HttpBenchResult> {
  const concurrency = options.concurrency ?? 1000;
  const rounds = options.bursts ?? 3;
  const warmupBursts = options.warmupBursts ?? 2;
  const progress = options.progress ?? (() => undefined);
  const signer = newSigner();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-bench-http-'));
  const logFile = path.join(dir, 'server.log');
  const fd = openSync(logFile, 'w');
  const env = testEnv({ PORT: '0', DISCORD_PUBLIC_KEY: signer.publicKeyHex, LOG_LEVEL: 'info' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--http'], { cwd: repoRoot, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    let port: string | undefined;
    for (let waited = 0; !port; waited += 20) {
      if (child.exitCode !== null || waited > 30_000) throw new Error(`the HTTP server did not start:\n${readFileSync(logFile, 'utf8')}`);
      await sleep(20);
      port = /listening on http:\/\/0\.0\.0\.0:(\d+)\//.exec(readFileSync(logFile, 'utf8'))?.[1];
    }
    const url = `http://127.0.0.1:${port}/interactions`;
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
    return {
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
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
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
  ].join('\n');
}
