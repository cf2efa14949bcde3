/**
 * SIGTERM sent to the `npm start` process itself, as a process manager does: npm forwards it to
 * its script's process only, so the bot must be that process (`exec node …`), not the child of a
 * shell that dies and leaves it running. Every process of the tree must be gone within 5 s, exit 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeDiscord } from '../dev/fake-discord/fake-discord.js';
import { startNpm } from './npm-processes.js';
import { until, type Running } from './processes.js';

/** A process's parent and state ('Z' for a zombie, which is gone but for its exit status), from /proc. */
function stat(pid: number): { ppid: number; state: string; name: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const [state = '', ppid = '0'] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state, name };
  } catch {
    return undefined;
  }
}

/** `root` and every process below it. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = stat(Number(entry));
    if (info) children.set(info.ppid, [...(children.get(info.ppid) ?? []), Number(entry)]);
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i] ?? -1) ?? []));
  return found;
}

/** A process's command line, as its arguments. */
function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

const running = (pid: number) => {
  const info = stat(pid);
  return info !== undefined && info.state !== 'Z';
};

const fake = new FakeDiscord();
const started: Running[] = [];

beforeAll(() => fake.start());
afterAll(async () => {
  for (const run of started) for (const pid of tree(run.child.pid ?? -1)) if (running(pid)) process.kill(pid, 'SIGKILL');
  await fake.stop();
});

async function expectCleanStop(run: Running, readyLine: string, processes: number, whileRunning?: () => Promise<void>): Promise<void> {
  started.push(run);
  await until(
    () => run.output().includes(readyLine),
    () => `"${readyLine}"; output so far:\n${run.output()}`,
    60_000,
  );
  await whileRunning?.();
  const pids = tree(run.child.pid ?? -1);
  // npm, then node directly: no shell between them to swallow the signal.
  expect(pids.map((pid) => stat(pid)?.name).filter((name) => name === 'sh' || name === 'tsx')).toEqual([]);
  expect(pids.length).toBeGreaterThanOrEqual(processes);
  // Below npm, only the compiled bot on plain node: no tsx loader in any process.
  for (const pid of pids.slice(1)) {
    const args = commandLine(pid);
    expect(args.join(' ')).not.toContain('tsx');
    expect(
      args.some((arg) => /(^|\/)dist\/src\/[\w./-]+\.js$/.test(arg)),
      args.join(' '),
    ).toBe(true);
  }
  const signalled = performance.now();
  run.child.kill('SIGTERM');
  expect(await run.exit).toBe(0);
  await until(
    () => pids.every((pid) => !running(pid)),
    () => `every process gone; still running: ${pids.filter(running).map((pid) => `${pid} ${stat(pid)?.name}`)}`,
    5000,
  );
  expect(performance.now() - signalled).toBeLessThan(5000);
}

describe.concurrent('SIGTERM to the npm process', { timeout: 90_000 }, () => {
  it('npm start: the bot and npm stop, exit 0, within 5 s', async () => {
    const run = startNpm('start', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl });
    await expectCleanStop(run, '"msg":"ready as', 2);
    expect(run.output()).toContain('"msg":"shutting down"');
  });

  it('npm run start:sharded: the manager, its shard and npm stop, exit 0, within 5 s', async () => {
    const run = startNpm('start:sharded', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, SHARD_COUNT: '1' });
    await expectCleanStop(run, 'all 1 shards are up', 3);
    expect(run.output()).toContain('"msg":"stopping the shards"');
  });

  it('npm run start:http: the endpoint and npm stop, exit 0, within 5 s', async () => {
    const run = startNpm('start:http', { PORT: '0', METRICS_PORT: '0', DISCORD_PUBLIC_KEY: 'ab'.repeat(32) });
    await expectCleanStop(run, '"msg":"health and metrics on http://', 2, async () => {
      // The load at start counts as the last reload, here as in the gateway bot; /metrics is only on METRICS_PORT.
      const port = /health and metrics on http:\/\/127\.0\.0\.1:(\d+)\//.exec(run.output())?.[1];
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('linkdex_last_reload_success 1');
    });
  });
});
