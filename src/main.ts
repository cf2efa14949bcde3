import os from 'node:os';
import path from 'node:path';
import { commands } from '../commands/index.js';
import { loadCatalog } from './catalog/load-catalog.js';
import { displayPath } from './catalog/read-files.js';
import { ConfigError, loadConfig, loadDotenvFile } from './config.js';
import { runConsole } from './console/run-console.js';
import { Linkdex } from './linkdex.js';
import { plural } from './text.js';

/** `npm start`: the bot when a token is set, otherwise the console on the catalog. */
async function main(): Promise<number> {
  loadDotenvFile();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const catalog = await loadCatalog(config.contentDir, { includeDrafts: config.includeDrafts });
  const linkdex = new Linkdex(catalog);
  const errors = catalog.problems.filter((p) => p.severity === 'error').length;
  const warnings = catalog.problems.filter((p) => p.severity === 'warning').length;
  const where = displayPath(config.contentDir, process.cwd());
  const lines = [
    `linkdex console: ${plural(catalog.entries.length, 'link')} in ${plural(catalog.categories.length, 'category', 'categories')} from ${where}`,
  ];
  if (errors + warnings > 0)
    lines.push(`The content has ${plural(errors, 'error')} and ${plural(warnings, 'warning')}: run \`npx linkdex check\` to list them.`);
  if (config.discordToken) {
    lines.push('DISCORD_TOKEN is set, but this version has no Discord adapter yet, so the console opens instead.');
  } else {
    lines.push(
      'No DISCORD_TOKEN is set, so this is the local console. To run the bot on Discord, copy .env.example to .env, set DISCORD_TOKEN, and start again (see README.md).',
    );
  }
  lines.push('Try /search kafka, /category, /category Observability, /random, /random today, /help; n and p turn pages; /quit leaves.');

  await runConsole({
    linkdex: () => linkdex,
    commands,
    input: process.stdin,
    output: process.stdout,
    banner: lines.join('\n'),
    historyFile: path.join(os.homedir(), '.linkdex_history'),
  });
  return 0;
}

process.exitCode = await main();
