import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commands, findCommand } from '../../commands/index.js';
import { lookupCategory } from '../../commands/category.js';
import { SEARCH_RESULT_LIMIT, searchAnswer } from '../../commands/search.js';
import type { Answer } from '../answers/answer.js';
import { loadCatalog } from '../catalog/load-catalog.js';
import { formatProblem, hasErrors, sortProblems } from '../catalog/problems.js';
import { ContentPathError } from '../catalog/read-files.js';
import type { Entry, Problem } from '../catalog/types.js';
import type { CommandInput } from '../command.js';
import { ConfigError, loadConfig } from '../config.js';
import { Linkdex } from '../linkdex.js';
import { checkLinks, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, linkCheckerUserAgent, type LinkResult } from '../links/check-links.js';
import { linkProblems } from '../links/link-problems.js';
import { renderText } from '../render/text.js';
import { plural } from '../text.js';
import { USAGE } from './usage.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
  /**
   * Where `check --links` writes its progress (no newline added; it redraws one line). Default:
   * the process's stderr when it is a terminal, else nowhere.
   */
  progress?: ((text: string) => void) | undefined;
}

/** Exit codes: 0 done, 1 the content has errors (check), 2 the request could not be answered. */
export const EXIT_OK = 0;
export const EXIT_CONTENT_ERRORS = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

const OPTIONS = {
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
} as const;

/** Which command-specific flags each command accepts; the global ones are accepted everywhere. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  search: ['category', 'limit', 'page'],
  category: ['page'],
  random: ['category', 'today', 'date'],
  export: [],
  check: ['links', 'timeout', 'concurrency'],
};
const GLOBAL_FLAGS = ['content', 'drafts', 'json', 'help', 'version'];

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInt(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${flag} must be a whole number from 1 to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

function parseDate(value: string): Date {
  const date = new Date(`${value}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--date must be a date such as 2024-05-01, not ${JSON.stringify(value)}`);
  }
  return date;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function entryJson(e: Entry) {
  return {
    id: e.id,
    title: e.title,
    url: e.url,
    description: e.description,
    category: e.category,
    section: e.section,
    page: e.page,
    source: { file: e.source.file, line: e.source.line },
  };
}

function problemJson(p: Problem) {
  return { severity: p.severity, code: p.code, message: p.message, file: p.file, line: p.line };
}

function summary(problems: readonly Problem[]): string {
  const count = (s: Problem['severity']) => problems.filter((p) => p.severity === s).length;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
}

/** Turns an answer that is not a result (unknown category, nothing found) into exit code 2. */
function answerExit(answer: Answer): number {
  return answer.kind === 'notice' ? EXIT_USAGE : EXIT_OK;
}

function withPageHint(text: string, answer: Answer): string {
  if ((answer.kind === 'links' || answer.kind === 'categories') && answer.page < answer.pageCount) {
    return `${text}\nMore: --page ${answer.page + 1}`;
  }
  return text;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`linkdex: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError || error instanceof ContentPathError) {
      io.stderr(`linkdex: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.version) {
    io.stdout(version());
    return EXIT_OK;
  }
  const [name, ...args] = positionals;
  if (values.help || name === undefined || name === 'help') {
    (name === undefined && !values.help ? io.stderr : io.stdout)(USAGE);
    return name === undefined && !values.help ? EXIT_USAGE : EXIT_OK;
  }
  const allowed = COMMAND_FLAGS[name];
  if (!allowed) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  for (const flag of Object.keys(values)) {
    if (!GLOBAL_FLAGS.includes(flag) && !allowed.includes(flag)) throw new UsageError(`--${flag} does not apply to ${name}`);
  }

  const linkOptions = name === 'check' ? checkLinkOptions(values) : undefined;

  const config = loadConfig(io.env, io.cwd);
  const catalog = await loadCatalog(
    values.content ?? config.contentDir,
    {
      includeDrafts: values.drafts === true || config.includeDrafts,
      cacheDir: '.cache',
      budget: { timeoutMs: config.parseTimeoutMs, memoryMb: config.parseMemoryMb },
    },
    io.cwd,
  );
  const linkdex = new Linkdex(catalog);
  const ctx = { linkdex, now: io.now(), commands };

  switch (name) {
    case 'check':
      return check(
        linkOptions ? [...catalog.problems, ...(await linkCheck(catalog.entries, linkOptions, io))] : catalog.problems,
        values,
        io,
      );
    case 'export':
      io.stdout(
        values.json
          ? json(catalog.entries.map(entryJson))
          : catalog.entries.map((e) => [e.id, e.title, e.url, e.category].join('\t')).join('\n'),
      );
      return EXIT_OK;
    case 'search':
      return searchCommand(args, values, io, ctx);
    case 'category':
      return categoryCommand(args, values, io, ctx);
    default:
      return randomCommand(args, values, io, ctx);
  }
}

type Ctx = { linkdex: Linkdex; now: Date; commands: typeof commands };

function runCommand(commandName: string, input: CommandInput, page: number, ctx: Ctx): Answer {
  const command = findCommand(commandName);
  if (!command) throw new Error(`command ${commandName} is not registered`);
  return command.run(ctx, input, page);
}

interface LinkCheckFlags {
  timeoutMs: number;
  concurrency: number;
}

/** `--timeout` and `--concurrency` only mean something with `--links`; undefined without `--links`. */
function checkLinkOptions(values: Values): LinkCheckFlags | undefined {
  if (!values.links) {
    const stray = values.timeout !== undefined ? 'timeout' : values.concurrency !== undefined ? 'concurrency' : undefined;
    if (stray) throw new UsageError(`--${stray} applies to check --links only`);
    return undefined;
  }
  return {
    timeoutMs: positiveInt(values.timeout, 'timeout', 600_000) ?? DEFAULT_TIMEOUT_MS,
    concurrency: positiveInt(values.concurrency, 'concurrency', 64) ?? DEFAULT_CONCURRENCY,
  };
}

function linkSummary(results: readonly LinkResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${outcome}`);
  return `Checked ${plural(results.length, 'link')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

async function linkCheck(entries: readonly Entry[], flags: LinkCheckFlags, io: CliIo): Promise<Problem[]> {
  const progress = io.progress ?? (process.stderr.isTTY ? (text: string) => process.stderr.write(text) : undefined);
  const results = await checkLinks(entries, {
    timeoutMs: flags.timeoutMs,
    concurrency: flags.concurrency,
    userAgent: linkCheckerUserAgent(version()),
    ...(progress ? { onProgress: (done: number, total: number) => progress(`\rChecking links: ${done}/${total}`) } : {}),
  });
  if (progress && results.length > 0) progress('\r\x1b[K');
  io.stderr(linkSummary(results));
  return linkProblems(results);
}

function check(unsorted: readonly Problem[], values: Values, io: CliIo): number {
  const problems = sortProblems(unsorted);
  if (values.json) io.stdout(json(problems.map(problemJson)));
  else if (problems.length > 0) io.stdout(problems.map(formatProblem).join('\n'));
  io.stderr(problems.length === 0 ? 'No problems found.' : summary(problems));
  return hasErrors(problems) ? EXIT_CONTENT_ERRORS : EXIT_OK;
}

function searchCommand(args: string[], values: Values, io: CliIo, ctx: Ctx): number {
  const query = args.join(' ').trim();
  if (query === '') throw new UsageError('search needs a query, for example: linkdex search kafka');
  const limit = positiveInt(values.limit, 'limit', 1000);
  const page = positiveInt(values.page, 'page', 10_000) ?? 1;
  if (values.json) {
    const result = ctx.linkdex.search(query, {
      ...(values.category ? { category: values.category } : {}),
      limit: limit ?? SEARCH_RESULT_LIMIT,
    });
    if (!result.ok) {
      io.stdout(json({ query, hits: [], suggestions: result.suggestions }));
      io.stderr(`linkdex: no category matches ${JSON.stringify(result.unknownCategory)}`);
      return EXIT_USAGE;
    }
    const { hits, suggestions } = result.value;
    io.stdout(json({ query: result.value.query, hits: hits.map(entryJson), suggestions }));
    return hits.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  const answer = searchAnswer(ctx.linkdex, query, values.category, page, limit);
  (answer.kind === 'notice' ? io.stderr : io.stdout)(withPageHint(renderText(answer), answer));
  return answerExit(answer);
}

function categoryCommand(args: string[], values: Values, io: CliIo, ctx: Ctx): number {
  const name = args.join(' ').trim();
  const page = positiveInt(values.page, 'page', 10_000) ?? 1;
  if (values.json) {
    const found = lookupCategory(ctx.linkdex, name);
    if (found.kind === 'unknown') {
      const hint = found.suggestions.length > 0 ? `; did you mean: ${found.suggestions.join(', ')}` : '';
      io.stderr(`linkdex: no category matches ${JSON.stringify(name)}${hint}`);
      return EXIT_USAGE;
    }
    io.stdout(
      json(
        found.kind === 'list'
          ? found.items.map((c) => ({ name: c.name, count: c.count }))
          : { name: found.category.name, entries: found.category.entries.map(entryJson) },
      ),
    );
    return EXIT_OK;
  }
  const answer = runCommand('category', name === '' ? {} : { name }, page, ctx);
  (answer.kind === 'notice' ? io.stderr : io.stdout)(withPageHint(renderText(answer), answer));
  return answerExit(answer);
}

function randomCommand(args: string[], values: Values, io: CliIo, ctx: Ctx): number {
  if (args.length > 0) throw new UsageError(`random takes no words; use --category ${JSON.stringify(args.join(' '))}`);
  const date = values.date === undefined ? undefined : parseDate(values.date);
  const today = values.today === true || date !== undefined;
  const category = values.category;
  const answer = runCommand('random', { ...(category ? { category } : {}), today }, 1, { ...ctx, now: date ?? ctx.now });
  if (values.json && answer.kind === 'link') {
    io.stdout(json(entryJson(answer.entry)));
    return EXIT_OK;
  }
  (answer.kind === 'notice' ? io.stderr : io.stdout)(renderText(answer));
  return answerExit(answer);
}
