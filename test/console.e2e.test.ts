/**
 * `npm start` without a token, as a person meets it: at a real terminal (a pseudo-terminal made
 * by util-linux `script`), and with its output piped into a reader that goes away.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';
import { nodeArgs, startScript, testEnv, until } from './processes.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('the console at a real terminal', () => {
  it.skipIf(!hasScript)(
    'Ctrl-C clears a half-typed line; two Ctrl-C on an empty line leave with exit 0',
    async () => {
      const env = testEnv({ TERM: 'dumb', NO_COLOR: '1' });
      // -e: script exits with the console's own code; -f: output as it comes; -q: no "Script started".
      const child = spawn('script', ['-qfec', [process.execPath, ...nodeArgs('src/main.ts')].join(' '), '/dev/null'], {
        cwd: repoRoot,
        env,
      });
      let screen = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (screen += d));
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const prompts = () => screen.split('linkdex> ').length - 1;
      try {
        await until(
          () => prompts() >= 1,
          () => `the first prompt; screen:\n${screen}`,
          20_000,
        );
        child.stdin.write('/search distrib');
        await until(
          () => screen.includes('/search distrib'),
          () => `the typed text echoed; screen:\n${screen}`,
        );
        child.stdin.write('\x03');
        await until(
          () => prompts() >= 2,
          () => `a fresh prompt after Ctrl-C; screen:\n${screen}`,
        );
        child.stdin.write('kafka\r');
        await until(
          () => screen.includes('10 results'),
          () => `the answer to kafka; screen:\n${screen}`,
        );
        expect(screen).toContain('Search: “kafka”');
        expect(screen).not.toContain('distrib kafka');
        child.stdin.write('\x03');
        await until(
          () => screen.includes('(To leave, press Ctrl-C again'),
          () => `the hint; screen:\n${screen}`,
        );
        child.stdin.write('\x03');
        expect(await exit).toBe(0);
        // A typed line is remembered for the arrow keys.
        expect(existsSync(path.join(env['HOME'] ?? '', '.linkdex_history'))).toBe(true);
      } finally {
        child.kill('SIGKILL');
      }
    },
    40_000,
  );
});

describe('the console with piped input and output', () => {
  it('exits 0 without a stack when the reader of its output goes away (npm start | head)', async () => {
    const run = startScript('src/main.ts', {});
    let stderr = '';
    run.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(
      () => run.output().includes('linkdex console:'),
      () => `the banner; output:\n${run.output()}`,
      20_000,
    );
    // `head -1` has read its line and gone.
    run.child.stdout?.destroy();
    run.child.stdin?.write('/category\n/search kafka\n/random\n');
    const code = await Promise.race([run.exit, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    run.child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(stderr).toBe('');
  }, 40_000);

  it('answers piped lines without saving them to the history', async () => {
    const env = testEnv();
    const run = startScript('src/main.ts', { HOME: env['HOME'] ?? '' });
    run.child.stdin?.end('/search kafka\n/quit\n');
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain('Search: “kafka”');
    expect(existsSync(path.join(env['HOME'] ?? '', '.linkdex_history'))).toBe(false);
  }, 40_000);
});
