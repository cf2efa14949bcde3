import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from './helpers.js';

const fixture = path.join(repoRoot, 'test/fixtures/import-rules');

/** `npm run check:imports` (the same program and rules), run on the fixture's `src/`. */
function checkImports(cwd: string): { status: number | null; findings: string[]; output: string } {
  const run = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
      'src',
      '--config',
      path.join(repoRoot, '.dependency-cruiser.mjs'),
    ],
    { cwd, encoding: 'utf8', timeout: 60_000 },
  );
  const output = run.stdout + run.stderr;
  // A cycle is printed over several lines, one module a line.
  const findings = output
    .replace(/ →\s*\n\s*/g, ' → ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(error|warn) /.test(line))
    .sort();
  return { status: run.status, findings, output };
}

test('the import check fails on a cycle and on every forbidden import, and lets the allowed ones through', () => {
  const { status, findings, output } = checkImports(fixture);
  expect(findings, output).toEqual([
    'error catalog-search-not-serving: src/catalog/check.ts → ../../../node_modules/discord.js/src/index.js',
    'error catalog-search-not-serving: src/catalog/check.ts → src/discord/render.ts',
    'error catalog-search-not-serving: src/search/index.ts → src/deploy.ts',
    'error layer-order: src/answers/choices.ts → src/commands/search.ts',
    'error layer-order: src/catalog/check.ts → src/search/words.ts',
    'error neutral-not-discord: src/answers/answer.ts → ../../../node_modules/discord.js/src/index.js',
    'error neutral-not-discord: src/commands/search.ts → src/discord/render.ts',
    'error neutral-not-discord: src/serve/respond.ts → ../../../node_modules/discord.js/src/index.js',
    'error neutral-not-discord: src/serve/respond.ts → src/discord/render.ts',
    // Type-only imports both ways.
    'error no-circular: src/catalog/entry.ts → src/catalog/page.ts → src/catalog/entry.ts',
    'error resolvable: src/cli/usage.ts → ./gone.js',
    'error src-not-tooling: src/cli/run.ts → test/helper.ts',
  ]);
  expect(status).not.toBe(0);
});
