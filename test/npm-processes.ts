/** Starting the entry points through npm, as the README tells a user to. */
import { spawn } from 'node:child_process';
import { repoRoot } from './helpers.js';
import { testEnv, type Running } from './processes.js';

/** `npm run <script> -- <args>` in the repository (`start` for `npm start`), with `testEnv(env)`. */
export function startNpm(script: string, env: Record<string, string>, args: readonly string[] = []): Running {
  const npmArgs = ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])];
  const child = spawn('npm', npmArgs, { cwd: repoRoot, env: { ...testEnv(env), npm_config_update_notifier: 'false' } });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Waits for `running` to exit, at most `ms`: its exit code and output, or a failure naming what it printed. */
export async function finished(running: Running, ms = 60_000): Promise<{ code: number | null; output: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      running.child.kill('SIGKILL');
      reject(new Error(`still running after ${ms} ms; output:\n${running.output()}`));
    }, ms);
  });
  try {
    const code = await Promise.race([running.exit, timeout]);
    return { code, output: running.output() };
  } finally {
    clearTimeout(timer);
  }
}
