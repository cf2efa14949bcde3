import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ServerCooldowns } from '../src/serve/cooldowns.js';
import { SettingsCache } from '../src/serve/settings-cache.js';
import { commands } from '../src/commands/index.js';
import { loadConfig } from '../src/config.js';
import { openStorage } from '../src/storage/open-storage.js';
import type { Storage } from '../src/storage/storage.js';
import { repoRoot, seedCatalog } from './helpers.js';

const stateDirs = mkdtempSync(path.join(tmpdir(), 'linkdex-app-'));
afterAll(() => rmSync(stateDirs, { recursive: true, force: true }));
let opened = 0;
/** A real SQLite storage in a folder of its own. */
const sqlite = () => openStorage({ databaseUrl: undefined, stateDir: path.join(stateDirs, String(++opened)) });

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
    const storage = await sqlite();
    const app = buildApp(configOf(), { surface: 'console', storage });
    // With a storage: settings through a cache, each server's own cooldown.
    expect(app.services.storage).toBe(storage);
    expect(app.services.settings).toBeInstanceOf(SettingsCache);
    expect(app.cooldowns).toBeInstanceOf(ServerCooldowns);
    expect(app.answering.cooldowns).toBe(app.cooldowns);
    expect(app.catalog.state).toBe('loading');
    const catalog = seedCatalog();
    const live = await app.serveLoaded(catalog);
    expect(app.catalog.state).toBe('ready');
    expect(app.catalog.linkdex()).toBe(live.current);
    expect(app.health('').reason).toBe(`ok: ${catalog.entries.length} links`);
    const open: boolean[] = [];
    app.shutdown.add('drain', 'draining', async () => void open.push(await storage.ping()));
    await app.shutdown.stop({ finished: true });
    // Open while answers drained, closed after.
    expect([...open, await storage.ping()]).toEqual([true, false]);
    expect(app.shutdown.timedOut).toBe(false);
  });

  it('say on /healthz that the database does not answer, and stay ready: answers go on from memory', async () => {
    const storage: Storage = await sqlite();
    const app = buildApp(configOf(), { surface: 'console', storage });
    const catalog = seedCatalog();
    await app.serveLoaded(catalog);
    expect(app.health('')).toEqual({ ok: true, reason: `ok: ${catalog.entries.length} links` });
    // The database goes away (closed here, as a server that stops would be).
    await storage.close();
    // Pinged at most once a second: within the next two checks a second apart, it says so.
    await expect
      .poll(() => app.health(''), { timeout: 2500, interval: 50 })
      .toEqual({
        ok: true,
        reason: `ok: ${catalog.entries.length} links; degraded: the database (SQLite file ${path.join(stateDirs, String(opened), 'linkdex.sqlite')}) does not answer`,
      });
    await app.shutdown.stop({ finished: true });
  });
});
