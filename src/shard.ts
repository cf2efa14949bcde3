import { entryConfig } from './entry.js';
import { runShards } from './run-shards.js';

/** `npm run start:sharded`: the gateway bot in one process per shard of SHARD_LIST (default: all SHARD_COUNT; see `runShards`). */
async function main(): Promise<number> {
  const entry = entryConfig('start:sharded', process.argv.slice(2));
  if ('exitCode' in entry) return entry.exitCode;
  const { config, flagFor } = entry;
  const { discordToken } = config;
  if (!discordToken) {
    process.stderr.write('DISCORD_TOKEN is required to start shards (see README.md)\n');
    return 2;
  }
  if (config.mode === 'http') {
    // Each shard would serve the HTTP endpoint on the same PORT; HTTP mode scales with replicas instead.
    process.stderr.write('MODE=http does not apply to npm run start:sharded: shards connect to the gateway; use npm run start:http\n');
    return 2;
  }
  return runShards({ ...config, discordToken }, flagFor);
}

// The manager keeps IPC channels open; once the shards are stopped, leave.
process.exit(await main());
