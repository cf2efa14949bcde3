import { bestOccurrence, hasPiece, MAX_BIT_PATTERN, myers, piecesOf } from './edit-distance.js';

/**
 * What fuse.js (7.x, `ignoreLocation: true`) scores one field for one pattern, computed without
 * fuse: its bitap search finds the fewest edits with which the pattern occurs in the field, which
 * is the distance `bestOccurrence` computes, here in a few operations per letter instead of a row
 * of arrays per error. The ranking then combines these as fuse does, and only calls fuse for a
 * pattern longer than its bit vectors, which it splits into chunks.
 */

/** Fuse's threshold: at most 0.3 errors per pattern letter. */
export const FUSE_THRESHOLD = 0.3;
/** Fuse splits longer patterns into chunks of this many letters and averages their scores. */
export const FUSE_MAX_PATTERN = 32;
/** Fuse's score for a pattern found as it is inside a longer field (`Math.max(0.001, score)` in its bitap search). */
export const FOUND_AS_TYPED = 0.001;

/** The most errors fuse forgives in a pattern this long, by its own arithmetic (errors / length ≤ threshold). */
function forgivenErrors(length: number): number {
  let errors = 0;
  while ((errors + 1) / length <= FUSE_THRESHOLD) errors++;
  return errors;
}

const forgiven: number[] = Array.from({ length: FUSE_MAX_PATTERN + 1 }, (_, length) => (length === 0 ? 0 : forgivenErrors(length)));

/**
 * Fuse's score of `field` for `pattern` (both lower case, the pattern at most FUSE_MAX_PATTERN
 * letters): 0 for the whole field, else errors / length but at least 0.001; undefined when fuse
 * does not match (too many errors, or a blank field, which fuse does not index).
 */
export function fieldScore(pattern: string, field: string): number | undefined {
  if (field === pattern) return 0;
  if (field.trim() === '') return undefined;
  // Found as typed: no edit to count. Else a pattern that forgives none, or a field too short to
  // hold it within the errors it forgives, does not match: no need to count them.
  if (field.includes(pattern)) return FOUND_AS_TYPED;
  const max = forgiven[pattern.length] ?? 0;
  if (max === 0 || field.length < pattern.length - max) return undefined;
  if (pattern.length <= MAX_BIT_PATTERN && !hasPiece(cachedPieces(pattern, max), field)) return undefined;
  // Not found as typed: one error is the fewest, and the search can stop at the first.
  const errors = pattern.length > MAX_BIT_PATTERN ? bestOccurrence(pattern, field, max) : myers(pattern, field, 1);
  return errors > max ? undefined : Math.max(FOUND_AS_TYPED, errors / pattern.length);
}

/** The last pattern cut into pieces (see `piecesOf`), and its pieces: a search asks for the same few patterns field after field. */
let piecesFor = '';
let lastPieces: string[] = [];

function cachedPieces(pattern: string, errors: number): string[] {
  if (pattern !== piecesFor) {
    lastPieces = piecesOf(pattern, errors);
    piecesFor = pattern;
  }
  return lastPieces;
}

/** Fuse's factor for one matching field: its score (0 counts as the smallest number above 0) to the power of the key's weight. */
export function weighted(score: number, weight: number): number {
  return Math.pow(score === 0 ? Number.EPSILON : score, weight);
}
