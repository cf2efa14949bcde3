/** Edit distances (insertions, deletions, substitutions), capped: past `max` the exact count does not matter. */

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
