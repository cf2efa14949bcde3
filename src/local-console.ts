import os from 'node:os';
import path from 'node:path';
import { commands } from './commands/index.js';
import type { Catalog } from './catalog/types.js';
import type { Config } from './config.js';
import { consoleBanner } from './console/banner.js';
import { runConsole } from './console/run-console.js';
import { watchAndReload } from './serve-catalog.js';

/** `npm start` without a token: the console on the catalog, loaded before it answers, reloaded as it changes. */
export async function runLocalConsole(config: Config, catalog: Catalog): Promise<number> {
  // The console reloads too; its news goes to stderr, apart from the answers.
  const say = (label: string) => (_: object, message: string) => void process.stderr.write(`[${label}] ${message}\n`);
  const { live, close } = watchAndReload(config, catalog, { info: say('reload'), warn: say('content'), error: say('error') });
  await runConsole({
    linkdex: () => live.current,
    commands,
    input: process.stdin,
    output: process.stdout,
    banner: consoleBanner(catalog, config),
    historyFile: path.join(os.homedir(), '.linkdex_history'),
  });
  close();
  // /quit must end the process even when whatever feeds stdin keeps it open.
  process.stdin.destroy();
  return 0;
}
