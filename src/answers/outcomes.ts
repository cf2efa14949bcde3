import type { Answer } from './answer.js';

/** How an answer ended, as metrics and the log count it. */
export type AnswerOutcome = 'answered' | 'not-found';

/** The command line's exit codes for an answer: a result, or a notice that is not one. */
export const EXIT_ANSWERED = 0;
export const EXIT_NOT_AN_ANSWER = 2;

/** How an answer counts in metrics and the log. */
export function outcomeOf(answer: Answer): AnswerOutcome {
  return answer.kind === 'notice' ? 'not-found' : 'answered';
}

/** The command line's exit code for an answer: 2 for a notice (unknown category, nothing found). */
export function exitCodeOf(answer: Answer): number {
  return answer.kind === 'notice' ? EXIT_NOT_AN_ANSWER : EXIT_ANSWERED;
}
