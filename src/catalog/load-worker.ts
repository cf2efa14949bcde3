/**
 * The worker side of `loadCatalogInWorker`: loads the catalog described by `workerData` and posts
 * it back (plain data, structured-cloned), or the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalog } from './load-catalog.js';
import type { WorkerReply, WorkerRequest } from './load-in-worker.js';

const request = workerData as WorkerRequest;

async function run(): Promise<WorkerReply> {
  try {
    return { ok: true, catalog: await loadCatalog(request.contentPath, request.options, request.cwd) };
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

parentPort?.postMessage(await run());
