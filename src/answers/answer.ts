import type { Entry } from '../catalog/types.js';

/**
 * What the bot says, as plain data. Commands build answers; the console, the command line and
 * the Discord adapter only render them.
 */
export type Answer = LinksAnswer | LinkAnswer | CategoriesAnswer | NoticeAnswer | HelpAnswer;

export interface LinkGroup {
  category: string;
  entries: Entry[];
}

export interface Paging {
  page: number;
  pageCount: number;
  total: number;
  /** Which page buttons to offer: previous/next only, or first and last too (the default). */
  navigation?: 'previous-next' | 'first-last';
}

export interface LinksAnswer extends Paging {
  kind: 'links';
  title: string;
  /** A line under the title: a category's page, a hint. */
  subtitle?: string;
  /** Links of this page, grouped by category, groups in the order of their best link. */
  groups: LinkGroup[];
  /** What the count counts, for the footer: "result", "link". */
  noun: string;
}

export interface LinkAnswer {
  kind: 'link';
  title: string;
  entry: Entry;
  /** Offer "another one": the answer is a random pick that can be drawn again. */
  another?: boolean;
}

export interface CategorySummary {
  name: string;
  count: number;
  pages: string[];
}

export interface CategoriesAnswer extends Paging {
  kind: 'categories';
  title: string;
  items: CategorySummary[];
}

export interface NoticeAnswer {
  kind: 'notice';
  tone: 'info' | 'error';
  title: string;
  message: string;
  /** "Did you mean" candidates. */
  suggestions: string[];
}

export interface HelpAnswer {
  kind: 'help';
  title: string;
  about: string;
  commands: { usage: string; description: string }[];
  entryCount: number;
  categoryCount: number;
  loadedAt: Date;
}
