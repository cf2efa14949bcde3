/**
 * `linkdex check` as a user runs it: an empty catalog is an error that says what was read
 * (issue 12 item 9), paths outside the working directory are shown absolute (item 14), the
 * shipped catalog's own error is explained (item 11), and nothing from a file reaches the
 * terminal as a control sequence (issue 13 item 6).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayPath } from '../src/catalog/read-files.js';
import { runLinkdex } from './cli-process.js';
import { repoRoot } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-check-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const at = path.join(dir, name);
  mkdirSync(at);
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(at, file), text);
  return at;
}

/** What a terminal would act on: C0 but tab and newline, DEL, C1, bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('displayPath', () => {
  it('is relative inside the working directory and absolute outside it, never ../', () => {
    expect(displayPath('/work/repo/content/a.md', '/work/repo')).toBe('content/a.md');
    expect(displayPath('/tmp/lists/a.md', '/work/repo')).toBe('/tmp/lists/a.md');
    expect(displayPath('/work/repo-other/a.md', '/work/repo')).toBe('/work/repo-other/a.md');
    expect(displayPath('/work/repo/..notes/a.md', '/work/repo')).toBe('..notes/a.md');
    expect(displayPath('/work/repo', '/work/repo')).toBe('repo');
  });
});

describe.concurrent('linkdex check', { timeout: 60_000 }, () => {
  it('an empty folder, or one without .md files: exit 1, the path, and what was read', async () => {
    const empty = folder('empty', {});
    const noMarkdown = folder('no-markdown', { 'notes.txt': 'links go here\n', 'README.markdown': '- [A](https://a.example/)\n' });
    const [a, b, json] = await Promise.all([
      runLinkdex(['check', '--content', empty]),
      runLinkdex(['check', '--content', noMarkdown]),
      runLinkdex(['check', '--content', empty, '--json']),
    ]);
    for (const [run, at] of [
      [a, empty],
      [b, noMarkdown],
    ] as const) {
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
        status: 1,
        stdout: `${at}:1 error empty-catalog the catalog is empty: no .md file is here, so there is nothing to serve\n`,
        stderr: `Read 0 files with 0 entries from ${at}. 1 error, 0 warnings, 0 info.\n`,
      });
    }
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        severity: 'error',
        code: 'empty-catalog',
        message: 'the catalog is empty: no .md file is here, so there is nothing to serve',
        file: empty,
        line: 1,
      },
    ]);
  });

  it('.md files without a single link entry: exit 1, saying how many files were read', async () => {
    const prose = folder('prose', { 'a.md': '# Notes\n\nSome text, no links.\n', 'b.md': 'More text.\n' });
    const run = await runLinkdex(['check', '--content', prose]);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 1,
      stdout: `${prose}:1 error empty-catalog the catalog is empty: its 2 .md files have no link entry, so there is nothing to serve\n`,
      stderr: `Read 2 files with 0 entries from ${prose}. 1 error, 0 warnings, 0 info.\n`,
    });
  });

  it('an absolute --content path: shown relative inside the working directory, absolute outside it', async () => {
    const outside = folder('outside', { 'links.md': '# Links\n\n- [A](https://a.example/) - one\n- [A](https://b.example/) - two\n' });
    const [inside, away] = await Promise.all([
      runLinkdex(['check', '--content', path.join(repoRoot, 'test/fixtures/cli/clean.md')]),
      runLinkdex(['check', '--content', outside]),
    ]);
    expect(inside.status, inside.stderr).toBe(0);
    expect(inside.stderr).toBe('Read 1 file with 5 entries from test/fixtures/cli/clean.md. No problems found.\n');
    expect(away.status, away.stderr).toBe(0);
    expect(away.stdout).toMatch(new RegExp(`^${outside}/links\\.md:4 warning duplicate-title `));
    expect(away.stderr).toBe(`Read 1 file with 2 entries from ${outside}. 0 errors, 1 warning, 0 info.\n`);
  });

  it('the shipped catalog: its one error is explained as the upstream list’s own', async () => {
    const run = await runLinkdex(['check']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('content/programming.md:60 error invalid-url ');
    expect(run.stderr).toMatch(
      /^Read 1 file with 233 entries from content\. 1 error, \d+ warnings, 0 info\.\nNote: the shipped catalog is the upstream list as published, with its own mistakes; check finds them as it would in yours\. Links with errors are not served; the rest are\. Use --content or CONTENT_DIR for your own list\.\n$/,
    );
  });

  it('control sequences in a file, its name or its URLs never reach the terminal; JSON keeps them escaped', async () => {
    const esc = '\u001b';
    const name = `bad${esc}[31mname.md`;
    const hostile = folder('hostile', {
      [name]: [
        `# Esc ${esc}[31mRed${esc}[0m`,
        '',
        `- [Clear ${esc}[2J${esc}[H title](https://example.com/a${esc}[2J) - desc ${esc}]0;pwned\u0007 here \u009b31m`,
        '- [Bidi \u202e reversed](https://example.com/b) - x',
        '',
        `${esc}[2J`,
        '',
        `- [Dup](https://example.com/a${esc}[2J)`,
        '',
      ].join('\n'),
    });
    const [text, json, exported, search] = await Promise.all([
      runLinkdex(['check', '--content', hostile]),
      runLinkdex(['check', '--content', hostile, '--json']),
      runLinkdex(['export', '--content', hostile]),
      runLinkdex(['search', 'bidi', '--content', hostile]),
    ]);
    for (const run of [text, json, exported, search]) {
      expect(run.stdout).not.toMatch(CONTROL);
      expect(run.stderr).not.toMatch(CONTROL);
    }
    expect(text.status, text.stderr).toBe(0);
    // A problem line shows each control character of the file name as a space.
    const file = `${hostile}/bad [31mname.md`;
    expect(text.stdout).toBe(
      `${file}:4 warning bidi-control title “Bidi reversed” contains U+202E RIGHT-TO-LEFT OVERRIDE, which can make text read backwards or out of order; it is removed\n` +
        `${file}:8 warning duplicate-url URL https://example.com/a [2J of “https://example.com/a [2J” is also the URL of “https://example.com/a [2J” at ${file}:3\n`,
    );
    // The JSON is the same data, the escape written \u001b: a program reading it loses nothing.
    const problems = JSON.parse(json.stdout) as { file: string }[];
    expect(problems.map((p) => p.file)).toEqual([path.join(hostile, name), path.join(hostile, name)]);
    expect(json.stdout).toContain('bad\\u001b[31mname.md');
    expect(search.status, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/Bidi +reversed/);
  });
});
