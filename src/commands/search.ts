import type { Answer } from '../answers/answer.js';
import { groupByCategory } from '../answers/group-links.js';
import { emptySearch, noResults, unknownCategory } from '../answers/notices.js';
import { categoryChoices, entryChoices } from '../answers/choices.js';
import { paginate } from '../answers/paginate.js';
import { texts } from '../answers/texts.js';
import { defineCommand, stringOption, type Listing } from './command.js';
import type { Linkdex } from '../linkdex.js';

/** Enough for ten pages; past that a member should narrow the query. */
export const SEARCH_RESULT_LIMIT = 100;

export const search = defineCommand({
  name: 'search',
  description: 'Search the links by title, description, category or site',
  options: [
    { name: 'query', description: 'Words to look for; typos and half-words are fine', type: 'string', required: true, autocomplete: true },
    { name: 'category', description: 'Only search this category', type: 'string', autocomplete: true },
  ],
  run({ linkdex, listing }, input, page): Answer {
    const query = stringOption(input.query) ?? '';
    // Autocomplete answers with an entry id as the value, so a picked suggestion is exactly that link.
    const picked = linkdex.entry(query);
    if (picked)
      return { kind: 'link', title: picked.title, entry: picked, subject: { kind: 'search', query, hits: [picked], suggestions: [] } };
    return searchAnswer(linkdex, query, stringOption(input.category), page, listing);
  },
  autocomplete({ linkdex, now }, focused, input) {
    if (focused.name === 'category') return categoryChoices(linkdex, focused.value);
    return entryChoices(linkdex, focused.value, stringOption(input.category), now);
  },
});

/** The answer to a search: its hits grouped by category, one page of them, or why there are none. */
export function searchAnswer(linkdex: Linkdex, query: string, category: string | undefined, page: number, listing: Listing = {}): Answer {
  if (query.trim() === '') return emptySearch();
  const result = linkdex.search(query, { ...(category ? { category } : {}), limit: listing.limit ?? SEARCH_RESULT_LIMIT });
  if (!result.ok) {
    const notice = unknownCategory(result.unknownCategory, result, linkdex.catalog.categories);
    return { ...notice, subject: { kind: 'search', query, hits: [], suggestions: result.suggestions } };
  }
  const { hits, suggestions, query: cleaned } = result.value;
  const scope = texts.titles.inCategory(result.category?.name);
  if (hits.length === 0)
    return { ...noResults(cleaned, scope, suggestions), subject: { kind: 'search', query: cleaned, hits: [], suggestions } };
  const shown = paginate(hits, page, listing.pageSize);
  return {
    kind: 'links',
    title: texts.titles.search(cleaned, scope),
    groups: groupByCategory(shown.items),
    page: shown.page,
    pageCount: shown.pageCount,
    total: shown.total,
    noun: texts.nouns.result,
    navigation: 'previous-next',
    subject: { kind: 'search', query: cleaned, hits: shown.items, suggestions },
  };
}
