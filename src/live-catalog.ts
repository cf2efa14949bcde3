import { mergeReload, type ReloadSummary } from './catalog/reload-catalog.js';
import type { Catalog, Problem } from './catalog/types.js';
import { Linkdex, type LinkdexOptions } from './linkdex.js';

/** Where reloads are reported: pino's logger, or the console's stderr. */
export interface ReloadLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** How the last reload ended, for health checks. */
export interface ReloadState {
  ok: boolean;
  at: Date;
  /** Why it failed: `timed out after 65 s`, or the error's message. */
  reason?: string;
}

export interface LiveCatalogOptions {
  /**
   * A reload still running after this long is stopped (its `signal` aborted) and the catalog
   * loaded before is kept; the next change starts a new one. None by default.
   */
  timeoutMs?: number;
  /** How the first Linkdex gets its index: restored from a snapshot, or one built already. */
  initialIndex?: LinkdexOptions;
}

export class ReloadTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${Math.round(ms / 100) / 10} s`);
    this.name = 'ReloadTimeout';
  }
}

/**
 * The catalog being served, swapped whole on reload: an answer in flight keeps the Linkdex it
 * started with, the next one gets the new one. Reloads never overlap; a change during a reload
 * triggers one more when it ends. A reload has a deadline (`timeoutMs`), and `close()` stops the
 * one under way, so neither a hostile file nor a hung disk can keep a reload, or the process, going.
 */
export class LiveCatalog {
  private linkdex: Linkdex;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private controller: AbortController | undefined;
  private state: ReloadState | undefined;

  constructor(
    initial: Catalog,
    private readonly load: (signal: AbortSignal) => Promise<Catalog>,
    private readonly logger: ReloadLog,
    private readonly onReloaded: (summary: ReloadSummary, catalog: Catalog) => void = () => undefined,
    private readonly onFailed: (error: unknown) => void = () => undefined,
    private readonly options: LiveCatalogOptions = {},
  ) {
    this.linkdex = new Linkdex(initial, undefined, options.initialIndex);
  }

  get current(): Linkdex {
    return this.linkdex;
  }

  /** How the last reload ended; undefined before the first. */
  get lastReload(): ReloadState | undefined {
    return this.state;
  }

  /** Reloads now, or after the reload under way; resolves when the catalog is current. */
  reload(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  /** Stops the reload under way (its worker with it) and any to come; what is served stays. */
  close(): void {
    this.closed = true;
    this.controller?.abort(new Error('the catalog is closing'));
  }

  private async run(): Promise<void> {
    const started = performance.now();
    const previous = this.linkdex.catalog;
    const controller = new AbortController();
    this.controller = controller;
    const { timeoutMs } = this.options;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new ReloadTimeout(timeoutMs)), timeoutMs);
    let next: Catalog;
    try {
      // The load may not heed the signal: the deadline holds anyway.
      next = await new Promise<Catalog>((resolve, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        this.load(controller.signal).then(resolve, reject);
      });
    } catch (error) {
      if (this.closed) return;
      const timedOut = error instanceof ReloadTimeout;
      this.state = { ok: false, at: new Date(), reason: timedOut ? error.message : (error as Error).message };
      this.logger.error(
        timedOut ? { ms: error.ms } : { err: error },
        `reload ${timedOut ? error.message : 'failed'}; still serving the ${previous.entries.length} links loaded before`,
      );
      this.onFailed(error);
      return;
    } finally {
      clearTimeout(timer);
      this.controller = undefined;
    }
    const { catalog, summary } = mergeReload(previous, next);
    this.linkdex = new Linkdex(catalog);
    this.state = { ok: true, at: new Date() };
    const fresh = newErrors(previous.problems, catalog.problems);
    for (const p of fresh)
      this.logger.warn({ file: p.file, line: p.line, code: p.code }, `${p.file}:${p.line} ${p.severity} ${p.code} ${p.message}`);
    this.logger.info(
      { ...summary, links: catalog.entries.length, ms: Math.round(performance.now() - started) },
      `reloaded: ${summary.added} added, ${summary.removed} removed, ${summary.changed} changed, ${catalog.entries.length} links, in ${Math.round(performance.now() - started)} ms`,
    );
    this.onReloaded(summary, catalog);
  }
}

/** Errors and warnings that were not there before: what the editor just introduced. */
function newErrors(before: readonly Problem[], after: readonly Problem[]): Problem[] {
  const key = (p: Problem) => `${p.file}\n${p.line}\n${p.code}\n${p.message}`;
  const known = new Set(before.map(key));
  return after.filter((p) => p.severity !== 'info' && !known.has(key(p)));
}
