import { decodeCatalog } from './catalog-codec.js';
import { ContentPathError } from './read-files.js';
import { startTsWorker } from './ts-worker.js';
import type { Catalog, LoadOptions } from './types.js';

/** What crosses to the worker: only what structured clone carries (no callbacks). */
export interface WorkerRequest {
  contentPath: string;
  options: Omit<LoadOptions, 'onChunkParsed' | 'onWarning'>;
  cwd: string;
}

/** Why a load in a worker was stopped: `signal`'s reason, or this. */
export class LoadAborted extends Error {
  constructor(message = 'the catalog load was stopped') {
    super(message);
    this.name = 'LoadAborted';
  }
}

/** `catalog`: the catalog as `encodeCatalog` encodes it; `warnings`: what the load said through `onWarning`. */
export type WorkerReply =
  { ok: true; catalog: Uint8Array; warnings: string[] } | { ok: false; name: string; message: string; contentPath?: string };

/**
 * `loadCatalog` in a worker thread: the parse (seconds for a big catalog) runs off the main thread,
 * so a bot that is serving keeps answering while it reloads. The catalog comes back encoded in one
 * buffer and is decoded here (same data; entries shared between `entries` and `categories` stay
 * shared): at 100k entries that holds this thread about 2.5 times less long than a structured clone.
 * Rejects as `loadCatalog` would: a `ContentPathError` for a missing content path.
 */
export function loadCatalogInWorker(
  contentPath: string,
  options: LoadOptions & { signal?: AbortSignal } = {},
  cwd = process.cwd(),
): Promise<Catalog> {
  // A callback or a signal cannot cross to the worker.
  const { onChunkParsed, onWarning, signal, ...cloneable } = options;
  void onChunkParsed;
  const request: WorkerRequest = { contentPath, options: cloneable, cwd };
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<Catalog>((resolve, reject) => {
    let settled = false;
    const worker = startTsWorker('./load-worker.ts', { workerData: request });
    // Stopping the worker stops the parser it started too, whatever it was doing.
    const onAbort = () => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('exit', () => signal?.removeEventListener('abort', onAbort));
    worker.once('message', (reply: WorkerReply) => {
      if (settled) return;
      settled = true;
      if (reply.ok) {
        for (const warning of reply.warnings) (onWarning ?? ((m: string) => process.emitWarning(m, 'LinkdexWarning')))(warning);
        try {
          resolve(decodeCatalog(reply.catalog));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      } else if (reply.name === 'ContentPathError' && reply.contentPath !== undefined) {
        const error = new ContentPathError(reply.contentPath, '');
        error.message = reply.message;
        reject(error);
      } else {
        const error = new Error(reply.message);
        error.name = reply.name;
        reject(error);
      }
    });
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`catalog worker exited with code ${code} before answering`));
    });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new LoadAborted();
}
