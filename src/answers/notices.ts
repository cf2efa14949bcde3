import type { Category } from '../catalog/types.js';
import type { CategoryMiss } from '../search/resolve-category.js';
import { quote, truncate } from '../text.js';
import type { NoticeAnswer } from './answer.js';

/** Room for the list of categories in a message (Discord shows 1,000 characters of it). */
const CATEGORY_LIST_CHARS = 800;

/** Category names joined until they fill `max` characters, then how many more there are. */
function categoryList(categories: readonly Category[], max = CATEGORY_LIST_CHARS): string {
  const names: string[] = [];
  let length = 0;
  for (const [i, category] of categories.entries()) {
    const name = truncate(category.name, 60);
    const rest = categories.length - i - 1;
    // Keep room for "and N more" unless this is the last name.
    if (length + name.length + 3 > max - (rest > 0 ? 40 : 0)) {
      return `${names.join(' · ')} and ${categories.length - i} more (/category all lists them)`;
    }
    names.push(name);
    length += name.length + 3;
  }
  return names.join(' · ');
}

/**
 * A category name that found none: the names it could mean when it is ambiguous (`dist`) or
 * misspelled, and every category when nothing is close (`nope`): a wrong guess is worse than none.
 */
export function unknownCategory(name: string, miss: CategoryMiss, categories: readonly Category[]): NoticeAnswer {
  if (miss.reason === 'ambiguous') {
    return {
      kind: 'notice',
      code: 'ambiguous-category',
      tone: 'error',
      title: 'Ambiguous category',
      message: `${quote(name)} matches more than one category; type more of the name.`,
      suggestions: miss.suggestions,
    };
  }
  if (miss.reason === 'misspelled') {
    return {
      kind: 'notice',
      code: 'unknown-category',
      tone: 'error',
      title: 'Unknown category',
      message: `No category matches ${quote(name)}.`,
      suggestions: miss.suggestions,
    };
  }
  const list = categories.length === 0 ? 'There are no categories yet.' : `The categories are: ${categoryList(categories)}.`;
  return {
    kind: 'notice',
    code: 'unknown-category',
    tone: 'error',
    title: 'Unknown category',
    message: `No such category ${quote(name)}. ${list}`,
    suggestions: [],
  };
}

/** A search for nothing: what to type instead. */
export function emptySearch(): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'empty-search',
    tone: 'error',
    title: 'Empty search',
    message: 'Type a word to search for, such as “kafka”.',
    suggestions: [],
  };
}

/** A search that found nothing: the query as searched, where (` in Rust`, or empty), and the words it may have meant. */
export function noResults(query: string, scope: string, suggestions: string[]): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'no-results',
    tone: 'info',
    title: 'No results',
    message: `Nothing matches ${quote(query)}${scope}.`,
    suggestions,
  };
}

export function emptyCatalog(): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'empty-catalog',
    tone: 'info',
    title: 'No links yet',
    message: 'The catalog has no links yet.',
    suggestions: [],
  };
}

/** Autocomplete's one suggestion while the catalog loads; picking it sends what was typed, answered once it is ready. */
export const LOADING_CHOICE_NAME = 'Loading the catalog… pick this to get your answer as soon as it is ready';

/** Autocomplete's one suggestion when the catalog could not be loaded; picking it shows the notice below. */
export const UNAVAILABLE_CHOICE_NAME = 'The catalog could not be loaded; try again later';

/** A command or button after the first catalog load failed: what a member can do, and that someone must act. */
export function catalogUnavailable(): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'catalog-unavailable',
    tone: 'error',
    title: 'The links are not available',
    message: 'linkdex could not load its catalog, so it cannot answer for now. Whoever runs it can see why in its log. Try again later.',
    suggestions: [],
  };
}

/** A command or button still waiting when the catalog has not loaded within the time its answer can wait. */
export function catalogStillLoading(): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'catalog-loading',
    tone: 'info',
    title: 'Still loading',
    message: 'linkdex is still loading its catalog; this is taking longer than it should. Try again in a minute.',
    suggestions: [],
  };
}

/** A member who ran more slash commands than the cooldown allows. */
export function slowDown(retryAfterMs: number): NoticeAnswer {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return { kind: 'notice', code: 'cooldown', tone: 'info', title: 'Slow down', message: `Try again in ${seconds} s.`, suggestions: [] };
}

/** A button this bot cannot answer any more: an older message, or an older version of the bot. */
export function unknownButton(): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'stale-button',
    tone: 'error',
    title: 'This button no longer works',
    message: 'It comes from an older message or version of the bot. Run the command again for a fresh answer.',
    suggestions: [],
  };
}

/** A command Discord still shows that this bot no longer has. */
export function unknownCommand(name: string): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'unknown-command',
    tone: 'error',
    title: 'Unknown command',
    message: `/${name} is not a command of this bot any more.`,
    suggestions: [],
  };
}

/** A handler that failed: the member learns only that, the log learns why. */
export function somethingWentWrongNotice(): NoticeAnswer {
  return {
    kind: 'notice',
    code: 'handler-failed',
    tone: 'error',
    title: 'Something went wrong',
    message: 'Something went wrong while answering. Please try again in a moment.',
    suggestions: [],
  };
}
