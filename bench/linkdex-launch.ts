/**
 * How the benchmark starts linkdex: compiled, as production runs it (`node dist/src/main.js`), and
 * the fallback through tsx when the compiled build cannot start. The build step and the launch
 * command live here only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface LinkdexLaunch {
  /** Arguments to `node` for the compiled bot: production's `npm start`. */
  compiled: string[];
  /** Arguments to `node` for the TypeScript sources through tsx (absolute, so any working directory will do). */
  tsx: string[];
  /** How dist/ was made, for the report. */
  build: string;
  /** Removes what the build made, when the benchmark made it with its own interim command. */
  cleanup: () => void;
}

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.slice(0, 3).join(' ')} … failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * Builds dist/: with `npm run build` once package.json has it; until then with the same esbuild
 * transpile the build is to be (every .ts of src/, no bundling, layout mirrored),
 * and that dist/ is removed again at the end.
 */
export function buildLinkdex(): LinkdexLaunch {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const compiled = [path.join(repoRoot, 'dist', 'src', 'main.js')];
  const tsx = ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'src', 'main.ts')];
  if (pkg.scripts?.['build']) {
    run('npm', ['run', '--silent', 'build']);
    return { compiled, tsx, build: 'npm run build', cleanup: () => undefined };
  }
  const distExisted = existsSync(path.join(repoRoot, 'dist'));
  const esbuild = path.join(repoRoot, 'node_modules', '.bin', 'esbuild');
  const flags = ['--outdir=dist', '--outbase=.', '--format=esm', '--platform=node', '--target=node20', '--log-level=warning'];
  run(esbuild, [...tsFiles('src'), ...flags]);
  return {
    compiled,
    tsx,
    build: `esbuild src/**/*.ts ${flags.slice(0, -1).join(' ')} (no npm run build yet)`,
    cleanup: () => {
      if (!distExisted) rmSync(path.join(repoRoot, 'dist'), { recursive: true, force: true });
    },
  };
}
