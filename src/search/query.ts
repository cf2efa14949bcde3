import { collapseWhitespace, fold, truncate } from '../text.js';

/** Below this length one typo is a different word ("kube" and "tube"), so short words must match as typed. */
export const MIN_FUZZY_WORD = 5;

/** Longer queries are cut: nobody types more, and fuse's cost grows with the pattern. */
export const MAX_QUERY_CHARS = 100;
/** Words past this many add cost and no precision. */
export const MAX_QUERY_WORDS = 8;

/** Folded words: lower case, no accents, split on anything that is not a letter or digit. */
export function wordsOf(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A member's raw input, made safe to search: no control characters, bounded, split into words. */
export function queryWords(raw: string): { text: string; words: string[] } {
  const text = truncate(collapseWhitespace(raw.replace(/\p{C}/gu, ' ')), MAX_QUERY_CHARS);
  const words = [...new Set(wordsOf(text))].slice(0, MAX_QUERY_WORDS);
  return { text, words };
}
