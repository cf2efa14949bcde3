/**
 * vitest's globalSetup: compiles the sources to dist/ before any test file runs, so the tests that
 * spawn the bot as users run it (`node dist/src/main.js`) never run a stale build. The build
 * script does nothing when dist/ is already built from these very sources.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const build = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status}):\n${build.stdout}${build.stderr}`);
}
