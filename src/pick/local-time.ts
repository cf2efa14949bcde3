import { fold } from '../text.js';

/**
 * Local time in a server's time zone, through `Intl` only (its tables know every DST rule), and
 * what members type for it: a time of day (`09:30`) and a zone's IANA name (`Europe/Berlin`).
 */

/** `HH:MM`, 24-hour, two digits each: what /settings daily takes and storage keeps. */
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight for `HH:MM`, or undefined for anything else (`25:00`, `9:5`, `noon`). */
export function parseTimeOfDay(text: string): number | undefined {
  const match = TIME_OF_DAY.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** `HH:MM` for minutes after midnight. */
export function formatTimeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Insertions, deletions and substitutions between two short names (a zone's is at most 30
 * characters): the search's own distance would load the search code at start, which the
 * start-up keeps lazy.
 */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

let zones: readonly string[] | undefined;

/** Every zone `Intl` knows, with UTC (which `supportedValuesOf` leaves out), sorted. */
export function timeZones(): readonly string[] {
  zones ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
  return zones;
}

/** Compared without case, accents, and with spaces as underscores: "new york" is New_York. */
function key(text: string): string {
  return fold(text.trim()).replace(/\s+/g, '_');
}

function city(zone: string): string {
  return zone.slice(zone.lastIndexOf('/') + 1);
}

export type ZoneMatch = { found: true; zone: string } | { found: false; suggestions: string[] };

/**
 * The zone a member means: an IANA name in any case (`europe/berlin`), a city alone when only one
 * zone has it (`Berlin`), or an alias `Intl` accepts (`Asia/Kolkata`), canonical as `Intl` names
 * it. Otherwise the closest names, for "did you mean".
 */
export function resolveTimeZone(typed: string): ZoneMatch {
  const wanted = key(typed);
  if (wanted === '') return { found: false, suggestions: [] };
  const all = timeZones();
  const exact = all.find((z) => key(z) === wanted);
  if (exact) return { found: true, zone: exact };
  const byCity = all.filter((z) => key(city(z)) === wanted);
  if (byCity.length === 1 && byCity[0] !== undefined) return { found: true, zone: byCity[0] };
  try {
    // An alias or a zone newer than the list (`Asia/Kolkata` where ICU says Asia/Calcutta).
    return { found: true, zone: new Intl.DateTimeFormat('en-US', { timeZone: typed.trim() }).resolvedOptions().timeZone };
  } catch {
    // Two edits at most: more lets every short city look like every other.
    const max = Math.max(1, Math.min(2, Math.floor(wanted.length / 4)));
    const scored = all
      .map((z) => ({ z, d: Math.min(distance(wanted, key(z)), distance(wanted, key(city(z)))) }))
      .filter((s) => s.d <= max)
      .sort((a, b) => a.d - b.d || a.z.localeCompare(b.z));
    return { found: false, suggestions: [...byCity, ...scored.map((s) => s.z)].slice(0, 5) };
  }
}

/** Zones for what is being typed: names that begin with it, then cities that do, then names that contain it. */
export function completeTimeZone(typed: string, max: number): string[] {
  const wanted = key(typed);
  const all = timeZones();
  if (wanted === '') return all.slice(0, max);
  const starts = all.filter((z) => key(z).startsWith(wanted));
  const cities = all.filter((z) => key(city(z)).startsWith(wanted));
  const contains = all.filter((z) => key(z).includes(wanted));
  return [...new Set([...starts, ...cities, ...contains])].slice(0, max);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at `now`: its day (`YYYY-MM-DD`) and minutes after its midnight. */
export function localClock(now: Date, zone: string): { day: string; minutes: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(now)) parts[part.type] = part.value;
  return { day: `${parts['year']}-${parts['month']}-${parts['day']}`, minutes: Number(parts['hour']) * 60 + Number(parts['minute']) };
}
