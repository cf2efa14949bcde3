import { plural } from '../text.js';
import { problem } from './problems.js';
import type { Problem } from './types.js';

/**
 * Lines longer than this are blanked before parsing. No catalog entry is this long, and
 * remark-parse slows down badly on huge lines (a 1 MB line of `[` takes seconds and a gigabyte).
 */
export const MAX_LINE_CHARS = 20_000;

/** Blanks over-long lines, keeping every newline so the lines after them keep their numbers. */
export function blankLongLines(body: string, file: string, lineOffset: number): { body: string; problems: Problem[] } {
  if (body.length <= MAX_LINE_CHARS) return { body, problems: [] };
  const problems: Problem[] = [];
  const lines = body.split('\n');
  let changed = false;
  lines.forEach((line, i) => {
    if (line.length > MAX_LINE_CHARS) {
      problems.push(
        problem(
          'warning',
          'line-too-long',
          `line has ${plural(line.length, 'character')}, over the ${MAX_LINE_CHARS} limit; it is ignored`,
          { file, line: i + 1 + lineOffset },
        ),
      );
      lines[i] = '';
      changed = true;
    }
  });
  return { body: changed ? lines.join('\n') : body, problems };
}
