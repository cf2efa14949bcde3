import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the bot counts, for Prometheus: one registry per process (per shard). */
export interface BotMetrics {
  registry: Registry;
  recordInteraction(command: string, outcome: string, seconds: number): void;
  recordCatalog(entries: number): void;
  /** `failure` says why a failed reload failed: it ran out of time, or an error. */
  recordReload(ok: boolean, at: Date, failure?: 'timeout' | 'error'): void;
  /** A server's link of the day: `posted`, `refused` (no access or permission) or `failed` (retried). */
  recordDailyPost(result: string): void;
}

/** `gatewayPing` is the gateway bot's heartbeat round trip; the HTTP endpoint has no gateway, and no such gauge. */
export function createMetrics(gatewayPing?: () => number): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const interactions = new Counter({
    name: 'linkdex_interactions_total',
    help: 'Interactions answered, by command and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'linkdex_interaction_duration_seconds',
    help: 'Time from receiving an interaction to sending its answer',
    labelNames: ['command'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const entries = new Gauge({ name: 'linkdex_catalog_entries', help: 'Links in the catalog being served', registers: [registry] });
  const reloadTime = new Gauge({
    name: 'linkdex_last_reload_timestamp_seconds',
    help: 'When the catalog was last reloaded (Unix time)',
    registers: [registry],
  });
  const reloadOk = new Gauge({
    name: 'linkdex_last_reload_success',
    help: '1 when the last reload succeeded, 0 when it failed',
    registers: [registry],
  });
  const reloadFailures = new Counter({
    name: 'linkdex_reload_failures_total',
    help: 'Reloads that failed, by reason: timeout (stopped at its deadline) or error',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const dailyPosts = new Counter({
    name: 'linkdex_daily_posts_total',
    help: "Servers' links of the day, by result: posted, refused (no access or permission) or failed (retried within the day)",
    labelNames: ['result'] as const,
    registers: [registry],
  });
  if (gatewayPing) {
    new Gauge({
      name: 'linkdex_gateway_ping_seconds',
      help: "The gateway's last heartbeat round trip",
      registers: [registry],
      collect() {
        const ms = gatewayPing();
        if (ms >= 0) this.set(ms / 1000);
      },
    });
  }
  return {
    registry,
    recordInteraction(command, outcome, seconds) {
      interactions.inc({ command, outcome });
      latency.observe({ command }, seconds);
    },
    recordCatalog(count) {
      entries.set(count);
    },
    recordDailyPost(result) {
      dailyPosts.inc({ result });
    },
    recordReload(ok, at, failure) {
      reloadOk.set(ok ? 1 : 0);
      if (!ok) reloadFailures.inc({ reason: failure ?? 'error' });
      reloadTime.set(at.getTime() / 1000);
    },
  };
}
