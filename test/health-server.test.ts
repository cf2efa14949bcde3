import { describe, expect, it } from 'vitest';
import { startHealthServer } from '../src/observability/health-server.js';
import { createMetrics } from '../src/observability/metrics.js';

describe('the health server', () => {
  it('answers 503 while the gateway is down, 200 when it is back, and only GET or HEAD', async () => {
    let up = false;
    const metrics = createMetrics(() => 42);
    const server = await startHealthServer(
      0,
      () => (up ? { ok: true, reason: 'ok' } : { ok: false, reason: 'gateway not connected' }),
      metrics.registry,
    );
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const down = await fetch(`${url}/healthz`);
      expect([down.status, await down.text()]).toEqual([503, 'gateway not connected\n']);
      up = true;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
      metrics.recordReload(false, new Date(1_700_000_000_000), 'timeout');
      metrics.recordReload(false, new Date(1_700_000_000_000));
      for (const result of ['posted', 'failed', 'posted']) metrics.recordDailyPost(result);
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).toContain('linkdex_gateway_ping_seconds 0.042');
      expect(text).toContain('linkdex_last_reload_success 0');
      expect(text).toContain('linkdex_last_reload_timestamp_seconds 1700000000');
      expect(text).toContain('linkdex_reload_failures_total{reason="timeout"} 1');
      expect(text).toContain('linkdex_reload_failures_total{reason="error"} 1');
      expect(text).toContain('linkdex_daily_posts_total{result="posted"} 2');
      expect(text).toContain('linkdex_daily_posts_total{result="failed"} 1');
    } finally {
      await server.close();
    }
  });
});
