import type { Catalog, Category } from '../catalog/types.js';
import type { Answer, CategorySummary } from '../answers/answer.js';
import { categoryChoices } from '../answers/choices.js';
import { emptyCatalog, unknownCategory } from '../answers/notices.js';
import { paginate } from '../answers/paginate.js';
import { texts } from '../answers/texts.js';
import { defineCommand, stringOption } from './command.js';
import type { Linkdex } from '../linkdex.js';
import type { CategoryMiss } from '../search/resolve-category.js';
import { fold } from '../text.js';

/** The name that lists every category, as `/category` with no name does in the console. */
export const ALL_CATEGORIES = 'all';
// 25 is also the most fields a Discord embed can hold.
const CATEGORIES_PER_PAGE = 25;

function summaries(catalog: Catalog, pageTitle?: string): CategorySummary[] {
  return catalog.categories
    .filter((c) => pageTitle === undefined || c.pages.includes(pageTitle))
    .map((c) => ({ name: c.name, count: c.entries.length, pages: c.pages }));
}

/** What a name given to /category means: every category, one page's categories, one category, or nothing. */
export type CategoryLookup =
  | { kind: 'list'; title: string; items: CategorySummary[] }
  | { kind: 'category'; category: Category }
  | ({ kind: 'unknown' } & CategoryMiss);

export function lookupCategory(linkdex: Linkdex, name: string | undefined): CategoryLookup {
  const { catalog } = linkdex;
  if (name === undefined || name.trim() === '' || fold(name.trim()) === ALL_CATEGORIES) {
    return { kind: 'list', title: texts.titles.categories, items: summaries(catalog) };
  }
  const match = linkdex.resolveCategory(name);
  const exact = match.found && fold(match.category.name) === fold(name.trim());
  // A page's title lists that page's categories, unless a category has exactly that name.
  const pageMatch = catalog.pages.find((p) => fold(p.title) === fold(name.trim()));
  if (pageMatch && !exact)
    return { kind: 'list', title: texts.titles.categoriesIn(pageMatch.title), items: summaries(catalog, pageMatch.title) };
  return match.found
    ? { kind: 'category', category: match.category }
    : { kind: 'unknown', reason: match.reason, suggestions: match.suggestions };
}

export const category = defineCommand({
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
  run({ linkdex, listing }, input, page): Answer {
    if (linkdex.catalog.entries.length === 0) return emptyCatalog();
    const name = stringOption(input.name);
    const found = lookupCategory(linkdex, name);
    if (found.kind === 'unknown') return unknownCategory(name ?? '', found, linkdex.catalog.categories);
    if (found.kind === 'list') {
      const shown = paginate(found.items, page, listing?.pageSize ?? CATEGORIES_PER_PAGE);
      return {
        kind: 'categories',
        title: found.title,
        items: shown.items,
        page: shown.page,
        pageCount: shown.pageCount,
        total: shown.total,
      };
    }
    const { category } = found;
    const shown = paginate(category.entries, page, listing?.pageSize);
    return {
      kind: 'links',
      title: category.name,
      subtitle: texts.titles.categoryFrom(category.pages, category.entries.length),
      groups: shown.items.length > 0 ? [{ category: category.name, entries: shown.items }] : [],
      page: shown.page,
      pageCount: shown.pageCount,
      total: shown.total,
      noun: texts.nouns.link,
      subject: { kind: 'category', name: category.name },
    };
  },
  autocomplete({ linkdex }, focused) {
    return categoryChoices(linkdex, focused.value, { all: true });
  },
});
