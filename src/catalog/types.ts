// The catalog's data, and the types the loading modules share: kept here, where every module can
// import them without importing another loading module (no cycle).

/** Where something came from: a path (relative to the working directory, `/`-separated) and a 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

export interface Entry {
  /** Short, URL-safe, unique in the catalog; derived from url and category so it survives restarts. */
  id: string;
  title: string;
  url: string;
  /** Empty when the item has no text besides its link. */
  description: string;
  /** Text of the nearest heading above the entry (the page title when there is none). */
  category: string;
  /** Heading texts from the outermost down to `category`. */
  section: string[];
  /** The page's front-matter title, or its file name. */
  page: string;
  source: SourceRef;
}

/** An entry before the catalog gives it an id. */
export type DraftEntry = Omit<Entry, 'id'>;

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  severity: Severity;
  /** Stable, kebab-case identifier of the kind of problem, for filtering and tests. */
  code: string;
  message: string;
  file: string;
  line: number;
}

export interface Page {
  title: string;
  file: string;
  /** ISO 8601 when the front matter's `date` is a date, else the text as written. */
  date?: string;
  draft: boolean;
  entryCount: number;
}

export interface Category {
  name: string;
  /** Titles of the pages whose headings carry this name, in content order. */
  pages: string[];
  /** In content order. */
  entries: Entry[];
}

export interface Catalog {
  /** In content order: files sorted by path, entries in the order they appear. */
  entries: Entry[];
  /** In content order of their first entry. */
  categories: Category[];
  pages: Page[];
  problems: Problem[];
  loadedAt: Date;
}

/** One file's page, entries and problems, as the parser (or the parse cache) gives them. */
export interface ParsedPage {
  page: Page;
  entries: DraftEntry[];
  problems: Problem[];
}

/** What one file may cost to parse. */
export interface ParseBudget {
  /** Wall-clock time for one file, from the moment the parser gets it. */
  timeoutMs: number;
  /** The parsing thread's heap (V8 old generation), in MB. */
  memoryMb: number;
}

export interface LoadOptions {
  /** Include pages whose front matter says `draft: true`. */
  includeDrafts?: boolean;
  /**
   * Where parsed files are cached (`loadCatalog` only): a folder made when first needed, e.g.
   * `.cache` under the working directory. `false` or absent: no cache.
   */
  cacheDir?: string | false;
  /**
   * Bodies over 1 MB are parsed in chunks of about this many characters (250,000 by default), to
   * bound the heap; a smaller value also chunks smaller bodies (tests). The result does not depend on it.
   */
  chunkChars?: number;
  /**
   * Called after each chunk of markdown is parsed, while its tree is alive: for measuring the heap.
   * Only with `budget: false` (a callback cannot reach the parsing worker).
   */
  onChunkParsed?: () => void;
  /**
   * What each file may cost to parse (see `DEFAULT_PARSE_BUDGET`); files are parsed in a worker
   * thread that is stopped when a file goes over, and that file is reported and skipped. `false`
   * parses on this thread without limits: only for trusted input and for measurements.
   */
  budget?: Partial<ParseBudget> | false;
  /**
   * Stop parsing this many milliseconds after the load starts (a reload's deadline): files not
   * parsed by then are reported as `parse-timeout`, and a reload keeps their previous version.
   */
  deadlineMs?: number;
  /**
   * How a catalog snapshot that cannot be used (damaged, truncated, from another version) is
   * reported before the catalog is built from the content instead. By default, a process warning.
   */
  onWarning?: (message: string) => void;
}
