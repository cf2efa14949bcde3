/**
 * Where linkdex's own files are, whether this code runs as TypeScript (`src/`, in the tests and
 * `npm run dev`) or compiled (`dist/src/`, as `npm start` runs it): the two sit at different
 * depths below the package, so paths are found from the package root, not from this file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when running the compiled JavaScript in `dist/`, false when running the TypeScript sources. */
export const compiled: boolean = import.meta.url.endsWith('.js');

/** A module of `src/` as it is named where this code runs: `main.ts` in the sources, `main.js` compiled. */
export function runtimeFile(sourceName: string): string {
  return compiled ? sourceName.replace(/\.ts$/, '.js') : sourceName;
}

function nameAt(dir: string): unknown {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined; // no package.json here (or not one we can read): keep climbing
  }
}

let rootMemo: string | undefined;

/** The folder of the package.json named linkdex above this module: the repository, or where it is installed. */
export function packageRoot(): string {
  if (rootMemo !== undefined) return rootMemo;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (nameAt(dir) === 'linkdex') return (rootMemo = dir);
    if (path.dirname(dir) === dir) throw new Error(`no package.json named linkdex above ${start}`);
  }
}
