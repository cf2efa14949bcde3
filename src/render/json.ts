import { unhandled, type MessageAnswer, type SearchSubject } from '../answers/answer.js';
import type { Entry } from '../catalog/types.js';

/** An entry as `--json` prints it: the catalog's own shape. */
export function entryJson(e: Entry) {
  return {
    id: e.id,
    title: e.title,
    url: e.url,
    description: e.description,
    category: e.category,
    section: e.section,
    page: e.page,
    source: { file: e.source.file, line: e.source.line },
  };
}

function searchJson(s: SearchSubject) {
  return { query: s.query, hits: s.hits.map(entryJson), suggestions: s.suggestions };
}

/**
 * An answer as data, for the command line's `--json` (README's table): a search as `{query, hits,
 * suggestions}`, a category as `{name, entries}`, the categories as `[{name, count}]`, a link as
 * its entry. Undefined for a notice that carries no data (it is told on stderr, as text).
 */
export function renderJson(answer: MessageAnswer): unknown {
  switch (answer.kind) {
    case 'links': {
      const entries = answer.groups.flatMap((g) => g.entries);
      if (answer.subject?.kind === 'search') return searchJson(answer.subject);
      if (answer.subject?.kind === 'category') return { name: answer.subject.name, entries: entries.map(entryJson) };
      return entries.map(entryJson);
    }
    case 'link':
      return answer.subject ? searchJson(answer.subject) : entryJson(answer.entry);
    case 'categories':
      return answer.items.map((c) => ({ name: c.name, count: c.count }));
    case 'notice':
      return answer.subject ? searchJson(answer.subject) : undefined;
    case 'help':
      return {
        about: answer.about,
        commands: answer.commands,
        entryCount: answer.entryCount,
        categoryCount: answer.categoryCount,
        loadedAt: answer.loadedAt.toISOString(),
      };
    default:
      return unhandled(answer);
  }
}
