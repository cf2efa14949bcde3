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
 * A worker thread running a module of this folder, named as in the sources (`./parse-worker.ts`).
 * Compiled, the worker runs the `.js` beside this file on plain node (tsx is not installed in
 * production). From the sources, a worker inherits no loader hooks from its parent, and Node 20
 * does not apply `--import` in a worker's execArgv before its entry module, so a small plain-JS
 * entry registers tsx's ESM hooks (by absolute URL, so the working directory does not matter) and
 * then imports the module.
 */
export function startTsWorker(moduleName: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (compiled) return new Worker(new URL(runtimeFile(moduleName), import.meta.url), { execArgv: [], ...options });
  tsxApiMemo ??= pathToFileURL(tsxEsmApiPath()).href;
  const entry = new URL(moduleName, import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApiMemo)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { execArgv: [], ...options, eval: true });
}
