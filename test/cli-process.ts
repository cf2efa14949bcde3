/** `linkdex …` run as a user runs it (`node bin/linkdex.js` from the repository), for the process tests. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { repoRoot } from './helpers.js';
import { testEnv } from './processes.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

// Each run spends most of its time loading modules on the CPU: more at once than cores only slows each.
const MAX_AT_ONCE = Math.max(2, os.availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than MAX_AT_ONCE processes run, so process tests share the cores. */
export async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running < MAX_AT_ONCE) running += 1;
  else await new Promise<void>((resolve) => waiting.push(resolve)); // a finishing run hands its slot over
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** Killed after `timeoutMs`, so a hang fails the test instead of holding it. */
export function runLinkdex(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return withSlot(
    () =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(process.execPath, [`${repoRoot}/bin/linkdex.js`, ...args], {
          cwd: options.cwd ?? repoRoot,
          env: testEnv({ NO_COLOR: '1', LOG_LEVEL: '' }),
          timeout: options.timeoutMs ?? 30_000,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.stdin.end();
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - started }));
      }),
  );
}
