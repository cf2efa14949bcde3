import { describe, expect, it } from 'vitest';
import type { Entry } from '../src/catalog/types.js';
import { Linkdex } from '../src/linkdex.js';
import { pickDaily, utcDayNumber } from '../src/pick/daily.js';
import { pickRandom } from '../src/pick/random.js';
import { catalogOf, seedCatalog, seedLinkdex } from './helpers.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);
const day = (n: number) => new Date(start + n * DAY);

function entries(n: number): Entry[] {
  const lines = Array.from({ length: n }, (_, i) => `- [link ${i}](https://l${i}.example.com)`);
  return catalogOf(`# H\n${lines.join('\n')}\n`).entries;
}

function picks(pool: readonly Entry[], days: number, scope = 'catalog'): string[] {
  return Array.from({ length: days }, (_, i) => pickDaily(pool, day(i), scope)?.id ?? 'none');
}

describe('the link of the day, over 1,000 simulated days', () => {
  const pool = seedCatalog().entries;
  const ids = picks(pool, 1000);

  it('is the same all day long, in every time zone', () => {
    for (let i = 0; i < 1000; i += 37) {
      const first = pickDaily(pool, new Date(start + i * DAY), 'catalog');
      const last = pickDaily(pool, new Date(start + i * DAY + DAY - 1), 'catalog');
      expect(last).toBe(first);
    }
  });

  it('changes every day', () => {
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
  });

  it('shows every link once before any repeats, cycle after cycle', () => {
    const n = pool.length;
    const firstDay = utcDayNumber(day(0));
    const cycleStart = Math.ceil(firstDay / n) * n - firstDay;
    for (let s = cycleStart; s + n <= ids.length; s += n) {
      const cycle = ids.slice(s, s + n);
      expect(new Set(cycle).size).toBe(n);
    }
    // And the cycles are different permutations, not the same order again.
    expect(ids.slice(cycleStart, cycleStart + 10)).not.toEqual(ids.slice(cycleStart + n, cycleStart + n + 10));
  });

  it('is the same after a restart and when links move between files', () => {
    const text = seedCatalog().entries;
    const reversed = [...text].reverse();
    expect(picks(reversed, 100)).toEqual(ids.slice(0, 100));
    expect(picks(seedCatalog().entries, 100)).toEqual(ids.slice(0, 100));
  });

  it('never picks a removed link, and picks an added one within two cycles', () => {
    const removed = pool[5] as Entry;
    const smaller = pool.filter((e) => e !== removed);
    expect(picks(smaller, 1000)).not.toContain(removed.id);
    const added = entries(1)[0] as Entry;
    const bigger = [...pool, { ...added, id: 'addedXYZ' }];
    expect(picks(bigger, 2 * bigger.length)).toContain('addedXYZ');
  });

  it('keeps the same properties inside one category', () => {
    const linkdex = seedLinkdex();
    const rust = linkdex.catalog.categories.find((c) => c.name === 'Rust');
    const daily = Array.from({ length: 30 }, (_, i) => {
      const r = linkdex.daily(day(i), { category: 'rust' });
      return r.ok ? r.value?.id : undefined;
    });
    expect(rust?.entries).toHaveLength(3);
    expect(new Set(daily).size).toBe(3);
    expect(daily.every((id) => rust?.entries.some((e) => e.id === id))).toBe(true);
    for (let i = 1; i < daily.length; i++) expect(daily[i]).not.toBe(daily[i - 1]);
  });

  it('handles pools of zero, one and two links', () => {
    expect(pickDaily([], day(0))).toBeUndefined();
    const [one] = entries(1);
    expect(new Set(picks(entries(1), 10))).toEqual(new Set([one?.id]));
    const two = picks(entries(2), 100);
    for (let i = 1; i < two.length; i++) expect(two[i]).not.toBe(two[i - 1]);
    expect(new Set(picks(entries(3), 300)).size).toBe(3);
  });

  it('for small pools still never shows the same link twice in a row', () => {
    for (const n of [3, 4, 5, 7]) {
      const seq = picks(entries(n), 400);
      for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
    }
  });
});

describe('a random link', () => {
  it('maps the random number straight to a link, so every link is equally likely', () => {
    const pool = entries(7);
    const seen = Array.from({ length: 7 }, (_, i) => pickRandom(pool, () => i)?.id);
    expect(new Set(seen).size).toBe(7);
    expect(pickRandom([], () => 0)).toBeUndefined();
  });

  it('is spread evenly over a category in practice', () => {
    const linkdex = seedLinkdex();
    const counts = new Map<string, number>();
    for (let i = 0; i < 8000; i++) {
      const r = linkdex.random({ category: 'Books on Architecture,Design' });
      if (r.ok && r.value) counts.set(r.value.id, (counts.get(r.value.id) ?? 0) + 1);
    }
    expect(counts.size).toBe(3);
    // Each of 3 links expects 2,667 picks; ±400 is more than 9 standard deviations.
    for (const count of counts.values()) expect(Math.abs(count - 8000 / 3)).toBeLessThan(400);
  });

  it('reports an unknown category with suggestions instead of a link', () => {
    const linkdex = new Linkdex(seedCatalog(), () => 0);
    expect(linkdex.random({ category: 'observabilty' })).toMatchObject({ ok: true, value: { category: 'Observability' } });
    expect(linkdex.random({ category: 'zzqxv' })).toEqual({ ok: false, unknownCategory: 'zzqxv', reason: 'unknown', suggestions: [] });
  });
});
