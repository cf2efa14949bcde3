import type { Linkdex } from './linkdex.js';

/** Where the first catalog load is: under way, served, or given up on. */
export type CatalogState = 'loading' | 'ready' | 'failed';

/** What answering needs to know about a catalog that may not be loaded yet. */
export interface CatalogReadiness {
  readonly state: CatalogState;
  /** Settles once with the first load: resolves when the catalog is served, rejects with why it is not. */
  readonly ready: Promise<void>;
}

/** The catalog being served, once there is one: a LiveCatalog, whose `current` changes on reload. */
export interface CatalogSource {
  readonly current: Linkdex;
  /** How the last reload ended, for health checks; undefined before the first. */
  readonly lastReload?: { ok: boolean; at: Date; reason?: string } | undefined;
}

export class CatalogNotReady extends Error {
  constructor() {
    super('the catalog is not loaded yet');
    this.name = 'CatalogNotReady';
  }
}

/**
 * The catalog of a bot that connects before it has loaded one. It starts `loading`; the start-up
 * `open`s it with the live catalog, or `fail`s it with why there is none. Answering code asks
 * `state` first and waits on `ready` while loading; `linkdex()` throws before it is open. This
 * module imports nothing at run time, so the serving code can hold it before the search code and
 * the markdown stack are loaded.
 */
export class CatalogGate implements CatalogReadiness {
  #state: CatalogState = 'loading';
  #source: CatalogSource | undefined;
  #failure: Error | undefined;
  readonly #startedAt = performance.now();
  readonly ready: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: Error) => void;

  constructor() {
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nobody need be waiting when the load fails: that is not an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  get state(): CatalogState {
    return this.#state;
  }

  /** Why the first load failed, once it has. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** The live catalog once open, for health checks; undefined before. */
  get source(): CatalogSource | undefined {
    return this.#source;
  }

  /** Milliseconds since the gate was made: how long the catalog has been loading. */
  elapsedMs(): number {
    return performance.now() - this.#startedAt;
  }

  /** The catalog answers read: an arrow, so it can be passed as `linkdex` as it is. */
  readonly linkdex = (): Linkdex => {
    if (!this.#source) throw new CatalogNotReady();
    return this.#source.current;
  };

  open(source: CatalogSource): void {
    if (this.#state !== 'loading') return;
    this.#source = source;
    this.#state = 'ready';
    this.#resolve();
  }

  fail(error: Error): void {
    if (this.#state !== 'loading') return;
    this.#failure = error;
    this.#state = 'failed';
    this.#reject(error);
  }
}
