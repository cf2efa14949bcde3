/** The command line's parsing and output hygiene, in process: fast cases the process tests do not repeat. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs, positiveInt, seconds } from '../src/cli/parse-args.js';
import { terminalJson, terminalText } from '../src/cli/terminal-text.js';

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no usage error');
}

describe('parseCliArgs', () => {
  it('takes a value that starts with a dash as the value, so the complaint can name it', () => {
    expect(parseCliArgs(['search', 'kafka', '--page', '-1', '-n-3'])).toEqual({
      values: { page: '-1', limit: '-3' },
      positionals: ['search', 'kafka'],
    });
    expect(parseCliArgs(['search', '-p', '2', '--', '--json'])).toEqual({ values: { page: '2' }, positionals: ['search', '--json'] });
  });

  it('names the unknown option as typed, long or short, and flags given or missing a value', () => {
    expect(usageError(() => parseCliArgs(['--foo=bar']))).toBe('unknown option --foo');
    expect(usageError(() => parseCliArgs(['-x']))).toBe('unknown option -x');
    expect(usageError(() => parseCliArgs(['check', '--links=yes']))).toBe('--links takes no value');
    expect(usageError(() => parseCliArgs(['search', 'x', '-c']))).toBe('--category needs a value');
  });

  it('accepts whole numbers written as digits only, and seconds with a fraction', () => {
    expect(positiveInt('12', 'limit', 1000)).toBe(12);
    for (const bad of ['1e2', '0x10', ' 5', '2.0', '', '1001']) {
      expect(usageError(() => positiveInt(bad, 'limit', 1000))).toBe(
        `--limit must be a whole number from 1 to 1000, not ${JSON.stringify(bad)}`,
      );
    }
    expect(seconds('1.5', 'max-time', 86_400)).toBe(1500);
    expect(seconds('0.05', 'max-time', 86_400)).toBe(100);
    expect(usageError(() => seconds('-1', 'max-time', 86_400))).toBe('--max-time must be a number of seconds from 0.1 to 86400, not "-1"');
  });
});

describe('terminal output', () => {
  const hostile = 'a\u001b[2Jb\u0007c\u009b31md\u007fe\u202ef\u2066g\rh\ti\nj';

  it('text keeps tabs and newlines and drops every other control character', () => {
    expect(terminalText(hostile)).toBe('a[2Jbc31mdefgh\ti\nj');
    expect(terminalText('Café 日本 👩‍💻 “quoted”')).toBe('Café 日本 👩‍💻 “quoted”');
  });

  it('JSON escapes them instead, so the data survives a round trip', () => {
    const json = terminalJson({ title: hostile });
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(json).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(json).toContain('\\u009b31m');
    expect(JSON.parse(json)).toEqual({ title: hostile });
  });
});
