/**
 * The command line's words to flags and positionals. Node's `parseArgs` does the splitting, in
 * its lenient mode, so that every complaint is ours: one line that names the flag, never Node's
 * own text (which quotes oddly and suggests `--page=-1` for `--page -1`).
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export const OPTIONS = {
  content: { type: 'string' },
  drafts: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  category: { type: 'string', short: 'c' },
  limit: { type: 'string', short: 'n' },
  page: { type: 'string', short: 'p' },
  today: { type: 'boolean' },
  date: { type: 'string' },
  links: { type: 'boolean' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'max-time': { type: 'string' },
  'allow-private': { type: 'boolean' },
  out: { type: 'string', short: 'o' },
} as const;

export type Flag = keyof typeof OPTIONS;

export type Values = {
  [F in Flag]?: (typeof OPTIONS)[F]['type'] extends 'string' ? string : boolean;
};

export interface ParsedArgs {
  values: Values;
  positionals: string[];
}

function isFlag(name: string): name is Flag {
  return Object.hasOwn(OPTIONS, name);
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
    } else if (token.kind === 'option') {
      const { name, rawName } = token;
      if (!isFlag(name)) throw new UsageError(`unknown option ${rawName}`);
      const shown = `--${name}`;
      if (OPTIONS[name].type === 'string') {
        if (token.value === undefined) throw new UsageError(`${shown} needs a value`);
        values[name] = token.value;
      } else {
        if (token.inlineValue) throw new UsageError(`${shown} takes no value`);
        values[name] = true;
      }
    }
  }
  return { values: values as Values, positionals };
}

/** A whole number in [1, max], written as digits. */
export function positiveInt(value: string | undefined, flag: Flag, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${flag} must be a whole number from 1 to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

/** A number of seconds, fractions allowed (`0.5`), in (0, max]; returned in milliseconds. */
export function seconds(value: string | undefined, flag: Flag, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0 && n <= max)) throw new UsageError(`--${flag} must be a number of seconds from 0.1 to ${max}, not ${JSON.stringify(value)}`);
  return Math.max(100, Math.round(n * 1000));
}

/** `YYYY-MM-DD`, a real day, at noon UTC. */
export function parseDate(value: string): Date {
  const date = new Date(`${value}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--date must be a date such as 2024-05-01, not ${JSON.stringify(value)}`);
  }
  return date;
}
