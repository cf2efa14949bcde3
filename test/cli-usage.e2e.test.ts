/**
 * Bad usage, as clig.dev asks: one line that says what is wrong, then where the usage is, exit 2,
 * nothing on stdout (issue 12 item 12). A page past the end is an error, not the last page.
 */
import { describe, expect, it } from 'vitest';
import { runLinkdex } from './cli-process.js';

const SEE_HELP = 'See `linkdex --help`.';

describe.concurrent('linkdex: usage errors are one line and exit 2', { timeout: 60_000 }, () => {
  const cases: [args: string[], message: string][] = [
    [['search', 'kafka', '--page', '2'], '--page 2 is past the end: 10 results fit on 1 page'],
    [['category', '--page', '99'], '--page 99 is past the end: 23 categories fit on 1 page'],
    [['category', 'devops', '--page', '4'], '--page 4 is past the end: 24 links fit on 3 pages'],
    [['search', 'kafka', '--page', '-1'], '--page must be a whole number from 1 to 10000, not "-1"'],
    [['search', 'kafka', '--limit', '-3'], '--limit must be a whole number from 1 to 1000, not "-3"'],
    [['search', 'kafka', '--page'], '--page needs a value'],
    [['--foo'], 'unknown option --foo'],
    [['search', 'kafka', '--json=yes'], '--json takes no value'],
    [
      ['search', 'kafka', '--json', '--page', '2'],
      '--page does not go with --json, which prints every result at once; use --limit for fewer',
    ],
    [['category', '--json', '--page', '1'], '--page does not go with --json, which prints every result at once'],
    [['random', '--today', '--date', '2026-01-01'], '--today and --date do not go together: --date alone gives the link of that day'],
  ];

  for (const [args, message] of cases) {
    it(`linkdex ${args.join(' ')}`, async () => {
      const run = await runLinkdex(args);
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
        status: 2,
        stdout: '',
        stderr: `linkdex: ${message}\n${SEE_HELP}\n`,
      });
    });
  }

  it('the last page itself is still shown', async () => {
    const run = await runLinkdex(['category', 'devops', '--page', '3']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\nPage 3\/3 · 24 links\n$/);
  });
});
