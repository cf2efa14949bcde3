import { mergeReload, type ReloadSummary } from './catalog/reload-catalog.js';
import type { Catalog, Problem } from './catalog/types.js';
import { Linkdex } from './linkdex.js';

/** Where reloads are reported: pino's logger, or the console's stderr. */
export interface ReloadLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The catalog being served, swapped whole on reload: an answer in flight keeps the Linkdex it
 * started with, the next one gets the new one. Reloads never overlap; a change during a reload
 * triggers one more when it ends.
 */
export class LiveCatalog {
  private linkdex: Linkdex;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    initial: Catalog,
    private readonly load: () => Promise<Catalog>,
    private readonly logger: ReloadLog,
    private readonly onReloaded: (summary: ReloadSummary, catalog: Catalog) => void = () => undefined,
    private readonly onFailed: () => void = () => undefined,
  ) {
    this.linkdex = new Linkdex(initial);
  }

  get current(): Linkdex {
    return this.linkdex;
  }

  /** Reloads now, or after the reload under way; resolves when the catalog is current. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const started = performance.now();
    const previous = this.linkdex.catalog;
    let next: Catalog;
    try {
      next = await this.load();
    } catch (error) {
      this.logger.error({ err: error }, `reload failed; still serving the ${previous.entries.length} links loaded before`);
      this.onFailed();
      return;
    }
    const { catalog, summary } = mergeReload(previous, next);
    this.linkdex = new Linkdex(catalog);
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
