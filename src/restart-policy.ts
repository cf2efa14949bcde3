/**
 * When the sharding manager restarts a shard that died. A shard that dies soon after starting
 * will most likely die the same way again (a port taken, no network, a refused token): it is
 * restarted after a growing pause, then given up on, instead of being restarted every second
 * and logging in to the gateway each time (Discord allows 1,000 logins a day).
 */
export interface RestartPolicy {
  /** Starts in a row that may fail before giving up (the first start included). */
  attempts: number;
  /** The pause after the first failure; it doubles after each further one. */
  firstDelayMs: number;
  /** A shard that ran this long before dying did start: it is restarted, and its count starts over. */
  stableMs: number;
}

export const RESTART_POLICY: RestartPolicy = { attempts: 3, firstDelayMs: 1000, stableMs: 60_000 };

/** Exit code 2 is a usage or configuration error, named by the shard itself: starting again cannot help. */
export const CONFIGURATION_EXIT_CODE = 2;

export type RestartDecision =
  { action: 'restart'; delayMs: number; failures: number } | { action: 'give-up'; failures: number; reason: string };

/**
 * What to do after a shard's death: `failures` is how many starts in a row failed before this
 * one, `ranMs` how long this one ran, `exitCode` its exit code (null when killed by a signal).
 */
export function afterDeath(policy: RestartPolicy, failures: number, ranMs: number, exitCode: number | null): RestartDecision {
  if (ranMs >= policy.stableMs) return { action: 'restart', delayMs: policy.firstDelayMs, failures: 0 };
  const now = failures + 1;
  if (exitCode === CONFIGURATION_EXIT_CODE) return { action: 'give-up', failures: now, reason: 'a configuration problem' };
  if (now >= policy.attempts) return { action: 'give-up', failures: now, reason: `${now} failed starts in a row` };
  return { action: 'restart', delayMs: policy.firstDelayMs * 2 ** (now - 1), failures: now };
}
