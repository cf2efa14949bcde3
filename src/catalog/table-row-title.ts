import { fold, truncate } from '../text.js';
import { displayHost } from './links.js';

/**
 * Link texts that say where a link goes rather than what it is about: in a table row such as
 * `| Vite | [site](https://vitejs.dev) |`, the thing the row is about is in another cell.
 */
const GENERIC_TEXTS = new Set([
  'site',
  'website',
  'web site',
  'official site',
  'official website',
  'homepage',
  'home page',
  'home',
  'link',
  'here',
  'url',
  'web',
  'docs',
  'doc',
  'documentation',
  'repo',
  'repository',
  'source',
  'source code',
  'code',
  'github',
  'gitlab',
  'paper',
  'pdf',
]);

/** Endings of the addresses lists show as link text; not `.js` or `.io`, so "Node.js" and "Socket.IO" stay names. */
const ADDRESS_ENDINGS = new Set(['com', 'org', 'net', 'edu', 'gov', 'info', 'uk', 'de', 'fr']);

/**
 * Text that is itself an address: `https://stripe.com/blog/`, `www.example.org`, the link's own
 * host or a part of it (`harvard.edu` for www.read.seas.harvard.edu), or a host with a common ending.
 */
function looksLikeAddress(text: string, url: string): boolean {
  if (/\s/u.test(text)) return false;
  if (/^(?:https?:\/\/|www\.)/iu.test(text)) return true;
  const host = fold(text.split(/[/?#]/u)[0] ?? '');
  if (!/^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u.test(host)) return false;
  const linkHost = fold(displayHost(url));
  return linkHost === host || linkHost.endsWith(`.${host}`) || ADDRESS_ENDINGS.has(host.slice(host.lastIndexOf('.') + 1));
}

/** Whether a link's text names no thing: a generic word ("site", "GitHub"), or an address. */
export function isGenericLinkText(text: string, url: string): boolean {
  const trimmed = text.trim().replace(/^[\s([{<'"“‘]+|[\s)\]}>'"”’.:!]+$/gu, '');
  if (trimmed === '') return false;
  const folded = fold(trimmed);
  return GENERIC_TEXTS.has(folded) || looksLikeAddress(trimmed, url);
}

/**
 * Columns that group or qualify rows rather than name them: in `| Data store | **Redis** - … |
 * [slideshare.net](…) |` under `| Type | System | Reference(s) |`, the row is about Redis.
 */
const QUALIFYING_HEADERS = new Set([
  'type',
  'category',
  'kind',
  'group',
  'date',
  'year',
  '#',
  'no',
  'rank',
  'id',
  'language',
  'license',
  'status',
  'stars',
  'platform',
  'price',
  'version',
]);

/** A title this long is a paragraph: it is cut, and kept whole in the description. */
export const MAX_ROW_TITLE = 100;

function isQualifying(header: string | undefined): boolean {
  return header !== undefined && QUALIFYING_HEADERS.has(fold(header).replace(/[^\p{L}\p{N}#]+/gu, ''));
}

/** A long text cut at the last word that fits, marked with an ellipsis. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.lastIndexOf(' ', max - 1);
  return space > max / 2 ? `${text.slice(0, space)}…` : truncate(text, max);
}

/**
 * The title and description of a table row whose link text names no thing: the row's first cell
 * with text of its own, skipping columns whose header qualifies rather than names ("Type",
 * "Date"), unless no other cell has text. `texts` are each cell's texts without the link; `headers`
 * the header row's texts. A row with no other text has none.
 */
export function titleFromRow(
  texts: readonly (readonly string[])[],
  headers: readonly string[],
): { title: string; description: string } | undefined {
  // "[Paper](…), [Tweet](…)": what is left of the link's cell around the link is list punctuation.
  texts = texts.map((parts) => parts.map((p) => p.replace(/^[\s,;]+|[\s,;]+$/gu, '')));
  const hasText = (parts: readonly string[] | undefined) => parts?.some((p) => p !== '') ?? false;
  let at = texts.findIndex((parts, i) => hasText(parts) && !isQualifying(headers[i]));
  if (at < 0) at = texts.findIndex((parts) => hasText(parts));
  if (at < 0) return undefined;
  const whole = (texts[at] ?? []).filter((p) => p !== '').join(' ');
  const title = cutAtWord(whole, MAX_ROW_TITLE);
  const rest = texts.filter((_, i) => i !== at).flat();
  const description = [...(title === whole ? [] : [whole]), ...rest].filter((p) => p !== '').join(' · ');
  return { title, description };
}
