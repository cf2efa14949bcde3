import type { Linkdex } from '../linkdex.js';
import { truncate, withoutHiddenCharacters } from '../text.js';

/** An autocomplete suggestion: what the member sees, and what the option receives when they pick it. */
export interface Choice {
  name: string;
  value: string;
}

/** Discord shows at most 25 suggestions, with names and values of at most 100 characters. */
export const MAX_CHOICES = 25;
export const MAX_CHOICE_LENGTH = 100;

/** A choice `choice` made: valid as it is, and frozen so that it stays so. */
class ValidChoice implements Choice {
  constructor(
    readonly name: string,
    readonly value: string,
  ) {
    Object.freeze(this);
  }
}

/**
 * A suggestion as Discord takes it, within its 100 characters. Names are plain text (no markdown,
 * no mentions), but nothing hidden may disguise them. Serving passes every handler's choices
 * through this too: Discord rejects a whole answer for one bad choice.
 */
export function choice(name: string, value: string): Choice {
  return new ValidChoice(truncate(withoutHiddenCharacters(name), MAX_CHOICE_LENGTH) || '…', truncate(value, MAX_CHOICE_LENGTH));
}

/** `c` as Discord takes it (see `choice`): itself when `choice` made it, 25 times a keystroke not checked twice. */
export function validChoice(c: Choice): Choice {
  return c instanceof ValidChoice ? c : choice(c.name, c.value);
}

/**
 * Links matching what the member has typed, best first; the value is the entry id, so picking one
 * answers with exactly that link. Nothing typed yet: the link of the day, then the first links.
 */
export function entryChoices(linkdex: Linkdex, typed: string, category: string | undefined, now: Date): Choice[] {
  const scope = category ? linkdex.resolveCategory(category) : undefined;
  const pool = scope?.found ? scope.category.entries : linkdex.catalog.entries;
  let entries;
  if (typed.trim() === '') {
    const daily = linkdex.dailyIn(now, scope?.found ? scope.category : undefined);
    entries = [...(daily ? [daily] : []), ...pool.filter((e) => e !== daily)].slice(0, MAX_CHOICES);
  } else {
    const result = linkdex.index.search(typed, {
      limit: MAX_CHOICES,
      suggest: false,
      ...(scope?.found ? { category: scope.category.name } : {}),
    });
    entries = result.hits;
  }
  return entries.map((e) => choice(`${e.title} · ${e.category}`, e.id));
}

/** Category names matching what the member has typed, with their link counts; `all` first when asked for. */
export function categoryChoices(linkdex: Linkdex, typed: string, options: { all?: boolean } = {}): Choice[] {
  const counts = new Map(linkdex.catalog.categories.map((c) => [c.name, c.entries.length]));
  const names = linkdex.categories.complete(typed, MAX_CHOICES);
  const choices = names.map((name) => choice(`${name} (${counts.get(name) ?? 0})`, name));
  if (options.all && 'all'.startsWith(typed.trim().toLowerCase())) {
    choices.unshift(choice(`All categories (${linkdex.catalog.categories.length})`, 'all'));
  }
  return choices.slice(0, MAX_CHOICES);
}
