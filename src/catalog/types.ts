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
