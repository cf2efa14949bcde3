import { Status, type Client } from 'discord.js';
import { CatalogGate } from './catalog-gate.js';
import type { Config, Secret } from './config.js';
import { startBot, type RunningBot } from './discord/bot.js';
import { explainDiscordFailure } from './discord/explain-failure.js';
import { startHealthServer, type HealthServer } from './observability/health-server.js';
import { listenFailure } from './observability/listen-failure.js';
import {
  answeringOptions,
  botLogger,
  catalogHealth,
  dailyPostWhenReady,
  exitCodeOf,
  LazyMetrics,
  SHUTDOWN_GRACE_MS,
  startCatalog,
  untilStopped,
} from './serving.js';

/** The port a gateway bot serves /healthz and /metrics on: shards run side by side, each on METRICS_PORT plus its id. */
function metricsPortOf(metricsPort: number, shardId: number | undefined): { port: number; note: string } {
  if (metricsPort === 0 || !shardId) return { port: metricsPort, note: '' };
  return { port: metricsPort + shardId, note: ` (METRICS_PORT ${metricsPort} + shard ${shardId})` };
}

/**
 * The gateway bot: binds METRICS_PORT (a taken port stops the start before it costs a gateway
 * login), starts logging in, and only then loads the catalog beside the connection. Interactions
 * that come before the catalog wait for it (see `respond`); `ready as` says the gateway is up,
 * `serving N links` that the catalog is.
 */
export async function runGateway(config: Config & { discordToken: Secret }): Promise<number> {
  const { logger: base, prettyLater } = botLogger(config);
  // A shard's lines say which shard wrote them; the manager interleaves them all on one output.
  const logger = config.shardId === undefined ? base : base.child({ shard: config.shardId });
  // The client exists once logged in; metrics ask it for the gateway ping when scraped.
  const gateway: { client?: Client } = {};
  const metrics = config.metricsPort === undefined ? undefined : new LazyMetrics(() => gateway.client?.ws.ping ?? -1);
  const gate = new CatalogGate();
  let health: HealthServer | undefined;
  if (metrics && config.metricsPort !== undefined) {
    const { port, note } = metricsPortOf(config.metricsPort, config.shardId);
    const healthy = () =>
      gateway.client?.ws.status === Status.Ready ? catalogHealth(gate, 'connected, ') : { ok: false, reason: 'gateway not connected' };
    try {
      health = await startHealthServer(
        port,
        healthy,
        metrics.loaded.then((m) => m.registry),
      );
    } catch (error) {
      logger.fatal({ port, code: (error as { code?: unknown }).code }, listenFailure(error, port, 'METRICS_PORT', note));
      await prettyLater();
      return 1;
    }
    logger.info({ port: health.port }, `health and metrics on http://127.0.0.1:${health.port}/healthz and /metrics`);
  }
  const starting = startBot({
    token: config.discordToken,
    ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    ...answeringOptions(config, gate, logger, metrics),
  });
  // Logging in has started: the catalog, the metrics and pretty logs load while the gateway connects.
  const pretty = prettyLater();
  metrics?.load();
  // Reading and parsing go on while the gateway connects; indexing waits for it (or its failure).
  const connected = starting.then(
    () => undefined,
    () => undefined,
  );
  const catalog = startCatalog(config, gate, logger, metrics, connected);
  let bot: RunningBot;
  try {
    bot = await starting;
  } catch (error) {
    const failure = explainDiscordFailure(error, {
      doing: 'cannot connect to Discord',
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    });
    // An expected failure is one line; anything else keeps its stack for a bug report.
    logger.fatal(
      failure.kind === 'other'
        ? { err: error }
        : { code: (error as { code?: unknown }).code, status: (error as { status?: unknown }).status },
      failure.message,
    );
    catalog.close();
    await health?.close();
    await pretty;
    return exitCodeOf(1, gate);
  }
  gateway.client = bot.client;
  const running = bot;
  // One shard posts the daily link; every shard would otherwise post it once.
  const daily =
    config.dailyChannelId && (config.shardId ?? 0) === 0
      ? dailyPostWhenReady(config, config.dailyChannelId, bot.client.rest, gate, logger)
      : undefined;
  await untilStopped(logger, 'error while disconnecting', () => {
    catalog.close();
    daily?.stop();
    void health?.close();
    return running.stop(SHUTDOWN_GRACE_MS);
  });
  return exitCodeOf(0, gate);
}
