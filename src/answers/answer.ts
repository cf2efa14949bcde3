import type { Entry } from '../catalog/types.js';

/**
 * What the bot says, as plain data. Commands build answers; the console, the command line and
 * the Discord adapter only render them. Every `switch` on `kind` ends in `unhandled(answer)`, so a
 * new kind does not compile until each transport says how it shows it.
 */
export type Answer = MessageAnswer | ModalAnswer | AckAnswer;

/** An answer that is a message to show: every kind but a form to open and an acknowledgement. */
export type MessageAnswer = LinksAnswer | LinkAnswer | CategoriesAnswer | NoticeAnswer | HelpAnswer;

/** The end of an exhaustive `switch (answer.kind)`: compiles only when every kind has its case. */
export function unhandled(answer: never): never {
  throw new Error(`an answer of kind ${(answer as { kind: string }).kind} is not handled here`);
}

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
  /** What the list is, as data: a search's hits best first, or a category. */
  subject?: SearchSubject | CategorySubject;
}

/**
 * What a search found, as data for output that is data rather than text (`linkdex search --json`):
 * the query as searched, this page's hits best first (groups are ordered by category), and the
 * words it may have meant.
 */
export interface SearchSubject {
  kind: 'search';
  query: string;
  hits: Entry[];
  suggestions: string[];
}

/** The category a list of links is, by its name as the catalog spells it. */
export interface CategorySubject {
  kind: 'category';
  name: string;
}

export interface LinkAnswer {
  kind: 'link';
  title: string;
  entry: Entry;
  /** Offer "another one": the answer is a random pick that can be drawn again. */
  another?: boolean;
  /** The search this link answers, when it is a search's pick (an autocomplete suggestion). */
  subject?: SearchSubject;
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

/**
 * Every kind of notice, by a code that does not change when its words do: metrics, logs and exit
 * codes follow the code (`outcomes.ts`), never the text.
 */
export const NOTICE_CODES = [
  /** A search for nothing. */
  'empty-search',
  /** A search that found nothing. */
  'no-results',
  /** A category name that matches no category (misspelled, or nothing close). */
  'unknown-category',
  /** A category name that fits several categories equally well. */
  'ambiguous-category',
  /** A catalog without a single link. */
  'empty-catalog',
  /** The first load of the catalog failed. */
  'catalog-unavailable',
  /** The catalog is still loading after the time an answer can wait. */
  'catalog-loading',
  /** A member who ran more commands than the cooldown allows. */
  'cooldown',
  /** A command this bot no longer has. */
  'unknown-command',
  /** A button from an older message or version of the bot. */
  'stale-button',
  /** A handler that threw: the member learns only that something went wrong. */
  'handler-failed',
  /** A form (a modal) outside Discord, which the console and the command line cannot open. */
  'needs-discord',
  /** A server's settings, shown or just saved (/settings): an answer, told privately. */
  'settings',
  /** A command that needs a server (/settings) asked in a DM, the console or the command line. */
  'guild-only',
  /** A setting the bot cannot use: a bad time, an unknown time zone, a channel it cannot post in, a bound passed. */
  'invalid-setting',
  /** The database could not be reached: nothing was saved. */
  'storage-unavailable',
] as const;

export type NoticeCode = (typeof NOTICE_CODES)[number];

export interface NoticeAnswer {
  kind: 'notice';
  code: NoticeCode;
  tone: 'info' | 'error';
  title: string;
  message: string;
  /** "Did you mean" candidates. */
  suggestions: string[];
  /** The search that found nothing (or named no category), as data. */
  subject?: SearchSubject;
  /** Channels the message names as `<#id>`: Discord shows them as links to the channel, other transports as written. */
  channels?: string[];
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

/**
 * A form to open (Discord's modal). Its submission goes to the command's `modals[modal]` handler
 * with `target` (what the form is about: a suggestion's id, or empty) and the fields' values.
 */
export interface ModalAnswer {
  kind: 'modal';
  command: string;
  modal: string;
  target: string;
  title: string;
  fields: ModalField[];
}

export interface ModalField {
  id: string;
  label: string;
  style: 'short' | 'paragraph';
  required: boolean;
  /** Prefilled text (an edit form). */
  value?: string;
  placeholder?: string;
  minLength?: number;
  maxLength?: number;
}

/**
 * "Received, working on it": the interaction is acknowledged at once and `followUp`'s answer
 * replaces the acknowledgement when it is ready (work that outlasts Discord's 3 seconds, such as
 * a write to the markdown and its reload).
 */
export interface AckAnswer {
  kind: 'ack';
  /** Whether the acknowledgement and what follows are seen by the caller alone. */
  ephemeral: boolean;
  followUp: () => Promise<Answer>;
}
