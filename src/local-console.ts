import os from 'node:os';
import path from 'node:path';
import type { App } from './app.js';
import { consoleBanner } from './console/banner.js';
import { runConsole } from './console/run-console.js';
import { loadCatalog } from './catalog/load-catalog.js';
import { loadOptions } from './serve-catalog.js';

/**
 * `npm start` without a token: the console on the catalog, loaded before it answers, reloaded as
 * it changes (its news on stderr, apart from the answers). It ends on /quit, at the end of its
 * input, or on SIGINT/SIGTERM, through the app's shutdown.
 */
export async function runLocalConsole(app: App): Promise<number> {
  const { config, shutdown } = app;
  const catalog = await loadCatalog(config.contentDir, loadOptions(config));
  await app.serveLoaded(catalog);
  // Stops reading: /quit must end the process even when whatever feeds stdin keeps it open.
  shutdown.add('accept', 'closing the input', () => void process.stdin.destroy());
  shutdown.listen();
  const ended = runConsole({
    linkdex: app.catalog.linkdex,
    commands: app.commands,
    input: process.stdin,
    output: process.stdout,
    banner: consoleBanner(catalog, config),
    historyFile: path.join(os.homedir(), '.linkdex_history'),
  }).then(() => ({ finished: true }) as const);
  const cause = await Promise.race([ended, shutdown.stopping]);
  await shutdown.stop(cause);
  return 'fatal' in cause ? 1 : 0;
}
