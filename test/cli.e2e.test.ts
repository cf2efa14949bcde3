/**
 * End-to-end: the real `linkdex` command line and `npm start` console, spawned as a user runs
 * them after `npm install`, from the repository root. Exit codes and JSON shapes are the contract.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Entry } from '../src/catalog/types.js';
import { withSlot } from './cli-process.js';
import { nodeArgs } from './processes.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const CLEAN_FIXTURE = 'test/fixtures/cli/clean.md';
const SEED_ENTRIES = 233;
const SEED_CATEGORIES = 23;
const ENTRY_KEYS = ['id', 'title', 'url', 'description', 'category', 'section', 'page', 'source'];
const PROBLEM_KEYS = ['severity', 'code', 'message', 'file', 'line'];
const SPAWN_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 60_000;

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** A home of its own, so the console's history file never lands in the developer's real home. */
const home = mkdtempSync(path.join(os.tmpdir(), 'linkdex-e2e-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/**
 * The user's environment without linkdex configuration. The variables are set empty rather than
 * removed: config treats empty as unset, and dotenv never overrides a variable that exists, so a
 * developer's own `.env` (a real DISCORD_TOKEN, another CONTENT_DIR) cannot leak into the tests.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key.startsWith('VITEST') || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    USERPROFILE: home,
    DISCORD_TOKEN: '',
    CONTENT_DIR: '',
    INCLUDE_DRAFTS: '',
    LOG_LEVEL: '',
    MODE: '',
    NO_COLOR: '1',
  };
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnNode(args: string[], options: { input?: string; closeStdout?: boolean } = {}): Promise<Run> {
  return withSlot(() => spawnNow(args, options));
}

function spawnNow(args: string[], options: { input?: string; closeStdout?: boolean }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: cleanEnv(), timeout: SPAWN_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Like `linkdex … | head -1`: the reader goes away before the output is written.
    if (options.closeStdout) child.stdout.destroy();
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** `npx linkdex …` / `node bin/linkdex.js …`. */
function linkdex(...args: string[]): Promise<Run> {
  return spawnNode(['bin/linkdex.js', ...args]);
}

function parseJson(run: Run): unknown {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.status}):\n${run.stdout.slice(0, 500)}\nstderr:\n${run.stderr.slice(0, 500)}`);
  }
}

/** An entry as `--json` prints it: the catalog's own shape. */
type JsonEntry = Entry;

/** Exactly the documented entry shape: no key more, no key less, every type right. */
function expectEntry(value: unknown): JsonEntry {
  expect(value).toBeTypeOf('object');
  const e = value as JsonEntry;
  expect(Object.keys(e)).toEqual(ENTRY_KEYS);
  expect(e.id).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(e.title).toBeTypeOf('string');
  expect(e.title.length).toBeGreaterThan(0);
  expect(e.url).toMatch(/^https?:\/\//i);
  expect(e.description).toBeTypeOf('string');
  expect(e.category).toBeTypeOf('string');
  expect(Array.isArray(e.section)).toBe(true);
  for (const s of e.section) expect(s).toBeTypeOf('string');
  expect(e.page).toBeTypeOf('string');
  expect(Object.keys(e.source)).toEqual(['file', 'line']);
  expect(e.source.file).toBeTypeOf('string');
  expect(Number.isInteger(e.source.line) && e.source.line >= 1).toBe(true);
  return e;
}

/** clig.dev: one line that says what is wrong, then where the usage is; not the whole usage. */
function expectUsageError(run: Run, label: string): void {
  expect(run.status, `${label}: exit code; stderr: ${run.stderr}`).toBe(2);
  expect(run.stdout, `${label}: nothing on stdout`).toBe('');
  expect(run.stderr, `${label}: one line, then the pointer to --help`).toMatch(/^linkdex: [^\n]+\nSee `linkdex --help`\.\n$/);
}

const PROBLEM_LINE = /^(\S+):(\d+) (error|warning|info) ([a-z]+(?:-[a-z]+)*) (.+)$/;

describe.concurrent('linkdex command line', { timeout: TEST_TIMEOUT_MS }, () => {
  it('search --json: exit 0, {query, hits, suggestions} with exact entry shapes, Kafka first', async () => {
    const [kafka, limited, badCategory] = await Promise.all([
      linkdex('search', 'kafka', '--json'),
      linkdex('search', 'kafka', '--json', '-n', '2'),
      linkdex('search', 'kafka', '--json', '--category', 'nosuchcategory'),
    ]);

    expect(kafka.status, kafka.stderr).toBe(0);
    expect(kafka.stderr).toBe('');
    const body = parseJson(kafka) as { query: string; hits: unknown[]; suggestions: unknown[] };
    expect(Object.keys(body)).toEqual(['query', 'hits', 'suggestions']);
    expect(body.query).toBe('kafka');
    expect(body.suggestions).toEqual([]);
    expect(body.hits.length).toBeGreaterThan(0);
    const hits = body.hits.map(expectEntry);
    expect(hits[0]?.title).toContain('Kafka');
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
    for (const h of hits) expect(h.source.file).toBe('content/programming.md');

    expect(limited.status).toBe(0);
    expect((parseJson(limited) as { hits: unknown[] }).hits).toEqual(body.hits.slice(0, 2));

    expect(badCategory.status).toBe(2);
    expect(parseJson(badCategory)).toEqual({ query: 'kafka', hits: [], suggestions: [] });
    expect(badCategory.stderr).toBe('linkdex: no category matches "nosuchcategory"\n');
  });

  it('search with no hits exits 2, in JSON and in text', async () => {
    const [json, text] = await Promise.all([linkdex('search', 'zzqxv', '--json'), linkdex('search', 'zzqxv')]);
    expect(json.status).toBe(2);
    expect(parseJson(json)).toEqual({ query: 'zzqxv', hits: [], suggestions: [] });

    expect(text.status).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe('No results: Nothing matches “zzqxv”.\n');
  });

  it('category: the list, one category, a fuzzy name and an unknown name', async () => {
    const [list, one, devops, unknown, nope] = await Promise.all([
      linkdex('category', '--json'),
      linkdex('category', 'Observability', '--json'),
      linkdex('category', 'devops'),
      linkdex('category', 'architecture'),
      linkdex('random', '--category', 'nope'),
    ]);

    expect(list.status, list.stderr).toBe(0);
    const categories = parseJson(list) as { name: string; count: number }[];
    expect(categories).toHaveLength(SEED_CATEGORIES);
    for (const c of categories) {
      expect(Object.keys(c)).toEqual(['name', 'count']);
      expect(c.name).toBeTypeOf('string');
      expect(Number.isInteger(c.count) && c.count >= 1).toBe(true);
    }
    expect(new Set(categories.map((c) => c.name)).size).toBe(SEED_CATEGORIES);
    expect(categories.reduce((n, c) => n + c.count, 0)).toBe(SEED_ENTRIES);

    expect(one.status, one.stderr).toBe(0);
    const observability = parseJson(one) as { name: string; entries: unknown[] };
    expect(Object.keys(observability)).toEqual(['name', 'entries']);
    expect(observability.name).toBe('Observability');
    expect(observability.entries).toHaveLength(categories.find((c) => c.name === 'Observability')?.count ?? -1);
    for (const e of observability.entries.map(expectEntry)) expect(e.category).toBe('Observability');

    expect(devops.status, devops.stderr).toBe(0);
    expect(devops.stdout.split('\n')[0]).toBe('Devops/Monitoring');

    // Three categories fit "architecture" equally well: no guess, suggestions instead.
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('Ambiguous category: “architecture” matches more than one category');
    expect(unknown.stderr).toMatch(/Did you mean: .*Books on Architecture,Design.*Real world Architectures/);

    // A far-off name finds no category (it once found "Open source Pipelining, workflows"): exit 2, and the list.
    expect(nope.status).toBe(2);
    expect(nope.stdout).toBe('');
    expect(nope.stderr).toMatch(
      /^Unknown category: No such category “nope”\. The categories are: Architectural Case studies · .* · C, C\+\+\.\n$/,
    );
  });

  it('random: one entry; the link of a day is stable and changes from day to day', async () => {
    const days = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'];
    const [any, again, badDate, ...daily] = await Promise.all([
      linkdex('random', '--json'),
      linkdex('random', '--date', '2026-01-01', '--json'),
      linkdex('random', '--date', '2026-13-45'),
      ...days.map((d) => linkdex('random', '--date', d, '--json')),
    ]);

    expect(any.status, any.stderr).toBe(0);
    expectEntry(parseJson(any));

    const picks = daily.map((run) => {
      expect(run.status, run.stderr).toBe(0);
      return expectEntry(parseJson(run));
    });
    expect(expectEntry(parseJson(again))).toEqual(picks[0]);
    expect(picks.slice(1).some((p) => p.id !== picks[0]?.id)).toBe(true);
    // pickDaily promises more: two days in a row never show the same link.
    for (let i = 1; i < picks.length; i++) expect(picks[i]?.id, `${days[i - 1]} and ${days[i]}`).not.toBe(picks[i - 1]?.id);

    expectUsageError(badDate, 'random --date 2026-13-45');
    expect(badDate.stderr).toContain('--date must be a date such as 2024-05-01, not "2026-13-45"');
  });

  it('export --json: every entry, unique ids', async () => {
    const run = await linkdex('export', '--json');
    expect(run.status, run.stderr).toBe(0);
    const entries = (parseJson(run) as unknown[]).map(expectEntry);
    expect(entries).toHaveLength(SEED_ENTRIES);
    expect(new Set(entries.map((e) => e.id)).size).toBe(SEED_ENTRIES);
  });

  it('check: the shipped content has an error (exit 1); a clean file has none (exit 0)', async () => {
    const [text, json, clean] = await Promise.all([
      linkdex('check'),
      linkdex('check', '--json'),
      linkdex('check', '--content', CLEAN_FIXTURE),
    ]);

    expect(text.status, text.stderr).toBe(1);
    const lines = text.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(PROBLEM_LINE);
    expect(lines.some((l) => l.startsWith('content/programming.md:60 error invalid-url '))).toBe(true);
    expect(text.stderr).toMatch(/^Read 1 file with 233 entries from content\. 1 error, \d+ warnings?, \d+ info\.\n/);
    // The one error is upstream's (https://gUnleash/unleash): the output says so where a newcomer meets it.
    expect(text.stderr).toContain('\nNote: the shipped catalog is the upstream list as published, with its own mistakes;');

    expect(json.status).toBe(1);
    const problems = parseJson(json) as Record<string, unknown>[];
    for (const p of problems) {
      expect(Object.keys(p)).toEqual(PROBLEM_KEYS);
      expect(['error', 'warning', 'info']).toContain(p['severity']);
      expect(Number.isInteger(p['line'])).toBe(true);
    }
    expect(problems).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'invalid-url', file: 'content/programming.md', line: 60 }),
    );
    // The text report is the JSON report, one problem a line, in the same order.
    expect(lines).toEqual(problems.map((p) => `${p['file']}:${p['line']} ${p['severity']} ${p['code']} ${p['message']}`));

    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toBe('');
    expect(clean.stderr).toBe('Read 1 file with 5 entries from test/fixtures/cli/clean.md. No problems found.\n');
  });

  it('bad usage prints the usage on stderr and exits 2; --help and --version exit 0', async () => {
    const bad: string[][] = [['--bogus'], ['search', 'kafka', '--today'], ['search', 'kafka', '--limit', '0'], ['random', 'kafka']];
    const [help, version, bare, ...runs] = await Promise.all([
      linkdex('--help'),
      linkdex('--version'),
      linkdex(),
      ...bad.map((args) => linkdex(...args)),
    ]);
    runs.forEach((run, i) => expectUsageError(run, `linkdex ${bad[i]?.join(' ')}`));
    expect(runs[0]?.stderr).toMatch(/^linkdex: unknown option --bogus\n/);
    expect(runs[1]?.stderr).toMatch(/^linkdex: --today does not apply to search\n/);
    expect(runs[2]?.stderr).toMatch(/^linkdex: --limit must be a whole number from 1 to 1000, not "0"\n/);
    // No command at all: the usage is the answer.
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: linkdex/);

    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: linkdex <command> \[options\]/);
    expect(help.stderr).toBe('');
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`${pkg.version}\n`);
    expect(version.stderr).toBe('');
  });

  it('--content pointing nowhere exits 2 with a clear message and no stack trace', async () => {
    const run = await linkdex('--content', 'test/fixtures/cli/does-not-exist', 'search', 'kafka');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('linkdex: cannot read content at test/fixtures/cli/does-not-exist: no such file or folder\n');
  });

  it('npm start without DISCORD_TOKEN opens the console, answers piped commands and exits 0', async () => {
    const run = await spawnNode(nodeArgs('src/main.ts'), { input: '/search kafka\n/category\nn\n/random today\n/quit\n' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const out = run.stdout;
    expect(out).toContain(`linkdex console: ${SEED_ENTRIES} links in ${SEED_CATEGORIES} categories`);
    expect(out).toContain('No DISCORD_TOKEN is set, so this is the local console.');
    expect(out).toContain('Search: “kafka”');
    expect(out).toMatch(/https?:\/\/\S*kafka/i);
    // The categories list, with counts; `n` then turns its page, or says there is no other.
    expect(out).toMatch(/\nlinkdex> Categories\n/);
    expect(out).toMatch(/^ +49 {2}Observability$/m);
    expect(out).toMatch(/^ +24 {2}Devops\/Monitoring$/m);
    expect(out).toMatch(/linkdex> (Categories\n[\s\S]*?Page 2\/|Already on the last page\.)/);
    expect(out).toMatch(/📅 Link of the day · \d{4}-\d{2}-\d{2}/);
    expect(out.trimEnd().endsWith('linkdex> Bye.')).toBe(true);
  });
});

/**
 * Defects found while writing these tests. Each asserts what the documentation or the other
 * output mode promises; see the report that came with this file.
 */
describe.concurrent('linkdex command line: known defects', { timeout: TEST_TIMEOUT_MS }, () => {
  it('the category list says "23 categories", not "23 categorys"', async () => {
    const run = await linkdex('category');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('categorys');
    expect(run.stdout).toContain(`${SEED_CATEGORIES} categories`);
  });

  it('search --json returns as many hits as the documented default --limit (100), as the text output does', async () => {
    // `search e` matches 232 entries; the text output says "Page 1/10 · 100 results".
    const run = await linkdex('search', 'e', '--json');
    expect(run.status).toBe(0);
    expect((parseJson(run) as { hits: unknown[] }).hits).toHaveLength(100);
  });

  it('category all --json lists every category, as `category all` does', async () => {
    const run = await linkdex('category', 'all', '--json');
    expect(run.status, run.stderr).toBe(0);
    const categories = parseJson(run) as { name: string; count: number }[];
    expect(categories).toHaveLength(SEED_CATEGORIES);
    expect(categories.reduce((n, c) => n + c.count, 0)).toBe(SEED_ENTRIES);
  });

  it('a closed stdout (linkdex export --json | head -1) ends quietly, without an EPIPE stack trace or exit code 1', async () => {
    const run = await spawnNode(['bin/linkdex.js', 'export', '--json'], { closeStdout: true });
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|\n\s+at /);
    // Exit code 1 means "check found an error in the content".
    expect(run.status).not.toBe(1);
  });
});
