/**
 * `linkdex check --links` as a user runs it, against what the issues describe: no network at all
 * (issue 12 item 8), links to this machine and its network (issue 13 item 13), a server that never
 * answers. Nothing leaves loopback: the names are under `.invalid`, which fail at once, and the
 * private addresses are refused before any connection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinkdex } from './cli-process.js';
import { behaviours, closedPort, startServer, type TestServer } from './link-servers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-links-safety-'));

/** A content folder with one page linking to `urls`, one per line from line 3. */
function fixture(name: string, urls: readonly string[]): string {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const lines = ['# Links', '', ...urls.map((url, i) => `- [Link ${i + 1}](${url}) - number ${i + 1}`)];
  writeFileSync(path.join(folder, 'links.md'), `${lines.join('\n')}\n`);
  return folder;
}

describe.concurrent('linkdex check --links: safety', { timeout: 60_000 }, () => {
  let server: TestServer;
  let hang: TestServer;
  beforeAll(async () => {
    [server, hang] = await Promise.all([startServer(behaviours.ok), startServer(behaviours.hang)]);
  });
  afterAll(async () => {
    await Promise.all([server.close(), hang.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('no network: one line says so, no link is called dead, exit 2', async () => {
    const ports = await Promise.all([closedPort(), closedPort()]);
    const offline = fixture('offline', [
      'https://one.invalid/',
      'https://two.invalid/a',
      'https://three.invalid/b',
      ...ports.map((p) => `http://127.0.0.1:${p}/`),
    ]);
    const run = await runLinkdex(['check', '--links', '--allow-private', '--content', offline]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const [read, line, ...rest] = run.stderr.split('\n');
    expect(read).toBe(`Read 1 file with 5 entries from ${offline}. No problems found.`);
    expect(line).toMatch(
      /^linkdex: the network looks unreachable: 5 hosts tried, none answered \((ENOTFOUND|EAI_AGAIN) ×3, ECONNREFUSED ×2\); no link was checked$/,
    );
    expect(rest).toEqual(['']);
    expect(run.ms).toBeLessThan(20_000);
  });

  it('private, loopback and link-local targets are refused without --allow-private, in every spelling', async () => {
    const port = new URL(server.origin).port;
    const urls = [
      `http://2130706433:${port}/decimal`,
      `http://0x7f000001:${port}/hex`,
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/`,
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      `http://[::ffff:127.0.0.1]:${port}/mapped`,
    ];
    const internal = fixture('internal', urls);
    const run = await runLinkdex(['check', '--links', '--content', internal]);
    expect(run.status, run.stderr).toBe(0);
    const file = `${internal}/links.md`;
    const refused = (line: number, url: string, why: string) =>
      `${file}:${line} warning private-link ${url} is not checked: ${why}; pass --allow-private to check it`;
    expect(run.stdout.split('\n')).toEqual([
      refused(3, `http://127.0.0.1:${port}/decimal`, '127.0.0.1 is a loopback address'),
      refused(4, `http://127.0.0.1:${port}/hex`, '127.0.0.1 is a loopback address'),
      refused(5, 'http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'),
      refused(6, `http://[::1]:${port}/`, '::1 is a loopback address'),
      refused(7, 'http://[fd00::1]/', 'fd00::1 is a private address'),
      refused(8, 'http://[fe80::1]/', 'fe80::1 is a link-local address'),
      refused(9, `http://[::ffff:7f00:1]:${port}/mapped`, '::ffff:7f00:1 is a loopback address'),
      '',
    ]);
    expect(run.stderr).toBe(`Checked 7 links: 7 private.\nRead 1 file with 7 entries from ${internal}. 0 errors, 7 warnings, 0 info.\n`);
    expect(server.requests).toEqual([]);
  });

  it('--max-time ends the whole check, however long each request may wait: exit 2, saying what was not checked', async () => {
    const slow = fixture('slow', [hang.url('/never')]);
    const run = await runLinkdex(['check', '--links', '--allow-private', '--max-time', '1', '--timeout', '600000', '--content', slow]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `Checked 0 of 1 link.\nRead 1 file with 1 entry from ${slow}. No problems found.\nlinkdex: --max-time 1 s reached; 1 of 1 link not checked\n`,
    );
    // The tests run concurrently and share `hang`: only this test asks for /never.
    expect(hang.requests.map((r) => r.path).filter((p) => p === '/never')).toEqual(['/never']);
  });

  it('--max-time with a dead link found before it: exit 1, and still says what was not checked', async () => {
    const missing = await startServer(behaviours.notFound);
    try {
      const mixed = fixture('mixed', [missing.url('/gone'), hang.url('/never-either')]);
      const run = await runLinkdex(['check', '--links', '--allow-private', '--max-time', '1.5', '--timeout', '600000', '--content', mixed]);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toBe(`${mixed}/links.md:3 error dead-link ${missing.url('/gone')} is dead: 404 Not Found\n`);
      expect(run.stderr).toBe(
        `Checked 1 of 2 links: 1 dead.\nRead 1 file with 2 entries from ${mixed}. 1 error, 0 warnings, 0 info.\nlinkdex: --max-time 1.5 s reached; 1 of 2 links not checked\n`,
      );
    } finally {
      await missing.close();
    }
  });

  it('validates --max-time, and wants --links for it and --allow-private', async () => {
    const [zero, words, alone] = await Promise.all([
      runLinkdex(['check', '--links', '--max-time', '0']),
      runLinkdex(['check', '--links', '--max-time', 'soon']),
      runLinkdex(['check', '--allow-private']),
    ]);
    const see = '\nSee `linkdex --help`.\n';
    expect([zero, words, alone].map((r) => [r.status, r.stdout, r.stderr])).toEqual([
      [2, '', `linkdex: --max-time must be a number of seconds from 0.1 to 86400, not "0"${see}`],
      [2, '', `linkdex: --max-time must be a number of seconds from 0.1 to 86400, not "soon"${see}`],
      [2, '', `linkdex: --allow-private applies to check --links only${see}`],
    ]);
  });
});
