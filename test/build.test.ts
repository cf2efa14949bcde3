/**
 * The build and the bin around it, where a production install meets them: without esbuild (after
 * `npm prune --omit=dev`, or in `npm ci --omit=dev`), a dist/ built from the same sources is kept
 * and a stale or missing one is refused, naming the fix; without dist/, `linkdex` says how to build.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder laid out like the package, holding copies of these repository files and no node_modules. */
function packageCopy(files: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-build-'));
  made.push(dir);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(repoRoot, file), path.join(dir, file));
  }
  return dir;
}

const run = (cwd: string, args: string[]) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 20_000 });

const FIX =
  'esbuild is not installed: build with the dev dependencies (npm ci), then remove them (npm prune --omit=dev); see README.md, "Running in production"\n';

describe('npm run build (scripts/build.mjs)', () => {
  it('compiles src/ to dist/ in the same layout, with source maps (vitest’s globalSetup ran it)', () => {
    expect(readFileSync(path.join(repoRoot, 'dist/src/main.js'), 'utf8')).toContain('//# sourceMappingURL=main.js.map');
    expect(existsSync(path.join(repoRoot, 'dist/src/cli/main.js'))).toBe(true);
    expect(existsSync(path.join(repoRoot, 'dist/src/commands/search.js'))).toBe(true);
    expect(existsSync(path.join(repoRoot, 'dist/src/main.ts'))).toBe(false);
  });

  it('without esbuild: keeps a dist/ built from these sources, refuses it once a source changed, and a missing one', () => {
    const dir = packageCopy(['scripts/build.mjs', 'tsconfig.json', 'src/text.ts', 'src/commands/help.ts']);
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
    const built = run(dir, ['scripts/build.mjs']);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/^built dist\/ from 2 files in \d+ ms\n$/);
    expect(run(dir, ['scripts/build.mjs']).stdout).toBe('dist/ is up to date\n');

    rmSync(path.join(dir, 'node_modules')); // as npm prune --omit=dev leaves it: no esbuild
    const kept = run(dir, ['scripts/build.mjs']);
    expect([kept.status, kept.stdout]).toEqual([0, 'dist/ is up to date with the sources (esbuild is not installed, nothing to build)\n']);

    appendFileSync(path.join(dir, 'src/text.ts'), '\nexport const edited = true;\n');
    const stale = run(dir, ['scripts/build.mjs']);
    expect([stale.status, stale.stderr]).toEqual([1, `linkdex build: dist/ is out of date with the sources and ${FIX}`]);
    expect(existsSync(path.join(dir, 'dist/src/text.js'))).toBe(true); // left as it was, for the install to fail

    rmSync(path.join(dir, 'dist'), { recursive: true });
    const missing = run(dir, ['scripts/build.mjs']);
    expect([missing.status, missing.stderr]).toEqual([1, `linkdex build: dist/ is missing and ${FIX}`]);
  });
});

describe('bin/linkdex.js', () => {
  it('without dist/ says in one line to run npm run build, and exits 1', () => {
    const dir = packageCopy(['bin/linkdex.js']);
    const cli = run(dir, ['bin/linkdex.js', 'search', 'kafka']);
    expect([cli.status, cli.stdout, cli.stderr]).toEqual([1, '', 'linkdex: dist/ is missing (linkdex is not built): run npm run build\n']);
  });
});
