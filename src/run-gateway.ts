import { Status, type Client } from 'discord.js';
import type { App } from './app.js';
import type { Secret } from './config.js';
import { startBot } from './discord/bot.js';
import { explainDiscordFailure } from './discord/explain-failure.js';
import { startHealthServer } from './observability/health-server.js';
import { listenFailure } from './observability/listen-failure.js';

/** How long answers in flight may take to finish once the bot is told to stop. */
export const SHUTDOWN_GRACE_MS = 3000;

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
export async function runGateway(app: App, token: Secret): Promise<number> {
  const { config, logger, metrics, shutdown } = app;
  // The client exists once logged in; metrics ask it for the gateway ping when scraped.
  const gateway: { client?: Client } = {};
  metrics?.measureGatewayPing(() => gateway.client?.ws.ping ?? -1);
  if (metrics && config.metricsPort !== undefined) {
    const { port, note } = metricsPortOf(config.metricsPort, config.shardId);
    const healthy = () =>
      gateway.client?.ws.status === Status.Ready ? app.health('connected, ') : { ok: false, reason: 'gateway not connected' };
    try {
      const health = await startHealthServer(
        port,
        healthy,
        metrics.loaded.then((m) => m.registry),
      );
      // Closed without waiting: a scraper's kept-alive connection must not hold the stop.
      shutdown.add('accept', 'closing the health server', () => void health.close());
      logger.info({ port: health.port }, `health and metrics on http://127.0.0.1:${health.port}/healthz and /metrics`);
    } catch (error) {
      logger.fatal({ port, code: (error as { code?: unknown }).code }, listenFailure(error, port, 'METRICS_PORT', note));
      await shutdown.stop();
      return 1;
    }
  }
  const starting = startBot({
    token,
    ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    ...app.answering,
    onGuildLeft: app.leftGuild,
  });
  // Logging in has started: the catalog, the metrics and pretty logs load while the gateway connects.
  // Reading and parsing go on while the gateway connects; indexing waits for it (or its failure).
  void app.connecting(
    starting.then(
      () => undefined,
      () => undefined,
    ),
  );
  try {
    const bot = await starting;
    gateway.client = bot.client;
    shutdown.add('drain', 'disconnecting', () => bot.stop(SHUTDOWN_GRACE_MS));
    app.useDiscord(bot.client.rest);
    // One shard posts the daily links (the claims would keep the others from posting twice, at the cost of their queries).
    if ((config.shardId ?? 0) === 0) app.postDaily(bot.client.rest);
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
    await shutdown.stop();
    return app.exitCode(1);
  }
  const cause = await shutdown.untilStopped();
  // A database that could not be opened is a setting to fix: 2, as for the others.
  return app.exitCode(app.storageRefused ? 2 : 'fatal' in cause ? 1 : 0);
}
