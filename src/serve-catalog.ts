import { access } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CatalogGate } from './catalog-gate.js';
import { loadCatalogWithExtras } from './catalog/load-catalog.js';
import { loadCatalogInWorker } from './catalog/load-in-worker.js';
import type { Catalog } from './catalog/types.js';
import { watchContent } from './catalog/watch-content.js';
import type { Config } from './config.js';
import type { LinkdexOptions } from './linkdex.js';
import { LiveCatalog, ReloadTimeout, type ReloadLog } from './live-catalog.js';
import { SearchIndex, SNAPSHOT_VERSION } from './search/search-index.js';
import type { BotMetrics } from './observability/metrics.js';
import { plural } from './text.js';

/**
 * The catalog side of a start: loading, indexing, reloading. The bot imports this module only
 * once it has started connecting, because it brings the search code (fuse.js) and, on a cold
 * cache, the markdown stack with it.
 */

export function loadOptions(config: Config) {
  // Parsed files are cached under .cache/ in the working directory; a restart with unchanged content skips the parse.
  return {
    includeDrafts: config.includeDrafts,
    cacheDir: path.join(process.cwd(), '.cache'),
    budget: { timeoutMs: config.parseTimeoutMs, memoryMb: config.parseMemoryMb },
  };
}

/**
 * Reloads the catalog when CONTENT_DIR changes, parsing in a worker so answers are not held up.
 * Parsing stops at RELOAD_TIMEOUT_SECONDS (files left keep their previous version); a reload still
 * running 5 s later is stopped whole. `close()` stops the watcher and the reload under way.
 */
export function watchAndReload(
  config: Config,
  catalog: Catalog,
  logger: ReloadLog,
  metrics?: BotMetrics,
  initialIndex?: LinkdexOptions,
): { live: LiveCatalog; close(): void } {
  // The load at start is the first reload: until the content changes, it is the last one.
  metrics?.recordReload(true, catalog.loadedAt);
  const live = new LiveCatalog(
    catalog,
    (signal) => loadCatalogInWorker(config.contentDir, { ...loadOptions(config), deadlineMs: config.reloadTimeoutMs, signal }),
    logger,
    (_, next) => {
      metrics?.recordCatalog(next.entries.length);
      metrics?.recordReload(true, new Date());
    },
    (error) => metrics?.recordReload(false, new Date(), error instanceof ReloadTimeout ? 'timeout' : 'error'),
    { timeoutMs: config.reloadTimeoutMs + 5000, ...(initialIndex ? { initialIndex } : {}) },
  );
  const watcher = watchContent(
    config.contentDir,
    () => void live.reload(),
    (error) => logger.error({ err: error }, `cannot watch ${config.contentDir}; the catalog is reloaded when it is back`),
  );
  return {
    live,
    close: () => {
      watcher.close();
      live.close();
    },
  };
}

/** LINKDEX_TEST_HOLD_LOAD: tests hold the first load until they have sent what must find it loading. */
async function heldUntilExists(file: string, closed: () => boolean): Promise<void> {
  while (!closed()) {
    try {
      await access(file);
      return;
    } catch {
      await sleep(20);
    }
  }
}

/** Why a loaded catalog cannot be served: every file was skipped, so there is nothing to answer from. */
function unusable(catalog: Catalog): Error | undefined {
  if (catalog.entries.length > 0) return undefined;
  const errors = catalog.problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  if (!first) return undefined;
  return new Error(`no links loaded: ${plural(errors.length, 'error')}, the first ${first.file}:${first.line} ${first.message}`);
}

export interface ServingCatalog {
  /** Resolves when the first load has ended, served or failed. */
  loaded: Promise<void>;
  /** Stops reloading; a first load still under way is not served when it ends. */
  close(): void;
}

/**
 * Loads the catalog and opens `gate` with it, reloading it as the content changes; or fails the
 * gate, with an error logged, when the load fails or finds no links but errors. The index is
 * built once `indexAfter` settles (the gateway is ready). Logs
 * `serving N links, loaded in X ms` when it is served. Between reading, indexing and serving
 * it yields to the event loop, so the gateway's heartbeat and the answers waiting get their turn.
 */
export function serveCatalog(
  config: Config,
  gate: CatalogGate,
  logger: ReloadLog,
  metrics?: Promise<BotMetrics | undefined>,
  indexAfter?: Promise<unknown>,
): ServingCatalog {
  let closed = false;
  let stop: () => void = () => undefined;
  const loaded = (async () => {
    if (config.testHoldLoadFile) await heldUntilExists(config.testHoldLoadFile, () => closed);
    const started = performance.now();
    // Indexing holds the event loop longest (a second for 7,000 links on a busy machine): it waits
    // for the connection, whose handshake would otherwise wait for it. A timer, not setImmediate:
    // the gateway's heartbeat timer and waiting sockets both get their turn.
    const untilIndexing = async () => {
      await sleep(0);
      await indexAfter;
    };
    let builtMs = 0;
    // Built by this load when the snapshot had no index for the catalog: served as it is, not restored from its own snapshot.
    let builtIndex: SearchIndex | undefined;
    let catalog: Catalog;
    let indexSnapshot: unknown;
    try {
      // The search index is kept in the catalog snapshot: a warm restart restores it instead of building it.
      const loaded = await loadCatalogWithExtras(config.contentDir, {
        ...loadOptions(config),
        onWarning: (message) => logger.warn({}, message),
        snapshotExtras: {
          version: `search-index-${SNAPSHOT_VERSION}`,
          build: async (built) => {
            await untilIndexing();
            const t = performance.now();
            builtIndex = new SearchIndex(built);
            builtMs = performance.now() - t;
            return builtIndex.snapshot();
          },
        },
      });
      catalog = loaded.catalog;
      indexSnapshot = loaded.extras;
    } catch (error) {
      if (closed) return;
      logger.error({ err: error }, `cannot load the catalog: ${(error as Error).message}; every interaction is told so until a restart`);
      gate.fail(error as Error);
      return;
    }
    const problem = unusable(catalog);
    if (problem) {
      logger.error({ links: 0 }, `cannot serve the catalog: ${problem.message}; every interaction is told so until a restart`);
      gate.fail(problem);
      return;
    }
    const loadedMs = performance.now() - started - builtMs;
    await untilIndexing();
    const recorder = await metrics;
    if (closed) return;
    // Building (or restoring) the search index is the longest step that holds the event loop: it is measured apart.
    const indexing = performance.now();
    const serving = watchAndReload(config, catalog, logger, recorder, builtIndex ? { index: builtIndex } : { indexSnapshot });
    const indexMs = Math.round(builtMs + performance.now() - indexing);
    stop = serving.close;
    recorder?.recordCatalog(catalog.entries.length);
    gate.open(serving.live);
    const ms = Math.round(performance.now() - started);
    logger.info(
      {
        links: catalog.entries.length,
        categories: catalog.categories.length,
        ms,
        loadMs: Math.round(loadedMs),
        indexMs,
        index: builtIndex ? 'built' : 'snapshot',
      },
      `serving ${plural(catalog.entries.length, 'link')}, loaded in ${ms} ms`,
    );
  })();
  return {
    loaded,
    close: () => {
      closed = true;
      stop();
    },
  };
}
