import { ShardingManager } from 'discord.js';
import { fileURLToPath } from 'node:url';
import { configForEntryPoint } from './config.js';
import { createLogger } from './logger.js';

/**
 * `npm run start:sharded`: discord.js's ShardingManager starts SHARD_COUNT processes of the bot
 * (src/main.ts), each connected as one shard and holding its own catalog and index, and restarts
 * any that dies.
 */
async function main(): Promise<number> {
  const config = configForEntryPoint();
  if (!config) return 2;
  if (!config.discordToken) {
    process.stderr.write('DISCORD_TOKEN is required to start shards (see README.md)\n');
    return 2;
  }
  const logger = createLogger(config.logLevel);
  const manager = new ShardingManager(fileURLToPath(new URL('./main.ts', import.meta.url)), {
    // A number, never 'auto': 'auto' asks discord.com for the count and ignores DISCORD_API_URL.
    totalShards: config.shardCount,
    token: config.discordToken.reveal(),
    mode: 'process',
    respawn: true,
    execArgv: ['--import', 'tsx'],
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id }, `started shard ${shard.id} of ${config.shardCount}`);
    shard.on('death', () => logger.error({ shard: shard.id }, `shard ${shard.id} exited; restarting it`));
  });
  try {
    await manager.spawn({ amount: config.shardCount, delay: config.shardSpawnDelayMs, timeout: 60_000 });
  } catch (error) {
    logger.fatal({ err: error }, 'a shard could not start; stopping them all (its own log says why)');
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
    return 1;
  }
  logger.info({ shards: config.shardCount }, `all ${config.shardCount} shards are up`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping the shards');
      manager.respawn = false;
      // Each shard gets SIGTERM and finishes what it is answering (it exits within 5 s).
      for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
      const exits = [...manager.shards.values()].map(
        (shard) => new Promise<void>((done) => (shard.process ? shard.process.once('exit', () => done()) : done())),
      );
      const deadline = setTimeout(resolve, 6000);
      deadline.unref();
      void Promise.all(exits).then(() => resolve());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

// The manager keeps IPC channels and respawn timers open; once the shards are stopped, leave.
process.exit(await main());
