import type { Category } from '../catalog/types.js';
import type { CategoryMiss } from '../search/resolve-category.js';
import { truncate } from '../text.js';
import type { NoticeAnswer, NoticeCode } from './answer.js';
import { texts } from './texts.js';

/** Room for the list of categories in a message (Discord shows 1,000 characters of it). */
const CATEGORY_LIST_CHARS = 800;

const { notices } = texts;

function notice(code: NoticeCode, tone: NoticeAnswer['tone'], title: string, message: string, suggestions: string[] = []): NoticeAnswer {
  return { kind: 'notice', code, tone, title, message, suggestions };
}

/** Category names joined until they fill `max` characters, then how many more there are. */
function categoryList(categories: readonly Category[], max = CATEGORY_LIST_CHARS): string {
  const names: string[] = [];
  let length = 0;
  for (const [i, category] of categories.entries()) {
    const name = truncate(category.name, 60);
    const rest = categories.length - i - 1;
    // Keep room for "and N more" unless this is the last name.
    if (length + name.length + 3 > max - (rest > 0 ? 40 : 0)) {
      return notices.unknownCategory.andMore(names.join(' · '), categories.length - i);
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
    const { title, message } = notices.ambiguousCategory;
    return notice('ambiguous-category', 'error', title, message(name), miss.suggestions);
  }
  if (miss.reason === 'misspelled') {
    const { title, message } = notices.misspelledCategory;
    return notice('unknown-category', 'error', title, message(name), miss.suggestions);
  }
  const { title, message, noCategories, categoryList: listed } = notices.unknownCategory;
  const list = categories.length === 0 ? noCategories : listed(categoryList(categories));
  return notice('unknown-category', 'error', title, message(name, list));
}

/** A search for nothing: what to type instead. */
export function emptySearch(): NoticeAnswer {
  return notice('empty-search', 'error', notices.emptySearch.title, notices.emptySearch.message);
}

/** A search that found nothing: the query as searched, where (` in Rust`, or empty), and the words it may have meant. */
export function noResults(query: string, scope: string, suggestions: string[]): NoticeAnswer {
  return notice('no-results', 'info', notices.noResults.title, notices.noResults.message(query, scope), suggestions);
}

export function emptyCatalog(): NoticeAnswer {
  return notice('empty-catalog', 'info', notices.emptyCatalog.title, notices.emptyCatalog.message);
}

/** Autocomplete's one suggestion while the catalog loads; picking it sends what was typed, answered once it is ready. */
export const LOADING_CHOICE_NAME = texts.choices.loading;

/** Autocomplete's one suggestion when the catalog could not be loaded; picking it shows the notice below. */
export const UNAVAILABLE_CHOICE_NAME = texts.choices.unavailable;

/** A command or button after the first catalog load failed: what a member can do, and that someone must act. */
export function catalogUnavailable(): NoticeAnswer {
  return notice('catalog-unavailable', 'error', notices.catalogUnavailable.title, notices.catalogUnavailable.message);
}

/** A command or button still waiting when the catalog has not loaded within the time its answer can wait. */
export function catalogStillLoading(): NoticeAnswer {
  return notice('catalog-loading', 'info', notices.catalogLoading.title, notices.catalogLoading.message);
}

/** A member who ran more slash commands than the cooldown allows. */
export function slowDown(retryAfterMs: number): NoticeAnswer {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return notice('cooldown', 'info', notices.cooldown.title, notices.cooldown.message(seconds));
}

/** A button this bot cannot answer any more: an older message, or an older version of the bot. */
export function unknownButton(): NoticeAnswer {
  return notice('stale-button', 'error', notices.staleButton.title, notices.staleButton.message);
}

/** A command Discord still shows that this bot no longer has. */
export function unknownCommand(name: string): NoticeAnswer {
  return notice('unknown-command', 'error', notices.unknownCommand.title, notices.unknownCommand.message(name));
}

/** A form to open (a modal) where there is no Discord to open it: the console, the command line. */
export function needsDiscord(): NoticeAnswer {
  return notice('needs-discord', 'info', notices.needsDiscord.title, notices.needsDiscord.message);
}

/** A handler that failed: the member learns only that, the log learns why. */
export function somethingWentWrongNotice(): NoticeAnswer {
  return notice('handler-failed', 'error', notices.handlerFailed.title, notices.handlerFailed.message);
}

/** A command that changes a server's settings, asked where there is no server. */
export function guildOnly(command: string): NoticeAnswer {
  return notice('guild-only', 'error', notices.guildOnly.title, notices.guildOnly.message(command));
}

/** The database could not be reached: nothing was saved, nothing could be read. */
export function storageUnavailable(): NoticeAnswer {
  return notice('storage-unavailable', 'error', notices.storageUnavailable.title, notices.storageUnavailable.message);
}

/** A setting the bot cannot use, said with what to type instead and, when close, what the member may have meant. */
export function invalidSetting(title: string, message: string, suggestions: string[] = [], channels: string[] = []): NoticeAnswer {
  return withChannels(notice('invalid-setting', 'error', title, message, suggestions), channels);
}

function withChannels(answer: NoticeAnswer, channels: readonly string[]): NoticeAnswer {
  return channels.length > 0 ? { ...answer, channels: [...channels] } : answer;
}

/** A server's settings, one line each: shown, or just saved (`tone` error when saved but unusable as they are). */
export function settingsNotice(
  title: string,
  lines: readonly string[],
  options: { tone?: NoticeAnswer['tone']; channels?: string[] } = {},
): NoticeAnswer {
  return withChannels(notice('settings', options.tone ?? 'info', title, lines.join('\n')), options.channels ?? []);
}
