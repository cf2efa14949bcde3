import { REST } from 'discord.js';
import type { App } from './app.js';
import { INTERACTIONS_PATH, startHttpEndpoint } from './discord/http-endpoint.js';
import { startHealthServer, type HealthServer } from './observability/health-server.js';
import { listenFailure } from './observability/listen-failure.js';
import { SHUTDOWN_GRACE_MS } from './run-gateway.js';

/** `host:port` as a URL writes it: an IPv6 address in brackets. */
function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Why a server could not listen, in one line that names the variable to change: the port's, in
 * the words every server of the bot uses (`listenFailure`), or HOST when the address is not one
 * of this machine's. The interactions endpoint names its address too: HOST chose it.
 */
export function cannotListen(error: unknown, host: string | undefined, port: number, portVariable: 'PORT' | 'METRICS_PORT'): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (host !== undefined && (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'))
    return `HOST: ${host} is not an address of this machine; set HOST to one of its addresses (0.0.0.0 for all)`;
  return listenFailure(error, port, portVariable, host === undefined ? '' : ` on ${host}`);
}

/**
 * MODE=http: Discord POSTs each interaction to HOST:PORT; answered by the same respond() as the
 * gateway bot, with /healthz on the same server and /metrics only on METRICS_PORT, when set. Needs
 * no token to answer; with DISCORD_TOKEN and DAILY_CHANNEL_ID it also posts the link of the day
 * (set those on one replica). The ports are taken first (a busy one is reported in one line, and
 * the process exits 1), then the catalog loads while the endpoint already answers: what comes
 * before it waits for it (see `respond`).
 */
export async function runHttp(app: App, publicKey: string): Promise<number> {
  const { config, logger, metrics, shutdown } = app;
  const healthy = () => app.health('');
  let endpoint;
  try {
    endpoint = await startHttpEndpoint({
      port: config.port,
      host: config.host,
      publicKey,
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
      ...app.answering,
      health: { healthy },
    });
  } catch (error) {
    process.stderr.write(`${cannotListen(error, config.host, config.port, 'PORT')}\n`);
    return 1;
  }
  const running = endpoint;
  shutdown.add('drain', 'closing the server', () => running.close(SHUTDOWN_GRACE_MS));
  let health: HealthServer | undefined;
  if (metrics && config.metricsPort !== undefined) {
    try {
      const server = await startHealthServer(
        config.metricsPort,
        healthy,
        metrics.loaded.then((m) => m.registry),
      );
      // Closed without waiting: a scraper's kept-alive connection must not hold the stop.
      shutdown.add('accept', 'closing the health server', () => void server.close());
      health = server;
    } catch (error) {
      await running.close(0);
      process.stderr.write(`${cannotListen(error, undefined, config.metricsPort, 'METRICS_PORT')}\n`);
      return 1;
    }
  }
  // Listening: the catalog, the metrics and pretty logs load while requests are already taken.
  void app.connecting();
  logger.info(
    { host: running.host, port: running.port },
    `listening on http://${hostPort(running.host, running.port)}${INTERACTIONS_PATH} (and /healthz)`,
  );
  if (health) logger.info({ port: health.port }, `health and metrics on http://127.0.0.1:${health.port}/healthz and /metrics`);
  // Config has made sure a channel comes with a token. With a token, each server's link of the day
  // is posted (claimed, so once across replicas) and /settings checks the bot's permissions.
  if (config.discordToken) {
    const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken.reveal());
    app.useDiscord(rest);
    app.postDaily(rest);
  }
  const cause = await shutdown.untilStopped();
  // A database that could not be opened is a setting to fix: 2, as for the others.
  return app.exitCode(app.storageRefused ? 2 : 'fatal' in cause ? 1 : 0);
}
