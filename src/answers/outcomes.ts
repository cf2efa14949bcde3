import type { Answer, NoticeCode } from './answer.js';

/** How an answer ended, as metrics and the log count it. */
export type AnswerOutcome = 'answered' | 'not-found' | 'cooldown' | 'unknown-button' | 'unavailable' | 'error';

/** The command line's exit codes for an answer: a result, or a notice that is not one. */
export const EXIT_ANSWERED = 0;
export const EXIT_NOT_AN_ANSWER = 2;

/**
 * The one table from a notice's code to how it counts: its outcome in metrics and the log, and
 * the command line's exit code. A new code does not compile until it has its row.
 */
export const NOTICE_OUTCOMES: Readonly<Record<NoticeCode, { outcome: AnswerOutcome; exitCode: number }>> = {
  'empty-search': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'no-results': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'unknown-category': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'ambiguous-category': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'empty-catalog': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'unknown-command': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'catalog-unavailable': { outcome: 'unavailable', exitCode: EXIT_NOT_AN_ANSWER },
  'catalog-loading': { outcome: 'unavailable', exitCode: EXIT_NOT_AN_ANSWER },
  cooldown: { outcome: 'cooldown', exitCode: EXIT_NOT_AN_ANSWER },
  'stale-button': { outcome: 'unknown-button', exitCode: EXIT_NOT_AN_ANSWER },
  'handler-failed': { outcome: 'error', exitCode: EXIT_NOT_AN_ANSWER },
  // Never sent on Discord; outside it, the command could not be answered there.
  'needs-discord': { outcome: 'unavailable', exitCode: EXIT_NOT_AN_ANSWER },
  settings: { outcome: 'answered', exitCode: EXIT_ANSWERED },
  'guild-only': { outcome: 'unavailable', exitCode: EXIT_NOT_AN_ANSWER },
  'invalid-setting': { outcome: 'not-found', exitCode: EXIT_NOT_AN_ANSWER },
  'storage-unavailable': { outcome: 'unavailable', exitCode: EXIT_NOT_AN_ANSWER },
};

/** How an answer counts in metrics and the log: a notice by its code, anything else (a form opened, an acknowledgement) as answered. */
export function outcomeOf(answer: Answer): AnswerOutcome {
  return answer.kind === 'notice' ? NOTICE_OUTCOMES[answer.code].outcome : 'answered';
}

/** The command line's exit code for an answer: a notice's by its code (2: unknown category, nothing found), else 0. */
export function exitCodeOf(answer: Answer): number {
  return answer.kind === 'notice' ? NOTICE_OUTCOMES[answer.code].exitCode : EXIT_ANSWERED;
}
