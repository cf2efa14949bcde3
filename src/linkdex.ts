import type { Catalog, Category, Entry } from './catalog/types.js';
import { pickDaily } from './pick/daily.js';
import { cryptoRandomIndex, pickRandom, type RandomIndex } from './pick/random.js';
import { CategoryResolver, type CategoryMatch, type CategoryMiss } from './search/resolve-category.js';
import { SearchIndex, type SearchResult } from './search/search-index.js';

export interface ScopeOptions {
  /** A category name as a member typed it; resolved fuzzily. */
  category?: string;
}

export interface LinkdexOptions {
  /** What `index.snapshot()` gave for this catalog earlier (opaque): the index is restored from it, not built. */
  indexSnapshot?: unknown;
  /** An index already built for this very catalog (the one its snapshot was taken from): used as it is. */
  index?: SearchIndex;
}

export type Scoped<T> = { ok: true; value: T; category?: Category } | ({ ok: false; unknownCategory: string } & CategoryMiss);

/**
 * A loaded catalog with everything built from it once: the search index, the category resolver,
 * the id lookup. Answers read from it and never change it; a reload builds a new one.
 */
export class Linkdex {
  readonly index: SearchIndex;
  readonly categories: CategoryResolver;
  private readonly byId: Map<string, Entry>;

  constructor(
    readonly catalog: Catalog,
    private readonly randomIndex: RandomIndex = cryptoRandomIndex,
    options: LinkdexOptions = {},
  ) {
    // A snapshot of another catalog or version is ignored, and the index built anew.
    const built = options.index?.catalog === catalog ? options.index : undefined;
    const restored = built ?? (options.indexSnapshot === undefined ? undefined : SearchIndex.fromSnapshot(catalog, options.indexSnapshot));
    this.index = restored ?? new SearchIndex(catalog);
    this.categories = new CategoryResolver(catalog);
    this.byId = new Map(catalog.entries.map((e) => [e.id, e]));
  }

  entry(id: string): Entry | undefined {
    return this.byId.get(id);
  }

  resolveCategory(name: string): CategoryMatch {
    return this.categories.resolve(name);
  }

  private scoped<T>(options: ScopeOptions, run: (category: Category | undefined) => T): Scoped<T> {
    if (options.category === undefined || options.category.trim() === '') return { ok: true, value: run(undefined) };
    const match = this.categories.resolve(options.category);
    if (!match.found) return { ok: false, unknownCategory: options.category, reason: match.reason, suggestions: match.suggestions };
    return { ok: true, value: run(match.category), category: match.category };
  }

  search(query: string, options: ScopeOptions & { limit?: number } = {}): Scoped<SearchResult> {
    return this.scoped(options, (category) =>
      this.index.search(query, {
        ...(category ? { category: category.name } : {}),
        ...(options.limit !== undefined ? { limit: options.limit } : {}),
      }),
    );
  }

  random(options: ScopeOptions = {}): Scoped<Entry | undefined> {
    return this.scoped(options, (category) => pickRandom(category?.entries ?? this.catalog.entries, this.randomIndex));
  }

  daily(date: Date, options: ScopeOptions = {}): Scoped<Entry | undefined> {
    return this.scoped(options, (category) => this.dailyIn(date, category));
  }

  /** The link of the day of a category already resolved, or of the whole catalog. */
  dailyIn(date: Date, category: Category | undefined): Entry | undefined {
    return pickDaily(category?.entries ?? this.catalog.entries, date, category ? `category:${category.name}` : 'catalog');
  }
}
