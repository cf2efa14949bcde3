import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commands as registry } from '../commands/index.js';
import type { Answer, MessageAnswer, NoticeAnswer } from '../answers/answer.js';
import { exitCodeOf } from '../answers/outcomes.js';
import { loadCatalog } from '../catalog/load-catalog.js';
import { emptyCatalogProblem } from '../catalog/check-catalog.js';
import { formatProblem, hasErrors, sortProblems } from '../catalog/problems.js';
import { ContentPathError, displayPath, findMarkdownFiles } from '../catalog/read-files.js';
import type { Catalog, Entry, Problem } from '../catalog/types.js';
import { OPERATOR, type AnyCommand, type CommandContext, type CommandInput, type Listing } from '../commands/command.js';
import { ConfigError, loadConfig, SHIPPED_CONTENT_DIR } from '../config.js';
import { Linkdex } from '../linkdex.js';
import { silentLogger } from '../logger.js';
import {
  checkLinks,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  formatDuration,
  linkCheckerUserAgent,
  type LinkCheck,
} from '../links/check-links.js';
import { linkProblems } from '../links/link-problems.js';
import { entryJson, renderJson } from '../render/json.js';
import { outsideDiscord } from '../render/outside-discord.js';
import { renderText } from '../render/text.js';
import { packageRoot } from '../package-root.js';
import { plural } from '../text.js';
import { parseCliArgs, parseDate, positiveInt, seconds, UsageError, type Values } from './parse-args.js';
import { stateCommand } from './state-command.js';
import { terminalJson, terminalText } from './terminal-text.js';
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
  /** The commands that answer search, category and random; the registry unless a test brings its own. */
  commands?: readonly AnyCommand[];
}

/** Exit codes: 0 done, 1 the content has errors (check), 2 the request could not be answered. */
export const EXIT_OK = 0;
export const EXIT_CONTENT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** The second line of every usage error: where the whole usage is, rather than all of it. */
export const SEE_HELP = 'See `linkdex --help`.';

/** `check --links` stops after this long overall unless `--max-time` says otherwise. */
export const DEFAULT_MAX_TIME_MS = 600_000;

/** Which command-specific flags each command accepts; the global ones are accepted everywhere. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  search: ['category', 'limit', 'page'],
  category: ['page'],
  random: ['category', 'today', 'date'],
  export: [],
  check: ['links', 'timeout', 'concurrency', 'max-time', 'allow-private'],
  state: ['out'],
};
const GLOBAL_FLAGS = ['content', 'drafts', 'json', 'help', 'version'];
/** Flags that mean something only beside `check --links`. */
const LINK_FLAGS = ['timeout', 'concurrency', 'max-time', 'allow-private'] as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function json(value: unknown): string {
  return terminalJson(value);
}

function problemJson(p: Problem) {
  return { severity: p.severity, code: p.code, message: p.message, file: p.file, line: p.line };
}

function summary(problems: readonly Problem[]): string {
  const count = (s: Problem['severity']) => problems.filter((p) => p.severity === s).length;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
}

/** Refuses a page past the last, rather than quietly showing the last one. */
function checkPage(requested: number, answer: Answer): void {
  if (answer.kind !== 'links' && answer.kind !== 'categories') return;
  if (requested <= answer.pageCount) return;
  const noun = answer.kind === 'links' ? plural(answer.total, answer.noun) : plural(answer.total, 'category', 'categories');
  throw new UsageError(`--page ${requested} is past the end: ${noun} fit on ${plural(answer.pageCount, 'page')}`);
}

function withPageHint(text: string, answer: Answer): string {
  if ((answer.kind === 'links' || answer.kind === 'categories') && answer.page < answer.pageCount) {
    return `${text}\nMore: --page ${answer.page + 1}`;
  }
  return text;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Everything printed passes here: nothing taken from a file can drive the terminal.
  const safe: CliIo = { ...io, stdout: (text) => io.stdout(terminalText(text)), stderr: (text) => io.stderr(terminalText(text)) };
  try {
    return await run(argv, safe);
  } catch (error) {
    if (error instanceof UsageError) {
      safe.stderr(`linkdex: ${error.message}\n${SEE_HELP}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError || error instanceof ContentPathError) {
      safe.stderr(`linkdex: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCliArgs(argv);
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
    // The state commands read no catalog, and write JSON whatever is asked.
    const global = GLOBAL_FLAGS.includes(flag) && (name !== 'state' || flag === 'help' || flag === 'version');
    if (!global && !allowed.includes(flag)) throw new UsageError(`--${flag} does not apply to ${name}`);
  }
  if (name === 'state') return stateCommand(args, values, loadConfig(io.env, io.cwd), io);
  if (values.json && values.page !== undefined) {
    const instead = name === 'search' ? '; use --limit for fewer' : '';
    throw new UsageError(`--page does not go with --json, which prints every result at once${instead}`);
  }

  const linkOptions = name === 'check' ? checkLinkOptions(values) : undefined;

  const config = loadConfig(io.env, io.cwd);
  const contentPath = path.resolve(io.cwd, values.content ?? config.contentDir);
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
  const commands = io.commands ?? registry;
  const ctx: CommandContext = { linkdex, now: io.now(), commands, services: { logger: silentLogger() }, ...OPERATOR };

  switch (name) {
    case 'check':
      return check(contentPath, catalog, linkOptions, values, io);
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

type Ctx = CommandContext;

/** A command's answer, as the command line shows it: an acknowledgement's follow-up, a form as a notice. */
async function runCommand(commandName: string, input: CommandInput, page: number, ctx: Ctx): Promise<MessageAnswer> {
  const command = ctx.commands.find((c) => c.name === commandName);
  if (!command) throw new Error(`command ${commandName} is not registered`);
  return outsideDiscord(await command.run(ctx, input, page));
}

interface LinkCheckFlags {
  timeoutMs: number;
  concurrency: number;
  maxTimeMs: number;
  allowPrivate: boolean;
}

/** The link flags only mean something with `--links`; undefined without `--links`. */
function checkLinkOptions(values: Values): LinkCheckFlags | undefined {
  if (!values.links) {
    const stray = LINK_FLAGS.find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} applies to check --links only`);
    return undefined;
  }
  return {
    timeoutMs: positiveInt(values.timeout, 'timeout', 600_000) ?? DEFAULT_TIMEOUT_MS,
    concurrency: positiveInt(values.concurrency, 'concurrency', 64) ?? DEFAULT_CONCURRENCY,
    maxTimeMs: seconds(values['max-time'], 'max-time', 86_400) ?? DEFAULT_MAX_TIME_MS,
    allowPrivate: values['allow-private'] === true,
  };
}

function linkSummary(check: LinkCheck): string {
  const counts = new Map<string, number>();
  for (const r of check.results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, n]) => `${n} ${outcome}`);
  const of = check.results.length < check.total ? ` of ${check.total}` : '';
  return `Checked ${check.results.length}${of} ${check.total === 1 ? 'link' : 'links'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

async function linkCheck(entries: readonly Entry[], flags: LinkCheckFlags, io: CliIo): Promise<LinkCheck> {
  const progress = io.progress ?? (process.stderr.isTTY ? (text: string) => process.stderr.write(text) : undefined);
  const result = await checkLinks(entries, {
    timeoutMs: flags.timeoutMs,
    concurrency: flags.concurrency,
    maxTimeMs: flags.maxTimeMs,
    allowPrivate: flags.allowPrivate,
    userAgent: linkCheckerUserAgent(version()),
    ...(progress ? { onProgress: (done: number, total: number) => progress(`\rChecking links: ${done}/${total}`) } : {}),
  });
  if (progress && result.results.length > 0) progress('\r\x1b[K');
  return result;
}

/** One line for a network that is not there: why we think so, and that no link was judged. */
function offlineLine(stop: { hosts: number; codes: Record<string, number> }): string {
  const how = Object.entries(stop.codes)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return `linkdex: the network looks unreachable: ${plural(stop.hosts, 'host')} tried, none answered (${how}); no link was checked`;
}

/** For the shipped catalog only: its problems are the upstream list's, which a newcomer did not write. */
const SHIPPED_NOTE =
  'Note: the shipped catalog is the upstream list as published, with its own mistakes; check finds them as it would in yours. ' +
  'Links with errors are not served; the rest are. Use --content or CONTENT_DIR for your own list.';

async function check(
  contentPath: string,
  catalog: Catalog,
  linkFlags: LinkCheckFlags | undefined,
  values: Values,
  io: CliIo,
): Promise<number> {
  const where = displayPath(contentPath, io.cwd);
  const files = (await findMarkdownFiles(contentPath)).length;
  const found = [...catalog.problems];
  if (catalog.entries.length === 0) found.push(emptyCatalogProblem(where, files));

  const links = linkFlags ? await linkCheck(catalog.entries, linkFlags, io) : undefined;
  const offline = links?.stopped?.reason === 'offline' ? links.stopped : undefined;
  if (links && !offline) found.push(...linkProblems(links.results));

  const problems = sortProblems(found);
  if (values.json) io.stdout(json(problems.map(problemJson)));
  else if (problems.length > 0) io.stdout(problems.map(formatProblem).join('\n'));

  const read = `Read ${plural(files, 'file')} with ${plural(catalog.entries.length, 'entry', 'entries')} from ${where}.`;
  if (links && !offline) io.stderr(linkSummary(links));
  io.stderr(`${read} ${problems.length === 0 ? 'No problems found.' : `${summary(problems)}.`}`);
  if (contentPath === SHIPPED_CONTENT_DIR && problems.length > 0) io.stderr(SHIPPED_NOTE);
  if (offline) {
    io.stderr(offlineLine(offline));
    return EXIT_USAGE;
  }
  const unfinished = links?.stopped?.reason === 'max-time' ? links.stopped : undefined;
  if (links && unfinished) {
    const left = links.total - links.results.length;
    io.stderr(`linkdex: --max-time ${formatDuration(unfinished.maxTimeMs)} reached; ${left} of ${plural(links.total, 'link')} not checked`);
  }
  // A dead link found is worth exit 1 even in an unfinished check; otherwise unfinished is not "fine".
  if (hasErrors(problems)) return EXIT_CONTENT_ERRORS;
  return unfinished ? EXIT_USAGE : EXIT_OK;
}

/** The notices that mean a category name found none: `--json` says so in one line on stderr. */
function isCategoryMiss(answer: NoticeAnswer): boolean {
  return answer.code === 'unknown-category' || answer.code === 'ambiguous-category';
}

/**
 * Prints an answer as text, or with `--json` as data (`render/json.ts`); a notice goes to stderr
 * (with `--json`, as `jsonNotice`'s line when it gives one). Returns the answer's exit code.
 */
function print(
  answer: MessageAnswer,
  page: number,
  values: Values,
  io: CliIo,
  jsonNotice?: (notice: NoticeAnswer) => string | undefined,
): number {
  if (values.json) {
    const data = renderJson(answer);
    if (data !== undefined) io.stdout(json(data));
    if (answer.kind === 'notice') {
      const line = jsonNotice?.(answer);
      if (line !== undefined) io.stderr(line);
      else if (data === undefined) io.stderr(renderText(answer));
    }
    return exitCodeOf(answer);
  }
  checkPage(page, answer);
  (answer.kind === 'notice' ? io.stderr : io.stdout)(withPageHint(renderText(answer), answer));
  return exitCodeOf(answer);
}

async function searchCommand(args: string[], values: Values, io: CliIo, ctx: Ctx): Promise<number> {
  const query = args.join(' ').trim();
  if (query === '') throw new UsageError('search needs a query, for example: linkdex search kafka');
  const limit = positiveInt(values.limit, 'limit', 1000);
  const page = positiveInt(values.page, 'page', 10_000) ?? 1;
  // --json prints every result (up to --limit) at once: one page of them all.
  const listing: Listing = { ...(limit !== undefined ? { limit } : {}), ...(values.json ? { pageSize: Infinity } : {}) };
  const category = values.category;
  const answer = await runCommand('search', { query, ...(category ? { category } : {}) }, page, { ...ctx, listing });
  return print(answer, page, values, io, (notice) =>
    isCategoryMiss(notice) ? `linkdex: no category matches ${JSON.stringify(category)}` : undefined,
  );
}

async function categoryCommand(args: string[], values: Values, io: CliIo, ctx: Ctx): Promise<number> {
  const name = args.join(' ').trim();
  const page = positiveInt(values.page, 'page', 10_000) ?? 1;
  const listing: Listing = values.json ? { pageSize: Infinity } : {};
  const answer = await runCommand('category', name === '' ? {} : { name }, page, { ...ctx, listing });
  return print(answer, page, values, io, (notice) => {
    if (!isCategoryMiss(notice)) return undefined;
    const hint = notice.suggestions.length > 0 ? `; did you mean: ${notice.suggestions.join(', ')}` : '';
    return `linkdex: no category matches ${JSON.stringify(name)}${hint}`;
  });
}

async function randomCommand(args: string[], values: Values, io: CliIo, ctx: Ctx): Promise<number> {
  if (args.length > 0) throw new UsageError(`random takes no words; use --category ${JSON.stringify(args.join(' '))}`);
  if (values.today && values.date !== undefined) {
    throw new UsageError('--today and --date do not go together: --date alone gives the link of that day');
  }
  const date = values.date === undefined ? undefined : parseDate(values.date);
  const today = values.today === true || date !== undefined;
  const category = values.category;
  const answer = await runCommand('random', { ...(category ? { category } : {}), today }, 1, { ...ctx, now: date ?? ctx.now });
  return print(answer, 1, values, io);
}
