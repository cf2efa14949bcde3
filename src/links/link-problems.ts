import { problem } from '../catalog/problems.js';
import type { Problem, Severity } from '../catalog/types.js';
import { formatDuration, type LinkOutcome, type LinkResult } from './check-links.js';

/** An answer slower than this (over all hops) is reported as `slow-link`. */
export const DEFAULT_SLOW_MS = 5000;

/** The problem code and severity of each outcome; `ok` has none. */
export const LINK_CODES: Record<Exclude<LinkOutcome, 'ok'>, { code: string; severity: Severity }> = {
  dead: { code: 'dead-link', severity: 'error' },
  redirected: { code: 'redirected-link', severity: 'warning' },
  timeout: { code: 'link-timeout', severity: 'warning' },
  loop: { code: 'redirect-loop', severity: 'warning' },
  failed: { code: 'link-failed', severity: 'warning' },
  unknown: { code: 'link-unknown', severity: 'info' },
  private: { code: 'private-link', severity: 'warning' },
};

function attempts(r: LinkResult): string {
  return r.requests > 1 ? ` (${r.requests} requests)` : '';
}

function via(r: LinkResult): string {
  return r.redirects.length > 0 ? ` at ${r.finalUrl}` : '';
}

function message(r: LinkResult, outcome: Exclude<LinkOutcome, 'ok'>): string {
  switch (outcome) {
    case 'dead':
      return `${r.url} is dead: ${r.reason}${via(r)}`;
    case 'redirected': {
      const hops = r.redirects.length > 1 ? ` after ${r.redirects.length} redirects` : '';
      return `${r.url} ends up at ${r.finalUrl}${hops}; link that instead`;
    }
    case 'timeout':
      return `${r.url} timed out: ${r.reason}${attempts(r)}`;
    case 'loop':
      return `${r.url} ${r.reason}`;
    case 'failed':
      return `${r.url} fails: ${r.reason}${via(r)}${attempts(r)}`;
    case 'unknown':
      return `${r.url} answers ${r.reason}${via(r)}; the site may refuse bots, so check it by hand`;
    case 'private': {
      const where = r.redirects.length > 0 ? `redirects to ${r.finalUrl}, which is not followed` : 'is not checked';
      return `${r.url} ${where}: ${r.reason}; pass --allow-private to check it`;
    }
  }
}

/** One problem per entry (file:line) for each link that is not simply fine, plus `slow-link` for slow answers. */
export function linkProblems(results: readonly LinkResult[], options: { slowMs?: number } = {}): Problem[] {
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
  const problems: Problem[] = [];
  for (const r of results) {
    for (const source of r.sources) {
      if (r.outcome !== 'ok') {
        const { code, severity } = LINK_CODES[r.outcome];
        problems.push(problem(severity, code, message(r, r.outcome), source));
      }
      if ((r.outcome === 'ok' || r.outcome === 'redirected') && r.ms > slowMs) {
        problems.push(problem('info', 'slow-link', `${r.url} took ${formatDuration(r.ms)} to answer`, source));
      }
    }
  }
  return problems;
}
