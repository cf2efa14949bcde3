/**
 * End-to-end: `linkdex check --links` spawned as a user runs it, against servers on 127.0.0.1.
 * The exit code and the JSON shape are the contract.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinkdex } from './cli-process.js';
import { behaviours, startServer, type TestServer } from './link-servers.js';

const PROBLEM_KEYS = ['severity', 'code', 'message', 'file', 'line'];
const PROBLEM_LINE = /^(\S+):(\d+) (error|warning|info) ([a-z]+(?:-[a-z]+)*) (.+)$/;
const USER_AGENT = /^linkdex-link-checker\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/\)$/;

const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-links-e2e-'));

/** `linkdex …` as a user runs it, sharing the process slots of the other process tests. */
const linkdex = (...args: string[]) => runLinkdex(args);

/** A content folder with one page linking to `links` (title → URL), one per line from line 3. */
function fixture(name: string, links: Record<string, string>): string {
  const folder = path.join(dir, name);
  const lines = ['# Links', '', ...Object.entries(links).map(([title, url]) => `- [${title}](${url}) - about ${title}`)];
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'links.md'), `${lines.join('\n')}\n`);
  return folder;
}

describe.concurrent('linkdex check --links', { timeout: 60_000 }, () => {
  const servers = {} as Record<'ok' | 'moved' | 'notFound' | 'forbidden' | 'rateLimited' | 'hang', TestServer>;
  let dead = '';
  let fine = '';

  beforeAll(async () => {
    for (const name of ['ok', 'moved', 'notFound', 'forbidden', 'rateLimited', 'hang'] as const) {
      servers[name] = await startServer(behaviours[name]);
    }
    dead = fixture('dead', {
      Fine: servers.ok.url('/dead-fixture'),
      Moved: servers.moved.url('/old'),
      Missing: servers.notFound.url('/missing'),
      Blocked: servers.forbidden.url('/'),
      Hanging: servers.hang.url('/'),
    });
    fine = fixture('fine', {
      Fine: servers.ok.url('/fine-fixture'),
      Moved: servers.moved.url('/old-too'),
      Blocked: servers.forbidden.url('/too'),
      Limited: servers.rateLimited.url('/'),
    });
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  // Outside the working directory, a path is shown absolute.
  const shown = (folder: string) => path.join(folder, 'links.md').split(path.sep).join('/');

  it('a dead link: exit 1, every link problem in the JSON report at its file:line', async () => {
    const [json, text] = await Promise.all([
      linkdex('check', '--links', '--allow-private', '--content', dead, '--timeout', '300', '--json'),
      linkdex('check', '--links', '--allow-private', '--content', dead, '--timeout', '300'),
    ]);
    expect(json.status, json.stderr).toBe(1);
    const problems = JSON.parse(json.stdout) as Record<string, unknown>[];
    for (const p of problems) expect(Object.keys(p)).toEqual(PROBLEM_KEYS);
    const file = shown(dead);
    const link = problems.filter((p) => p['file'] === file).map((p) => [p['line'], p['severity'], p['code']]);
    expect(link).toEqual([
      [4, 'warning', 'redirected-link'],
      [5, 'error', 'dead-link'],
      [6, 'info', 'link-unknown'],
      [7, 'warning', 'link-timeout'],
    ]);
    expect(problems).toContainEqual(
      expect.objectContaining({ message: `${servers.moved.url('/old')} ends up at ${servers.moved.url('/final')}; link that instead` }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ message: `${servers.notFound.url('/missing')} is dead: 404 Not Found` }));
    expect(json.stderr).toBe(
      `Checked 5 links: 1 ok, 1 redirected, 1 dead, 1 unknown, 1 timeout.\nRead 1 file with 5 entries from ${dead}. 1 error, 2 warnings, 1 info.\n`,
    );

    expect(text.status).toBe(1);
    const lines = text.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(PROBLEM_LINE);
    expect(lines).toEqual(problems.map((p) => `${p['file']}:${p['line']} ${p['severity']} ${p['code']} ${p['message']}`));

    // HEAD first, GET only after a refused HEAD; the checker says who it is.
    expect(servers.ok.requests.filter((r) => r.path === '/dead-fixture').map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    // Both runs: the 404 on HEAD is confirmed with GET before the link is called dead.
    expect(servers.notFound.requests[0]?.method).toBe('HEAD');
    expect(servers.notFound.requests.map((r) => r.method).sort()).toEqual(['GET', 'GET', 'HEAD', 'HEAD']);
    for (const r of servers.ok.requests) expect(r.userAgent).toMatch(USER_AGENT);
  });

  it('only redirected and unknown links: exit 0', async () => {
    const run = await linkdex('check', '--links', '--allow-private', '--content', fine, '--timeout', '300', '--json');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const codes = (JSON.parse(run.stdout) as { code: string; line: number }[]).map((p) => [p.line, p.code]);
    expect(codes).toEqual([
      [4, 'redirected-link'],
      [5, 'link-unknown'],
      [6, 'link-unknown'],
    ]);
  });

  it('validates --timeout and --concurrency as --limit is, and wants --links for them', async () => {
    const [zero, words, alone] = await Promise.all([
      linkdex('check', '--links', '--timeout', '0'),
      linkdex('check', '--links', '--concurrency', 'many'),
      linkdex('check', '--timeout', '300'),
    ]);
    for (const run of [zero, words, alone]) {
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/\nSee `linkdex --help`\.\n$/);
    }
    expect(zero.stderr).toMatch(/^linkdex: --timeout must be a whole number from 1 to 600000, not "0"\n/);
    expect(words.stderr).toMatch(/^linkdex: --concurrency must be a whole number from 1 to 64, not "many"\n/);
    expect(alone.stderr).toMatch(/^linkdex: --timeout applies to check --links only\n/);
  });
});
