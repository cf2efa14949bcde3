import {
  unhandled,
  type CategoriesAnswer,
  type HelpAnswer,
  type LinkAnswer,
  type LinksAnswer,
  type MessageAnswer,
  type NoticeAnswer,
  type Paging,
} from '../answers/answer.js';
import { PAGE_SIZE } from '../answers/paginate.js';
import { texts } from '../answers/texts.js';
import { displayHost } from '../catalog/links.js';
import type { Entry } from '../catalog/types.js';
import { plural, safeUrl, truncate, withoutHiddenCharacters } from '../text.js';

/** Descriptions longer than this are cut in lists: a list is for scanning. */
const LIST_DESCRIPTION_CHARS = 160;

/**
 * Content is untrusted: control characters (an ANSI escape, say) must not reach a terminal, and
 * nothing hidden may reorder or disguise it (a right-to-left override turns "gnp.exe" into "exe.png").
 */
function clean(text: string): string {
  // The joiners and tags left are parts of emoji.
  return withoutHiddenCharacters(text).replace(/(?!\u200c|\u200d|[\u{e0020}-\u{e007f}])[\p{Cc}\p{Cf}]/gu, ' ');
}

function linkLines(entry: Entry, indent: string, descriptionChars: number): string[] {
  const host = displayHost(entry.url);
  const lines = [`${clean(entry.title)}${host ? `  (${host})` : ''}`, `${indent}${safeUrl(entry.url)}`];
  if (entry.description) lines.push(`${indent}${truncate(clean(entry.description), descriptionChars)}`);
  return lines;
}

function footer(p: Paging, noun: string, nouns?: string): string {
  const count = plural(p.total, noun, nouns);
  return p.pageCount > 1 ? `Page ${p.page}/${p.pageCount} · ${count}` : count;
}

function renderLinks(a: LinksAnswer): string {
  const out = [clean(a.title)];
  if (a.subtitle) out.push(clean(a.subtitle));
  let n = (a.page - 1) * PAGE_SIZE;
  for (const group of a.groups) {
    out.push('', `■ ${clean(group.category)}`);
    for (const entry of group.entries) {
      n += 1;
      const number = `${n}.`.padStart(4);
      const [first, ...rest] = linkLines(entry, '     ', LIST_DESCRIPTION_CHARS);
      out.push(`${number} ${first ?? ''}`, ...rest);
    }
  }
  out.push('', footer(a, a.noun));
  return out.join('\n');
}

function renderLink(a: LinkAnswer): string {
  const e = a.entry;
  const { categoryField, pageField } = texts.message;
  const where = `${categoryField}: ${clean(e.category)} · ${pageField}: ${clean(e.page)}`;
  return [clean(a.title), '', ...linkLines(e, '', 1000), '', where].join('\n');
}

function renderCategories(a: CategoriesAnswer): string {
  const width = Math.max(...a.items.map((i) => String(i.count).length), 1);
  const lines = a.items.map((i) => `  ${String(i.count).padStart(width)}  ${clean(i.name)}`);
  return [clean(a.title), '', ...lines, '', footer(a, texts.nouns.category, texts.nouns.categories)].join('\n');
}

function renderNotice(a: NoticeAnswer): string {
  const out = [`${clean(a.title)}: ${clean(a.message)}`];
  if (a.suggestions.length > 0) out.push(`${texts.notices.didYouMean} ${a.suggestions.map((s) => clean(s)).join(' · ')}`);
  return out.join('\n');
}

function renderHelp(a: HelpAnswer): string {
  const width = Math.max(...a.commands.map((c) => c.usage.length));
  return [
    a.title,
    a.about,
    '',
    ...a.commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.description}`),
    '',
    texts.help.catalogSize(a.entryCount, a.categoryCount, a.loadedAt.toISOString()),
  ].join('\n');
}

/**
 * An answer as plain text: what the bot would say, for the console and the command line (a form
 * or an acknowledgement first comes to a message: `outsideDiscord`).
 */
export function renderText(answer: MessageAnswer): string {
  switch (answer.kind) {
    case 'links':
      return renderLinks(answer);
    case 'link':
      return renderLink(answer);
    case 'categories':
      return renderCategories(answer);
    case 'notice':
      return renderNotice(answer);
    case 'help':
      return renderHelp(answer);
    default:
      return unhandled(answer);
  }
}
