/**
 * `npm run bench:e2e`: kept as another name for `npm run bench`, whose default (bench/runtime.ts)
 * now runs the bot end to end against a bare discord.js bot: memory, start and autocomplete round
 * trips on the seed, 7,100 and 100,000 entries. Takes the same --quick and --json.
 */
import { parseArgs } from 'node:util';
import { runtimeBench } from './runtime.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
try {
  await runtimeBench(values);
} catch (error) {
  process.stderr.write(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
