/**
 * Edit distances (insertions, deletions, substitutions), capped: past `max` the exact count does not matter.
 * Between two words, to the beginning of a word, and to the best place inside a longer text.
 */

/**
 * The edits that turn `a` into `b`, a swap of neighbouring letters counting as one ("promethues"
 * is one from "prometheus"), or `max + 1` when that takes more than `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      rowBest = Math.min(rowBest, value);
    }
    if (rowBest > max) return max + 1;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(max + 1, previous[b.length] ?? max + 1);
}

/**
 * The fewest edits that turn `pattern` into a beginning of `word` ("obsevab" into "observab"), or
 * `max + 1` when that takes more than `max`. A beginning, so a member may stop typing mid-word.
 */
export function editsToPrefix(pattern: string, word: string, max: number): number {
  if (word.startsWith(pattern)) return 0;
  let previous = Array.from({ length: word.length + 1 }, (_, j) => j);
  for (let i = 1; i <= pattern.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= word.length; j++) {
      const cost = pattern.charCodeAt(i - 1) === word.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current[j] = value;
      rowBest = Math.min(rowBest, value);
    }
    if (rowBest > max) return max + 1;
    previous = current;
  }
  return Math.min(max + 1, ...previous);
}

/**
 * Whether `pattern` occurs in `text` with at most `max` edits, anywhere in it (a typo inside a
 * longer name, as fuse finds it): Sellers' dynamic programme, where a match may start at any letter.
 */
export function occursWithin(pattern: string, text: string, max: number): boolean {
  return bestOccurrence(pattern, text, max) <= max;
}

/**
 * `pattern` cut into `errors + 1` pieces as long as one another: an occurrence with at most
 * `errors` edits has one of them as it is, since each edit is in one piece at most. A text with
 * none of them has no such occurrence, which is most texts: ruled out without counting edits.
 */
export function piecesOf(pattern: string, errors: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i <= errors; i++) {
    pieces.push(pattern.slice(Math.floor((i * pattern.length) / (errors + 1)), Math.floor(((i + 1) * pattern.length) / (errors + 1))));
  }
  return pieces;
}

/** Whether `text` has one of `pieces` as it is (see `piecesOf`). */
export function hasPiece(pieces: readonly string[], text: string): boolean {
  for (const piece of pieces) if (text.includes(piece)) return true;
  return false;
}

/** The fewest edits with which `pattern` occurs somewhere in `text`, or `max + 1` when it needs more. */
export function bestOccurrence(pattern: string, text: string, max: number): number {
  if (text.includes(pattern)) return 0;
  const m = pattern.length;
  // No letter to end a match at: the programme below has no column either.
  if (text.length === 0) return max + 1;
  if (m > MAX_BIT_PATTERN) return sellers(pattern, text, max);
  return Math.min(max + 1, myers(pattern, text));
}

/** Patterns up to this long fit the bit vectors of `myers`. */
export const MAX_BIT_PATTERN = 31;
/** Scratch for `myers`: the pattern's positions of each character code below 128, as bits. */
const asciiPeq = new Int32Array(128);

/**
 * Sellers' minimum over `text` computed with Myers' bit-parallel algorithm (one column of the
 * dynamic programme per text letter in a few word operations): the same numbers as `sellers`,
 * without a row of the table per letter. Every vocabulary word a query word is checked against
 * goes through here, hundreds per word in a large catalog. It stops at the first occurrence
 * with `enough` edits or fewer: a caller that knows there is none with fewer needs no more.
 */
export function myers(pattern: string, text: string, enough = 0): number {
  const m = pattern.length;
  let other: Map<number, number> | undefined;
  for (let i = 0; i < m; i++) {
    const code = pattern.charCodeAt(i);
    if (code < 128) asciiPeq[code] = (asciiPeq[code] ?? 0) | (1 << i);
    else (other ??= new Map()).set(code, (other.get(code) ?? 0) | (1 << i));
  }
  const last = 1 << (m - 1);
  let pv = -1;
  let mv = 0;
  let score = m;
  let best = m;
  for (let j = 0; j < text.length && best > enough; j++) {
    const code = text.charCodeAt(j);
    const eq = code < 128 ? (asciiPeq[code] ?? 0) : (other?.get(code) ?? 0);
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & last) score++;
    else if (mh & last) score--;
    // A match may start anywhere in the text: the top row stays 0, so nothing is shifted in.
    ph <<= 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
    if (score < best) best = score;
  }
  for (let i = 0; i < m; i++) {
    const code = pattern.charCodeAt(i);
    if (code < 128) asciiPeq[code] = 0;
  }
  return best;
}

/** The same minimum as `myers`, by the full dynamic programme: for patterns too long for its bit vectors. */
export function sellers(pattern: string, text: string, max: number): number {
  const m = pattern.length;
  let best = max + 1;
  let previous = Array.from({ length: m + 1 }, (_, i) => i);
  for (let j = 1; j <= text.length; j++) {
    const current = [0];
    for (let i = 1; i <= m; i++) {
      const cost = pattern.charCodeAt(i - 1) === text.charCodeAt(j - 1) ? 0 : 1;
      current[i] = Math.min((previous[i] ?? 0) + 1, (current[i - 1] ?? 0) + 1, (previous[i - 1] ?? 0) + cost);
    }
    best = Math.min(best, current[m] ?? best);
    previous = current;
  }
  return best;
}
