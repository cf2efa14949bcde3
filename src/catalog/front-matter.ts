import matter from 'gray-matter';
import { problem } from './problems.js';
import type { Problem } from './types.js';

export interface FrontMatter {
  title?: string;
  date?: string;
  draft: boolean;
}

export interface SplitPage {
  frontMatter: FrontMatter;
  body: string;
  /** How many lines precede the body, so body line N is file line N + bodyLineOffset. */
  bodyLineOffset: number;
  problems: Problem[];
}

const refuseEngine = {
  parse(): never {
    throw new Error('only YAML front matter is supported');
  },
};

// gray-matter evaluates `---js` front matter with eval(); content is untrusted, so those engines refuse.
const matterOptions = {
  language: 'yaml',
  engines: { js: refuseEngine, javascript: refuseEngine, coffee: refuseEngine, coffeescript: refuseEngine },
};

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end === -1 ? text : text.slice(0, end)).trimEnd();
}

/**
 * js-yaml reports a 0-based line in the text gray-matter gives it, which starts right after the
 * opening `---` (its line 0 is the rest of file line 1), so file line = mark line + 1.
 */
function yamlErrorLine(error: unknown): number {
  const mark = (error as { mark?: { line?: unknown } }).mark;
  return typeof mark?.line === 'number' ? mark.line + 1 : 1;
}

function yamlErrorReason(error: unknown): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') return reason;
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
}

/**
 * More values than this (counting each use of a YAML alias again, as a serialiser would) and the
 * front matter is refused: a 1 KB "billion laughs" of nested aliases is cheap to parse, since
 * aliases are shared references, but enormous to walk or print.
 */
export const MAX_FRONT_MATTER_VALUES = 10_000;

/** Whether walking `value` meets more than `limit` values; stops as soon as it does. */
function expandsBeyond(value: unknown, limit: number): boolean {
  let left = limit;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (--left < 0) return true;
    if (next === null || typeof next !== 'object' || next instanceof Date) continue;
    // One at a time: a spread of a huge list would overflow the call stack.
    for (const child of Array.isArray(next) ? next : Object.values(next)) {
      if (stack.length > left) return true;
      stack.push(child);
    }
  }
  return false;
}

/** A field's value as a message may show it: short text and numbers as written, anything else by its kind. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' && value !== null ? 'a mapping' : typeof value;
}

function readFields(data: Record<string, unknown>, file: string, problems: Problem[]): FrontMatter {
  const at = { file, line: 1 };
  const fm: FrontMatter = { draft: false };
  const { title, date, draft } = data;
  if (typeof title === 'string' || typeof title === 'number') {
    if (String(title).trim() !== '') fm.title = String(title).trim();
  } else if (title !== undefined && title !== null) {
    problems.push(problem('warning', 'front-matter-field', '`title` should be text; the file name is used instead', at));
  }
  if (date instanceof Date && !Number.isNaN(date.getTime())) fm.date = date.toISOString();
  else if (typeof date === 'string' && date.trim() !== '') fm.date = date.trim();
  else if (date !== undefined && date !== null) {
    problems.push(problem('warning', 'front-matter-field', '`date` should be a date such as 2024-05-01', at));
  }
  if (draft === true) fm.draft = true;
  else if (draft !== undefined && draft !== null && draft !== false) {
    problems.push(
      problem('warning', 'front-matter-field', `\`draft\` should be true or false, not ${describe(draft)}; the page is published`, at),
    );
  }
  return fm;
}

/**
 * Splits YAML front matter from the markdown body. Never throws: a broken block becomes a problem
 * and the file is read as if it had none, so its links still load.
 */
export function splitFrontMatter(text: string, file: string): SplitPage {
  const problems: Problem[] = [];
  const whole: SplitPage = { frontMatter: { draft: false }, body: text, bodyLineOffset: 0, problems };
  const opening = firstLine(text);

  if (opening === '+++') {
    problems.push(
      problem('warning', 'front-matter-invalid', 'TOML front matter (+++) is not supported; use YAML between --- lines', { file, line: 1 }),
    );
    return whole;
  }
  if (!opening.startsWith('---') || opening.startsWith('----')) return whole;
  if (opening !== '---') {
    problems.push(
      problem(
        'error',
        'front-matter-invalid',
        `only YAML front matter is supported, not “${opening.slice(3).trim()}”; the block is read as markdown`,
        { file, line: 1 },
      ),
    );
    return whole;
  }
  // gray-matter's own rule for the closing delimiter: the next line that starts with ---.
  if (text.indexOf('\n---', 3) === -1) {
    problems.push(
      problem('error', 'front-matter-unclosed', 'front matter opens with --- but never closes; the file is read as markdown without it', {
        file,
        line: 1,
      }),
    );
    return whole;
  }

  let parsed: { data: Record<string, unknown>; content: string };
  try {
    parsed = matter(text, matterOptions) as unknown as { data: Record<string, unknown>; content: string };
  } catch (error) {
    problems.push(
      problem('error', 'front-matter-invalid', `front matter is not valid YAML: ${yamlErrorReason(error)}`, {
        file,
        line: yamlErrorLine(error),
      }),
    );
    const close = text.indexOf('\n---', 3);
    const afterClose = text.indexOf('\n', close + 1);
    const body = afterClose === -1 ? '' : text.slice(afterClose + 1);
    return { ...whole, body, bodyLineOffset: countLines(text.slice(0, text.length - body.length)) };
  }

  const data = parsed.data !== null && typeof parsed.data === 'object' && !Array.isArray(parsed.data) ? parsed.data : {};
  const body = parsed.content;
  const prefix = text.endsWith(body) ? text.slice(0, text.length - body.length) : '';
  if (expandsBeyond(data, MAX_FRONT_MATTER_VALUES)) {
    problems.push(
      problem(
        'error',
        'front-matter-invalid',
        `front matter expands to over ${MAX_FRONT_MATTER_VALUES.toLocaleString('en-US')} values (nested YAML aliases); it is ignored`,
        { file, line: 1 },
      ),
    );
    return { ...whole, body, bodyLineOffset: countLines(prefix) };
  }
  return { frontMatter: readFields(data, file, problems), body, bodyLineOffset: countLines(prefix), problems };
}
