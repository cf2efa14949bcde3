import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ShardingManager, type Shard } from 'discord.js';
import type { Config, Secret } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { compiled, runtimeFile } from './package-root.js';
import { afterDeath, RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
import { Shutdown } from './shutdown.js';

/** How long a shard may take to log in and be ready before it counts as a failed start. */
const READY_TIMEOUT_MS = 60_000;
/** Shards stop within 4.5 s of SIGTERM; one that has not by then is killed. */
const STOP_DEADLINE_MS = 5_000;

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Resolves after `ms`, or as soon as `cut` does. */
function pause(ms: number, cut: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), cut.then(() => undefined)]).finally(() =>
    clearTimeout(timer),
  );
}

interface Supervision {
  /** Set once the shards are being stopped: a death is then expected. */
  stopping: boolean;
  /** Resolves with the signal that stops the shards, or 'gave-up', as soon as the stop starts. */
  stopped: Promise<string>;
  /** Called once a shard has failed too often to be restarted. */
  giveUp: () => void;
}

/**
 * Runs one shard's process: restarts it when it dies, after the pause `policy` gives, and gives
 * up on it when starting fails again and again. `ready` resolves the first time it is ready.
 */
function supervise(shard: Shard, policy: RestartPolicy, logger: Logger, run: Supervision): { ready: Promise<void> } {
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  void (async () => {
    let failures = 0;
    for (;;) {
      const started = performance.now();
      const death = new Promise<ChildProcess | undefined>((resolve) => shard.once('death', (child) => resolve(child as ChildProcess)));
      try {
        await shard.spawn(READY_TIMEOUT_MS);
        resolveReady();
      } catch {
        // Died before it was ready (awaited below), or never became ready: that start failed.
        shard.process?.kill('SIGTERM');
      }
      const child = await death;
      const code = child?.exitCode ?? null;
      const ranMs = performance.now() - started;
      const exit = code === null ? `on signal ${child?.signalCode ?? 'unknown'}` : `with code ${code}`;
      if (run.stopping) {
        logger.info({ shard: shard.id, code }, `shard ${shard.id} stopped (exit ${code ?? child?.signalCode})`);
        return;
      }
      const decision = afterDeath(policy, failures, ranMs, code);
      if (decision.action === 'give-up') {
        logger.fatal(
          { shard: shard.id, code, failures: decision.failures },
          `shard ${shard.id} exited ${exit} ${seconds(ranMs)} after starting: ${decision.reason}, so it is not restarted; stopping all shards (the shard's own lines above say why)`,
        );
        run.giveUp();
        return;
      }
      failures = decision.failures;
      if (failures === 0) {
        logger.error(
          { shard: shard.id, code },
          `shard ${shard.id} exited ${exit} after ${seconds(ranMs)}; restarting it in ${seconds(decision.delayMs)}`,
        );
      } else {
        logger.warn(
          { shard: shard.id, code, failures },
          `shard ${shard.id} exited ${exit} ${seconds(ranMs)} after starting (failed start ${failures} of ${policy.attempts}); restarting it in ${seconds(decision.delayMs)}`,
        );
      }
      await pause(decision.delayMs, run.stopped);
      if (run.stopping) return;
    }
  })();
  return { ready };
}

/**
 * discord.js's ShardingManager starts a process of the bot (src/main.ts) for each shard of
 * SHARD_LIST (all SHARD_COUNT when unset; the others run on other machines), each
 * connected as one shard and holding its own catalog and index. A shard that dies is restarted;
 * one that keeps failing as it starts is given up on (RESTART_POLICY), and then every shard is
 * stopped. `flagFor` names the flags given, passed on to each shard. Resolves with the exit code.
 */
export async function runShards(config: Config & { discordToken: Secret }, flagFor: Partial<Record<string, string>>): Promise<number> {
  const logger = createLogger(config.logLevel);
  // SHARD_LIST: this machine's share of the shards (the others run elsewhere, on the same SHARD_COUNT).
  const ids = config.shardList ?? Array.from({ length: config.shardCount }, (_, id) => id);
  const manager = new ShardingManager(fileURLToPath(new URL(runtimeFile('./main.ts'), import.meta.url)), {
    // A number, never 'auto': 'auto' asks discord.com for the count and ignores DISCORD_API_URL.
    totalShards: config.shardCount,
    shardList: ids,
    token: config.discordToken.reveal(),
    mode: 'process',
    // Restarts are ours (supervise): discord.js's restart a shard at once, however often it fails.
    respawn: false,
    // Compiled shards run on plain node, like npm start; from the sources (tests, dev) they need tsx.
    execArgv: compiled ? [] : ['--import', 'tsx'],
    // The flags given here mean the same in every shard.
    shardArgs: [...(flagFor['CONTENT_DIR'] ? ['--content', config.contentDir] : []), ...(flagFor['INCLUDE_DRAFTS'] ? ['--drafts'] : [])],
  });

  // A signal stops every shard, and so does a shard given up on: through the same shutdown.
  const shutdown = new Shutdown(logger, {
    // The shards' own stop (SIGTERM, then SIGKILL at STOP_DEADLINE_MS) must end before this one gives up.
    deadlineMs: STOP_DEADLINE_MS + 1000,
    announce: (signal) => logger.info({ signal }, 'stopping the shards'),
  });
  shutdown.add('drain', 'stopping the shards', async () => {
    run.stopping = true;
    // Each shard gets SIGTERM and finishes what it is answering; one still running at the deadline is killed.
    const children = [...manager.shards.values()].flatMap((shard) => (shard.process ? [shard.process] : []));
    const exits = children.map(
      (child) => new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done()))),
    );
    for (const child of children) child.kill('SIGTERM');
    await pause(STOP_DEADLINE_MS, Promise.all(exits));
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  shutdown.add('logs', 'writing the last log lines', () => new Promise<void>((resolve) => logger.flush(() => resolve())));
  shutdown.listen();
  const run: Supervision = {
    stopping: false,
    stopped: shutdown.stopping.then((cause) => ('signal' in cause ? cause.signal : 'gave-up')),
    giveUp: () => void shutdown.stop({ fatal: true }),
  };

  let outcome: string = 'ready';
  for (const [index, id] of ids.entries()) {
    if (outcome !== 'ready') break;
    const shard = manager.createShard(id);
    logger.info({ shard: id }, `starting shard ${id} of ${config.shardCount}`);
    const { ready } = supervise(shard, RESTART_POLICY, logger, run);
    outcome = await Promise.race([ready.then(() => 'ready'), run.stopped]);
    if (outcome === 'ready' && index + 1 < ids.length) await pause(config.shardSpawnDelayMs, run.stopped);
  }
  if (outcome === 'ready') {
    logger.info(
      { shards: ids },
      config.shardList ? `shards ${ids.join(', ')} of ${config.shardCount} are up` : `all ${config.shardCount} shards are up`,
    );
    outcome = await run.stopped;
  }
  await shutdown.stop();
  return outcome === 'gave-up' ? 1 : 0;
}
