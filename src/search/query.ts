import { collapseWhitespace, truncate, wordsOf } from '../text.js';

/** Below this length one typo is a different word ("kube" and "tube"), so short words must match as typed. */
export const MIN_FUZZY_WORD = 5;

/** Longer queries are cut: nobody types more, and fuse's cost grows with the pattern. */
export const MAX_QUERY_CHARS = 100;
/** Words past this many add cost and no precision. */
export const MAX_QUERY_WORDS = 8;

/**
 * Quotation marks that open a phrase, each with those that close it. Straight and typographic
 * double quotes pair with one another (phones type “…”, keyboards "…"); a single ‘ only with ’,
 * so the apostrophe in "don’t" opens nothing.
 */
const CLOSERS: Record<string, string> = { '"': '"”“', '“': '”"“', '„': '“”"', '«': '»', '‘': '’' };

export interface Query {
  /** The query as it is shown: cleaned, with its phrases in ‘…’ when it has other words too. */
  text: string;
  /** Every word once, phrases' words included, in the order typed: what must match somewhere. */
  words: string[];
  /**
   * Quoted parts: words that must be adjacent and in this order in one field, each exactly as
   * typed, but the last one of a phrase still being typed (no closing quote yet), which may be
   * the start of a word.
   */
  phrases: { words: string[]; open: boolean }[];
}

/** A member's input split into quoted and unquoted parts; an unclosed quote runs to the end. */
function parts(text: string): { text: string; quoted: boolean; open: boolean }[] {
  const out: { text: string; quoted: boolean; open: boolean }[] = [];
  let rest = text;
  while (rest !== '') {
    const start = [...rest].findIndex((c) => c in CLOSERS);
    if (start < 0) break;
    // Index in UTF-16 units: every opener is one unit.
    const at = [...rest].slice(0, start).join('').length;
    const opener = rest.charAt(at);
    const closers = CLOSERS[opener] ?? '';
    const inner = rest.slice(at + 1);
    const end = [...inner].findIndex((c) => closers.includes(c));
    const endAt = end < 0 ? -1 : [...inner].slice(0, end).join('').length;
    out.push({ text: rest.slice(0, at), quoted: false, open: false });
    out.push({ text: endAt < 0 ? inner : inner.slice(0, endAt), quoted: true, open: endAt < 0 });
    rest = endAt < 0 ? '' : inner.slice(endAt + 1);
  }
  out.push({ text: rest, quoted: false, open: false });
  return out.filter((p) => wordsOf(p.text).length > 0);
}

/**
 * Words of plain letters and digits between single spaces: most of what members type, which
 * cleaning, quotes and folding leave as it is (but for upper case), so it is split at once.
 */
const PLAIN = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;

/** A member's raw input, made safe to search: no control characters, bounded, split into words and phrases. */
export function parseQuery(raw: string): Query {
  if (raw.length <= MAX_QUERY_CHARS && PLAIN.test(raw)) {
    return { text: raw, words: [...new Set(raw.toLowerCase().split(' '))].slice(0, MAX_QUERY_WORDS), phrases: [] };
  }
  const cleaned = truncate(collapseWhitespace(raw.replace(/\p{C}/gu, ' ')), MAX_QUERY_CHARS);
  const split = parts(cleaned);
  const words = [...new Set(split.flatMap((p) => wordsOf(p.text)))].slice(0, MAX_QUERY_WORDS);
  const phrases = split
    .filter((p) => p.quoted)
    .map((p) => {
      // Past MAX_QUERY_WORDS a phrase keeps the words before the cut, still adjacent.
      const all = wordsOf(p.text);
      const kept = all.findIndex((w) => !words.includes(w));
      return { words: kept < 0 ? all : all.slice(0, kept), open: p.open && kept < 0 };
    })
    .filter((p) => p.words.length > 0);
  // Shown once quoted: a query that is one phrase loses its quotes, phrases among other words get ‘…’.
  const alone = split.length === 1 && split[0]?.quoted === true;
  // The ‘…’ added around phrases may take the shown query past the bound again.
  const text = [...cleaned].some((c) => c in CLOSERS)
    ? truncate(split.map((p) => (p.quoted && !alone ? `‘${p.text.trim()}’` : p.text.trim())).join(' '), MAX_QUERY_CHARS)
    : cleaned;
  return { text, words, phrases };
}

/** A member's raw input, made safe to search: no control characters, bounded, split into words. */
export function queryWords(raw: string): { text: string; words: string[] } {
  const { text, words } = parseQuery(raw);
  return { text, words };
}
