import { withoutHiddenCharacters } from '../text.js';
import type { Problem, Severity } from './types.js';

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function problem(severity: Severity, code: string, message: string, at: { file: string; line: number }): Problem {
  return { severity, code, message, file: at.file, line: at.line };
}

/** File, then line, then severity: the order an editor fixes things in. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      severityRank[a.severity] - severityRank[b.severity] ||
      a.code.localeCompare(b.code),
  );
}

/** One line for a terminal: what content put in a message (a URL, a file name) cannot reorder or hide it, or move the cursor. */
export function formatProblem(p: Problem): string {
  const line = `${p.file}:${p.line} ${p.severity} ${p.code} ${p.message}`;
  return withoutHiddenCharacters(line).replace(/\p{Cc}/gu, ' ');
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
