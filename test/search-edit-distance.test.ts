import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestOccurrence, myers, occursWithin, sellers } from '../src/search/edit-distance.js';

describe('finding a word inside another, within a few edits', () => {
  it('finds a pattern anywhere in a longer word, exactly or with edits', () => {
    expect(occursWithin('cobalt', 'silkcobaltwave', 0)).toBe(true);
    expect(occursWithin('cobolt', 'silkcobaltwave', 1)).toBe(true);
    expect(occursWithin('cobolt', 'silkcobaltwave', 0)).toBe(false);
    expect(occursWithin('kuberntes', 'kubernetes', 2)).toBe(true);
    expect(occursWithin('zzqxv', 'kubernetes', 2)).toBe(false);
  });

  it('counts the fewest edits, capped at max + 1', () => {
    expect(bestOccurrence('obsevability', 'observability', 3)).toBe(1);
    expect(bestOccurrence('kuberntes', 'kubernetes', 3)).toBe(1);
    expect(bestOccurrence('zzqxv', 'kubernetes', 2)).toBe(3);
    expect(bestOccurrence('kafka', '', 1)).toBe(2);
  });

  it('gives the same count with the bit-parallel programme as with the full one', () => {
    // Few letters, so that patterns often nearly occur; accented letters take the non-ASCII path. An
    // empty text is answered before either (no column to end a match at).
    const text = (max: number) => fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'é', 'ß'), maxLength: max });
    fc.assert(
      fc.property(
        text(31).filter((p) => p.length > 0),
        text(40).filter((t) => t.length > 0),
        fc.integer({ min: 0, max: 4 }),
        (pattern, within, max) => {
          expect(Math.min(max + 1, myers(pattern, within))).toBe(sellers(pattern, within, max));
        },
      ),
      { seed: 15, numRuns: 2000 },
    );
  });

  it('finds a pattern too long for the bit vectors with the full programme', () => {
    const long = 'a'.repeat(20) + 'kubernetes' + 'b'.repeat(10);
    expect(bestOccurrence(long.replace('kubernetes', 'kuberntes'), `xx${long}yy`, 3)).toBe(1);
  });
});
