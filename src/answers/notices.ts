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
      tone: 'error',
      title: 'Ambiguous category',
      message: `${quote(name)} matches more than one category; type more of the name.`,
      suggestions: miss.suggestions,
    };
  }
  if (miss.reason === 'misspelled') {
    return {
      kind: 'notice',
      tone: 'error',
      title: 'Unknown category',
      message: `No category matches ${quote(name)}.`,
      suggestions: miss.suggestions,
    };
  }
  const list = categories.length === 0 ? 'There are no categories yet.' : `The categories are: ${categoryList(categories)}.`;
  return { kind: 'notice', tone: 'error', title: 'Unknown category', message: `No such category ${quote(name)}. ${list}`, suggestions: [] };
}

export function emptyCatalog(): NoticeAnswer {
  return { kind: 'notice', tone: 'info', title: 'No links yet', message: 'The catalog has no links yet.', suggestions: [] };
}
