import type { Catalog } from '../src/catalog/types.js';
import type { Answer, CategorySummary } from '../src/answers/answer.js';
import { emptyCatalog, unknownCategory } from '../src/answers/notices.js';
import { paginate } from '../src/answers/paginate.js';
import { stringOption, type Command } from '../src/command.js';
import { fold, plural } from '../src/text.js';

/** The name that lists every category, as `/category` with no name does in the console. */
export const ALL_CATEGORIES = 'all';
// 25 is also the most fields a Discord embed can hold.
const CATEGORIES_PER_PAGE = 25;

function summaries(catalog: Catalog, pageTitle?: string): CategorySummary[] {
  return catalog.categories
    .filter((c) => pageTitle === undefined || c.pages.includes(pageTitle))
    .map((c) => ({ name: c.name, count: c.entries.length, pages: c.pages }));
}

export const category: Command = {
  name: 'category',
  description: 'Browse the links of one category, or list them all',
  options: [
    {
      name: 'name',
      description: `A category, a page, or “${ALL_CATEGORIES}” for every category`,
      type: 'string',
      required: true,
      autocomplete: true,
    },
  ],
  run({ linkdex }, input, page): Answer {
    const { catalog } = linkdex;
    if (catalog.entries.length === 0) return emptyCatalog();
    const name = stringOption(input, 'name');

    if (name === undefined || fold(name) === ALL_CATEGORIES) {
      const shown = paginate(summaries(catalog), page, CATEGORIES_PER_PAGE);
      return {
        kind: 'categories',
        title: 'Categories',
        items: shown.items,
        page: shown.page,
        pageCount: shown.pageCount,
        total: shown.total,
      };
    }

    const match = linkdex.resolveCategory(name);
    const exact = match.found && fold(match.category.name) === fold(name);
    // A page's title lists that page's categories, unless a category has exactly that name.
    const pageMatch = catalog.pages.find((p) => fold(p.title) === fold(name));
    if (pageMatch && !exact) {
      const shown = paginate(summaries(catalog, pageMatch.title), page, CATEGORIES_PER_PAGE);
      return {
        kind: 'categories',
        title: `Categories in ${pageMatch.title}`,
        items: shown.items,
        page: shown.page,
        pageCount: shown.pageCount,
        total: shown.total,
      };
    }
    if (!match.found) return unknownCategory(name, match.suggestions);

    const found = match.category;
    const shown = paginate(found.entries, page);
    return {
      kind: 'links',
      title: found.name,
      subtitle: `From ${found.pages.join(', ')} · ${plural(found.entries.length, 'link')}`,
      groups: shown.items.length > 0 ? [{ category: found.name, entries: shown.items }] : [],
      page: shown.page,
      pageCount: shown.pageCount,
      total: shown.total,
      noun: 'link',
    };
  },
};
