import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { commands } from '../src/commands/index.js';
import { loadConfig } from '../src/config.js';
import { repoRoot, seedCatalog } from './helpers.js';

const configOf = (env: Record<string, string> = {}) => loadConfig({ LOG_LEVEL: 'silent', ...env }, repoRoot);

describe('the app services', () => {
  it('are built once: what the transports answer with is the app’s own catalog, cooldowns, commands and logger', () => {
    const app = buildApp(configOf({ COOLDOWN_COMMANDS: '3', COOLDOWN_SECONDS: '7' }));
    expect(app.answering.catalog).toBe(app.catalog);
    expect(app.answering.linkdex).toBe(app.catalog.linkdex);
    expect(app.answering.cooldowns).toBe(app.cooldowns);
    expect(app.answering.commands).toBe(commands);
    expect(app.answering.logger).toBe(app.logger);
    expect(app.services.logger).toBe(app.logger);
    expect(app.storage).toBeUndefined();
    // No METRICS_PORT: nothing is counted, and prom-client is never asked for.
    expect(app.metrics).toBeUndefined();
    expect(app.answering.onAnswered).toBeUndefined();
  });

  it('count answers with the app’s metrics when METRICS_PORT is set', () => {
    const app = buildApp(configOf({ METRICS_PORT: '0' }));
    expect(app.answering.onAnswered).toBe(app.metrics?.recordInteraction);
  });

  it('serve a catalog loaded beforehand (the console) through the same gate, and close its watch and the storage at shutdown', async () => {
    const closed: string[] = [];
    const app = buildApp(configOf(), { surface: 'console', storage: { close: async () => void closed.push('storage') } });
    expect(app.catalog.state).toBe('loading');
    const catalog = seedCatalog();
    const live = await app.serveLoaded(catalog);
    expect(app.catalog.state).toBe('ready');
    expect(app.catalog.linkdex()).toBe(live.current);
    expect(app.health('').reason).toBe(`ok: ${catalog.entries.length} links`);
    app.shutdown.add('drain', 'draining', () => void closed.push('drain'));
    await app.shutdown.stop({ finished: true });
    expect(closed).toEqual(['drain', 'storage']);
    expect(app.shutdown.timedOut).toBe(false);
  });
});
