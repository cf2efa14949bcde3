import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LoadOptions } from './load-catalog.js';
import { ContentPathError } from './read-files.js';
import type { Catalog } from './types.js';

/** What crosses to the worker: only what structured clone carries (no callbacks). */
export interface WorkerRequest {
  contentPath: string;
  options: Omit<LoadOptions, 'onChunkParsed'>;
  cwd: string;
}

export type WorkerReply = { ok: true; catalog: Catalog } | { ok: false; name: string; message: string; contentPath?: string };

/** tsx's ESM API module (its `import` export; `require.resolve` would give the CommonJS one). */
function tsxEsmApiPath(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> };
  const api = pkg.exports?.['./esm/api'];
  const relative = typeof api === 'object' ? api.import?.default : undefined;
  return path.join(path.dirname(manifest), relative ?? 'dist/esm/api/index.mjs');
}

/**
 * What the worker runs first: tsx's ESM hooks (by absolute URL, so the working directory does not
 * matter), then `load-worker.ts`. A worker inherits no loader hooks from its parent, and Node 20
 * does not apply `--import` in a worker's execArgv before its entry module, so a small plain-JS
 * entry registers tsx and then imports the TypeScript module.
 */
function bootstrap(): string {
  const tsxApi = pathToFileURL(tsxEsmApiPath()).href;
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * `loadCatalog` in a worker thread: the parse (seconds for a big catalog) runs off the main thread,
 * so a bot that is serving keeps answering while it reloads. The catalog comes back as a
 * structured clone (same data; entries shared between `entries` and `categories` stay shared).
 * Rejects as `loadCatalog` would: a `ContentPathError` for a missing content path.
 */
export function loadCatalogInWorker(contentPath: string, options: LoadOptions = {}, cwd = process.cwd()): Promise<Catalog> {
  // A callback cannot cross to the worker.
  const cloneable: LoadOptions = { ...options };
  delete cloneable.onChunkParsed;
  const request: WorkerRequest = { contentPath, options: cloneable, cwd };
  return new Promise<Catalog>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(bootstrap(), { eval: true, workerData: request, execArgv: [] });
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.catalog);
      else if (reply.name === 'ContentPathError' && reply.contentPath !== undefined) {
        const error = new ContentPathError(reply.contentPath, '');
        error.message = reply.message;
        reject(error);
      } else {
        const error = new Error(reply.message);
        error.name = reply.name;
        reject(error);
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`catalog worker exited with code ${code} before answering`));
    });
  });
}
