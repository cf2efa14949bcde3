import type { LoadOptions } from './load-catalog.js';
import { ContentPathError } from './read-files.js';
import { startTsWorker } from './ts-worker.js';
import type { Catalog } from './types.js';

/** What crosses to the worker: only what structured clone carries (no callbacks). */
export interface WorkerRequest {
  contentPath: string;
  options: Omit<LoadOptions, 'onChunkParsed'>;
  cwd: string;
}

export type WorkerReply = { ok: true; catalog: Catalog } | { ok: false; name: string; message: string; contentPath?: string };

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
    const worker = startTsWorker('./load-worker.ts', { workerData: request });
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
