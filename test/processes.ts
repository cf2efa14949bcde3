/** Starting the project's entry points as a user would, for the end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './helpers.js';

/**
 * The user's environment without linkdex's own variables (set empty: empty means unset, and a
 * developer's `.env` cannot then leak in), with a temporary HOME and STATE_DIR and no cooldown
 * (one test member sends everything).
 */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') base[k] = v;
  return {
    ...base,
    HOME: mkdtempSync(path.join(os.tmpdir(), 'linkdex-home-')),
    CONTENT_DIR: '',
    INCLUDE_DRAFTS: '',
    DISCORD_TOKEN: '',
    DISCORD_CLIENT_ID: '',
    DISCORD_GUILD_ID: '',
    DISCORD_PUBLIC_KEY: '',
    MODE: '',
    PORT: '',
    HOST: '',
    METRICS_PORT: '',
    // Each process its own state (the SQLite file), unless a test shares one on purpose.
    STATE_DIR: mkdtempSync(path.join(os.tmpdir(), 'linkdex-state-')),
    DATABASE_URL: '',
    SHARD_LIST: '',
    LOG_LEVEL: 'info',
    COOLDOWN_COMMANDS: '0',
    ...extra,
  };
}

export interface Running {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output: () => string;
  exit: Promise<number | null>;
}

/**
 * The command line that runs `script` as users run it: a module of `src/` runs
 * compiled, `dist/src/main.js` on plain node (the build runs before the tests: vitest's
 * globalSetup); anything else (dev/, dev-only) runs through tsx.
 */
export function nodeArgs(script: string): string[] {
  const source = /^src\/.*\.ts$/.test(script);
  return source ? [path.posix.join('dist', script.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', script];
}

/**
 * `<script> [args]` run in the repository as npm runs it (see `nodeArgs`): `src/main.ts` is `npm start`
 * (`node dist/src/main.js`), `src/shard.ts` is `npm run start:sharded`, `src/main.ts --http` is
 * `npm run start:http`.
 */
export function startScript(script: string, env: Record<string, string>, args: readonly string[] = []): Running {
  const child = spawn(process.execPath, [...nodeArgs(script), ...args], { cwd: repoRoot, env: testEnv(env) });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

export async function until(condition: () => boolean, what: string | (() => string), ms = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
