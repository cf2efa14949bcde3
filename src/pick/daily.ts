import type { Entry } from '../catalog/types.js';
import { hash32 } from './hash.js';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 in UTC: the same number everywhere on Earth for the whole UTC day. */
export function utcDayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

export function utcDayString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The cycle's permutation: entries ordered by a hash of (scope, cycle, id). Ordering by a hash of
 * the id, not by position, means that adding or removing one link leaves the relative order of
 * all the others unchanged, and moving links between files changes nothing.
 */
function cycleOrder(pool: readonly Entry[], scope: string, cycle: number): Entry[] {
  const keyed = pool.map((entry) => ({ entry, key: hash32(`${scope}\u0000${cycle}\u0000${entry.id}`) }));
  keyed.sort((a, b) => a.key - b.key || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0));
  return keyed.map((k) => k.entry);
}

/**
 * The link of the day for `date` (UTC), from `pool`, identified by `scope` (a category, or the
 * whole catalog). Days are dealt in cycles of `pool.length` days; each cycle is a seeded
 * permutation, so no link repeats before every link has been shown once. When a cycle's first
 * link is the one the previous cycle ended on, it swaps with the second, so two days in a row
 * never show the same link (unless the pool has one link).
 */
export function pickDaily(pool: readonly Entry[], date: Date, scope = ''): Entry | undefined {
  const n = pool.length;
  if (n === 0) return undefined;
  if (n === 1) return pool[0];
  const day = utcDayNumber(date);
  if (n === 2) {
    // Two links can only alternate; the swap below would move a two-day cycle's last day too.
    const [a, b] = [...pool].sort((x, y) => (x.id < y.id ? -1 : 1));
    return day % 2 === 0 ? a : b;
  }
  const cycle = Math.floor(day / n);
  const position = day - cycle * n;
  const order = cycleOrder(pool, scope, cycle);
  if (position <= 1) {
    const previousLast = cycleOrder(pool, scope, cycle - 1)[n - 1];
    // With three links or more the swap never touches the last position, so the previous
    // cycle's last link is exactly what its unswapped order says.
    if (order[0] === previousLast) {
      [order[0], order[1]] = [order[1] as Entry, order[0] as Entry];
    }
  }
  return order[position];
}

/**
 * The link of the day of one server for its local `day` (`YYYY-MM-DD`): a cycle of its own,
 * seeded by the server, so two servers do not show the same link each day, and without repeats
 * within a server's cycle, as `pickDaily`'s.
 */
export function pickServerDaily(pool: readonly Entry[], day: string, server: string, scope = ''): Entry | undefined {
  return pickDaily(pool, new Date(`${day}T00:00:00Z`), `server:${server}\u0000${scope}`);
}
