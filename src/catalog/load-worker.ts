/**
 * The worker side of `loadCatalogInWorker`: loads the catalog described by `workerData` and posts
 * it back encoded as one buffer (moved, not copied), or the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeCatalog } from './catalog-codec.js';
import { loadCatalog } from './load-catalog.js';
import type { WorkerReply, WorkerRequest } from './load-in-worker.js';

const request = workerData as WorkerRequest;

async function run(): Promise<WorkerReply> {
  try {
    const warnings: string[] = [];
    const options = { ...request.options, onWarning: (message: string) => void warnings.push(message) };
    return { ok: true, catalog: encodeCatalog(await loadCatalog(request.contentPath, options, request.cwd)), warnings };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const contentPath = (e as { contentPath?: unknown }).contentPath;
    return {
      ok: false,
      name: e.name,
      message: e.message,
      ...(typeof contentPath === 'string' ? { contentPath } : {}),
    };
  }
}

const reply = await run();
// The encoded catalog's memory goes to the parent as it is: a structured clone of the catalog's
// objects would cost the parent's thread several times as long as decoding them (see catalog-codec.ts).
const { buffer, byteOffset, byteLength } = reply.ok ? reply.catalog : new Uint8Array(0);
const owned = reply.ok && byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer;
parentPort?.postMessage(reply, owned ? [buffer] : []);
