/** The console started by `npm start` without a token reloads the catalog as the bot does. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';
import { nodeArgs } from './processes.js';

describe('the console', () => {
  it('answers from the reloaded catalog after a file changes, and says so on stderr', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-console-'));
    writeFileSync(path.join(dir, 'links.md'), '# Tools\n\n- [Alpha tool](https://alpha.example.com)\n');
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') env[k] = v;
    const child = spawn(process.execPath, nodeArgs('src/main.ts'), {
      cwd: repoRoot,
      env: { ...env, HOME: dir, DISCORD_TOKEN: '', MODE: '', CONTENT_DIR: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = async (condition: () => boolean, what: string) => {
      const started = Date.now();
      while (!condition()) {
        if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      await until(() => stdout.includes('linkdex console: 1 link'), 'the banner');
      writeFileSync(
        path.join(dir, 'links.md'),
        '# Tools\n\n- [Alpha tool](https://alpha.example.com)\n- [Zeta tool](https://zeta.example.com)\n',
      );
      await until(() => stderr.includes('[reload] reloaded: 1 added, 0 removed, 0 changed, 2 links'), 'the reload');
      child.stdin.write('/search zeta\n/quit\n');
      expect(await exit).toBe(0);
      expect(stdout).toContain('1. Zeta tool  (zeta.example.com)');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
