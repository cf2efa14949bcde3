import v8 from 'node:v8';
import { Interner } from './intern.js';
import { groupCategories } from './group-categories.js';
import type { Catalog, Entry, Page, Problem, Severity } from './types.js';

/**
 * A catalog as columns: one array per field, the values many entries repeat (categories, pages,
 * files, headings, problem codes) stored once in `strings` and referred to by index. It serialises
 * and deserialises several times faster than the catalog's own objects (100k entries: some 120 ms
 * back to a catalog instead of 240 ms for `v8.deserialize` of the objects or 510 ms for a structured
 * clone), takes half the bytes, and comes back interned.
 */
export interface CatalogColumns {
  strings: string[];
  /** Each distinct `section`, as indices into `strings`. */
  sections: number[][];
  ids: string[];
  titles: string[];
  urls: string[];
  descriptions: string[];
  /** Per entry, indices into `strings` (`section` into `sections`), and the source line. */
  category: Int32Array;
  section: Int32Array;
  page: Int32Array;
  file: Int32Array;
  line: Int32Array;
  pages: Page[];
  problemSeverity: Int32Array;
  problemCode: Int32Array;
  problemFile: Int32Array;
  problemLine: Int32Array;
  problemMessages: string[];
  loadedAt: number;
}

/** Why columns could not be read back: they are not what `toColumns` writes. */
export class MalformedColumns extends Error {
  constructor(what: string) {
    super(`malformed catalog data: ${what}`);
    this.name = 'MalformedColumns';
  }
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export function toColumns(catalog: Catalog): CatalogColumns {
  const strings: string[] = [];
  const indexOf = new Map<string, number>();
  const str = (value: string): number => {
    let i = indexOf.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      indexOf.set(value, i);
    }
    return i;
  };
  const sections: number[][] = [];
  const sectionIndex = new Map<readonly string[], number>();
  const sectionByText = new Map<string, number>();
  const sectionOf = (section: readonly string[]): number => {
    // Entries of a loaded catalog share their section arrays: most lookups stop at the first map.
    let i = sectionIndex.get(section);
    if (i !== undefined) return i;
    const key = JSON.stringify(section);
    i = sectionByText.get(key);
    if (i === undefined) {
      i = sections.length;
      sections.push(section.map(str));
      sectionByText.set(key, i);
    }
    sectionIndex.set(section, i);
    return i;
  };

  const { entries, problems } = catalog;
  const n = entries.length;
  const columns: CatalogColumns = {
    strings,
    sections,
    ids: entries.map((e) => e.id),
    titles: entries.map((e) => e.title),
    urls: entries.map((e) => e.url),
    descriptions: entries.map((e) => e.description),
    category: new Int32Array(n),
    section: new Int32Array(n),
    page: new Int32Array(n),
    file: new Int32Array(n),
    line: new Int32Array(n),
    pages: catalog.pages.map((p) => ({ ...p })),
    problemSeverity: new Int32Array(problems.length),
    problemCode: new Int32Array(problems.length),
    problemFile: new Int32Array(problems.length),
    problemLine: new Int32Array(problems.length),
    problemMessages: problems.map((p) => p.message),
    loadedAt: catalog.loadedAt.getTime(),
  };
  entries.forEach((e, i) => {
    columns.category[i] = str(e.category);
    columns.section[i] = sectionOf(e.section);
    columns.page[i] = str(e.page);
    columns.file[i] = str(e.source.file);
    columns.line[i] = e.source.line;
  });
  problems.forEach((p, i) => {
    columns.problemSeverity[i] = SEVERITIES.indexOf(p.severity);
    columns.problemCode[i] = str(p.code);
    columns.problemFile[i] = str(p.file);
    columns.problemLine[i] = p.line;
  });
  return columns;
}

function isStringArray(value: unknown, length?: number): value is string[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

function isPage(value: unknown): value is Page {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.title === 'string' &&
    typeof p.file === 'string' &&
    (p.date === undefined || typeof p.date === 'string') &&
    typeof p.draft === 'boolean' &&
    typeof p.entryCount === 'number'
  );
}

/**
 * Checks that `value` has every column, of the right type and length, before anything reads it;
 * indices are checked as they are used. Throws `MalformedColumns`.
 */
function checkColumns(value: unknown): asserts value is CatalogColumns {
  if (typeof value !== 'object' || value === null) throw new MalformedColumns('not an object');
  const c = value as Record<string, unknown>;
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new MalformedColumns(what);
  };
  need(isStringArray(c.strings), 'strings');
  need(Array.isArray(c.sections) && c.sections.every((s) => Array.isArray(s) && s.every((i) => Number.isInteger(i))), 'sections');
  need(isStringArray(c.ids), 'ids');
  const n = (c.ids as string[]).length;
  for (const name of ['titles', 'urls', 'descriptions']) need(isStringArray(c[name], n), name);
  for (const name of ['category', 'section', 'page', 'file', 'line']) need(c[name] instanceof Int32Array && c[name].length === n, name);
  need(Array.isArray(c.pages) && c.pages.every(isPage), 'pages');
  need(isStringArray(c.problemMessages), 'problemMessages');
  const problems = (c.problemMessages as string[]).length;
  for (const name of ['problemSeverity', 'problemCode', 'problemFile', 'problemLine']) {
    need(c[name] instanceof Int32Array && c[name].length === problems, name);
  }
  need(typeof c.loadedAt === 'number' && Number.isFinite(c.loadedAt), 'loadedAt');
}

/** The catalog `columns` hold; throws `MalformedColumns` when they are not what `toColumns` wrote. */
export function fromColumns(columns: unknown, loadedAt?: Date): Catalog {
  checkColumns(columns);
  const c = columns;
  const intern = new Interner();
  const str = (i: number | undefined, what: string): string => {
    const value = i === undefined ? undefined : c.strings[i];
    if (value === undefined) throw new MalformedColumns(`${what} index ${String(i)}`);
    return value;
  };
  const sections = c.sections.map((s) => intern.section(s.map((i) => str(i, 'section'))));
  const n = c.ids.length;
  // Pushed, not `new Array(n)`: V8 gives a preallocated array of 100k or more slow dictionary elements.
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const section = sections[c.section[i] as number];
    if (section === undefined) throw new MalformedColumns(`section index ${String(c.section[i])}`);
    entries.push({
      id: c.ids[i] as string,
      title: c.titles[i] as string,
      url: c.urls[i] as string,
      description: c.descriptions[i] as string,
      category: intern.string(str(c.category[i], 'category')),
      section,
      page: intern.string(str(c.page[i], 'page')),
      source: { file: intern.string(str(c.file[i], 'file')), line: c.line[i] as number },
    });
  }
  const problems = c.problemMessages.map((message, i): Problem => {
    const severity = SEVERITIES[c.problemSeverity[i] as number];
    if (severity === undefined) throw new MalformedColumns('problem severity');
    return {
      severity,
      code: str(c.problemCode[i], 'problem code'),
      message,
      file: intern.string(str(c.problemFile[i], 'problem file')),
      line: c.problemLine[i] as number,
    };
  });
  return {
    entries,
    categories: groupCategories(entries),
    pages: c.pages.map((p) => ({ ...p })),
    problems,
    loadedAt: loadedAt ?? new Date(c.loadedAt),
  };
}

/** A catalog as bytes, e.g. to hand it from a worker to its parent as one transferable buffer. */
export function encodeCatalog(catalog: Catalog): Uint8Array {
  return v8.serialize(toColumns(catalog));
}

/** The catalog `encodeCatalog` encoded; throws on bytes it did not write. */
export function decodeCatalog(bytes: Uint8Array): Catalog {
  return fromColumns(v8.deserialize(bytes));
}
