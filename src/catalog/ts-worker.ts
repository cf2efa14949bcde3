import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { compiled, runtimeFile } from '../package-root.js';

/** tsx's ESM API module (its `import` export; `require.resolve` would give the CommonJS one). */
function tsxEsmApiPath(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> };
  const api = pkg.exports?.['./esm/api'];
  const relative = typeof api === 'object' ? api.import?.default : undefined;
  return path.join(path.dirname(manifest), relative ?? 'dist/esm/api/index.mjs');
}

let tsxApiMemo: string | undefined;

/**
 * A worker's young generation, in MB: Node 20's default (3 × 16 MB semi-spaces). Node 24 defaults
 * to 192 MB whatever the old generation's limit, and a young generation twice the size of a 96 MB
 * budget makes V8 abort the whole process when a scavenge cannot promote into the full old
 * generation ("Reached heap limit"), instead of Node ending the worker with ERR_WORKER_OUT_OF_MEMORY.
 */
const YOUNG_GENERATION_MB = 48;

/**
 * A worker thread running a module of this folder, named as in the sources (`./parse-worker.ts`).
 * Compiled, the worker runs the `.js` beside this file on plain node (tsx is not installed in
 * production). From the sources, a worker inherits no loader hooks from its parent, and Node 20
 * does not apply `--import` in a worker's execArgv before its entry module, so a small plain-JS
 * entry registers tsx's ESM hooks (by absolute URL, so the working directory does not matter) and
 * then imports the module.
 */
export function startTsWorker(moduleName: string, workerOptions: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const options = { ...workerOptions, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...workerOptions.resourceLimits } };
  if (compiled) return new Worker(new URL(runtimeFile(moduleName), import.meta.url), { execArgv: [], ...options });
  tsxApiMemo ??= pathToFileURL(tsxEsmApiPath()).href;
  const entry = new URL(moduleName, import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApiMemo)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { execArgv: [], ...options, eval: true });
}
