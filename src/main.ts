import os from 'node:os';
import path from 'node:path';
import { commands } from '../commands/index.js';
import { loadCatalog } from './catalog/load-catalog.js';
import { loadCatalogInWorker } from './catalog/load-in-worker.js';
import { ContentPathError } from './catalog/read-files.js';
import type { Catalog } from './catalog/types.js';
import { watchContent } from './catalog/watch-content.js';
import { SHIPPED_CONTENT_DIR, type Config, type Secret } from './config.js';
import { startBot } from './discord/bot.js';
import { startHttpEndpoint, INTERACTIONS_PATH } from './discord/http-endpoint.js';
import { Cooldowns } from './discord/cooldowns.js';
import { startDailyPost } from './discord/daily-post.js';
import { explainDiscordFailure } from './discord/explain-failure.js';
import { entryConfig } from './entry.js';
import { LiveCatalog, ReloadTimeout, type ReloadLog } from './live-catalog.js';
import { createLogger, type Logger } from './logger.js';
import { listenFailure } from './observability/listen-failure.js';
import type { HealthServer } from './observability/health-server.js';
import type { BotMetrics } from './observability/metrics.js';
import { REST, Status, type Client } from 'discord.js';
import { consoleBanner } from './console/banner.js';
import { runConsole } from './console/run-console.js';
import { plural } from './text.js';

const SHUTDOWN_GRACE_MS = 3000;
/** Discord-side cleanup must not keep the process past this: SIGTERM's caller waits 5 s at most. */
const SHUTDOWN_DEADLINE_MS = 4500;

/**
 * Reloads the catalog when CONTENT_DIR changes, parsing in a worker so answers are not held up.
 * Parsing stops at RELOAD_TIMEOUT_SECONDS (files left keep their previous version); a reload still
 * running 5 s later is stopped whole. `close()` stops the watcher and the reload under way.
 */
function watchAndReload(config: Config, catalog: Catalog, logger: ReloadLog, metrics?: BotMetrics): { live: LiveCatalog; close(): void } {
  // The load at start is the first reload: until the content changes, it is the last one.
  metrics?.recordReload(true, catalog.loadedAt);
  const live = new LiveCatalog(
    catalog,
    (signal) => loadCatalogInWorker(config.contentDir, { ...loadOptions(config), deadlineMs: config.reloadTimeoutMs, signal }),
    logger,
    (_, next) => {
      metrics?.recordCatalog(next.entries.length);
      metrics?.recordReload(true, new Date());
    },
    (error) => metrics?.recordReload(false, new Date(), error instanceof ReloadTimeout ? 'timeout' : 'error'),
    { timeoutMs: config.reloadTimeoutMs + 5000 },
  );
  const watcher = watchContent(
    config.contentDir,
    () => void live.reload(),
    (error) => logger.error({ err: error }, `cannot watch ${config.contentDir}; the catalog is reloaded when it is back`),
  );
  return {
    live,
    close: () => {
      watcher.close();
      live.close();
    },
  };
}

/** What /healthz adds about the last reload when it failed: the links served are older than the content. */
function reloadNote(live: LiveCatalog): string {
  const last = live.lastReload;
  return last && !last.ok ? `; last reload failed at ${last.at.toISOString()}: ${last.reason ?? 'unknown error'}` : '';
}

/** The link of the day, posted to `channelId` through `rest`; its last day is kept in STATE_DIR. */
function dailyPost(config: Config, channelId: string, rest: REST, live: LiveCatalog, logger: Logger) {
  return startDailyPost({
    rest,
    channelId,
    minutes: config.dailyMinutes,
    stateFile: path.join(config.stateDir, 'daily-post.json'),
    linkdex: () => live.current,
    logger,
  });
}

function loadOptions(config: Config) {
  // Parsed files are cached under .cache/ in the working directory; a restart with unchanged content skips the parse.
  return {
    includeDrafts: config.includeDrafts,
    cacheDir: path.join(process.cwd(), '.cache'),
    budget: { timeoutMs: config.parseTimeoutMs, memoryMb: config.parseMemoryMb },
  };
}

/** Pretty, coloured lines for a person at a terminal; JSON lines for everything else. */
async function botLogger(config: Config): Promise<Logger> {
  // The token's value is cut out of every line, wherever it turns up (an error echoing a header).
  const secrets = [config.discordToken?.reveal()];
  if (!process.stdout.isTTY) return createLogger(config.logLevel, undefined, secrets);
  const { default: pretty } = await import('pino-pretty');
  return createLogger(config.logLevel, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss' }), secrets);
}

/**
 * Resolves once SIGINT or SIGTERM has been handled: `stop` (stop taking work, finish what is in
 * flight) is given until SHUTDOWN_DEADLINE_MS; a failure is logged as `failure`.
 */
function untilStopped(logger: Logger, failure: string, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      setTimeout(() => resolve(), SHUTDOWN_DEADLINE_MS).unref();
      stop().then(resolve, (error: unknown) => {
        logger.error({ err: error }, failure);
        resolve();
      });
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
}

/** The port a gateway bot serves /healthz and /metrics on: shards run side by side, each on METRICS_PORT plus its id. */
function metricsPortOf(metricsPort: number, shardId: number | undefined): { port: number; note: string } {
  if (metricsPort === 0 || !shardId) return { port: metricsPort, note: '' };
  return { port: metricsPort + shardId, note: ` (METRICS_PORT ${metricsPort} + shard ${shardId})` };
}

async function runBot(config: Config & { discordToken: Secret }, catalog: Catalog): Promise<number> {
  const base = await botLogger(config);
  // A shard's lines say which shard wrote them; the manager interleaves them all on one output.
  const logger = config.shardId === undefined ? base : base.child({ shard: config.shardId });
  // The client exists once logged in; metrics ask it for the gateway ping when scraped.
  const gateway: { client?: Client } = {};
  // prom-client is loaded only when metrics are asked for.
  const metrics =
    config.metricsPort === undefined
      ? undefined
      : (await import('./observability/metrics.js')).createMetrics(() => gateway.client?.ws.ping ?? -1);
  metrics?.recordCatalog(catalog.entries.length);
  const { live, close } = watchAndReload(config, catalog, logger, metrics);
  // Every port is bound before logging in: a port that is taken must stop the start before it
  // costs a gateway login (a shard restarted on every failure would log in again each time).
  let health: HealthServer | undefined;
  if (metrics && config.metricsPort !== undefined) {
    const { port, note } = metricsPortOf(config.metricsPort, config.shardId);
    try {
      health = await (
        await import('./observability/health-server.js')
      ).startHealthServer(
        port,
        () =>
          gateway.client?.ws.status === Status.Ready
            ? { ok: true, reason: `ok: connected, ${live.current.catalog.entries.length} links${reloadNote(live)}` }
            : { ok: false, reason: 'gateway not connected' },
        metrics.registry,
      );
    } catch (error) {
      logger.fatal({ port, code: (error as { code?: unknown }).code }, listenFailure(error, port, 'METRICS_PORT', note));
      close();
      return 1;
    }
    logger.info({ port: health.port }, `health and metrics on http://127.0.0.1:${health.port}/healthz and /metrics`);
  }
  let bot;
  try {
    bot = await startBot({
      token: config.discordToken,
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
      linkdex: () => live.current,
      commands,
      logger,
      cooldowns: new Cooldowns(config.cooldownCommands, config.cooldownSeconds * 1000),
      ...(metrics ? { onAnswered: (summary, seconds) => metrics.recordInteraction(summary.command, summary.outcome, seconds) } : {}),
    });
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
    close();
    await health?.close();
    return 1;
  }
  gateway.client = bot.client;
  const running = bot;
  // One shard posts the daily link; every shard would otherwise post it once.
  const daily =
    config.dailyChannelId && (config.shardId ?? 0) === 0
      ? dailyPost(config, config.dailyChannelId, bot.client.rest, live, logger)
      : undefined;
  await untilStopped(logger, 'error while disconnecting', () => {
    close();
    daily?.stop();
    void health?.close();
    return running.stop(SHUTDOWN_GRACE_MS);
  });
  return 0;
}

/** `host:port` as a URL writes it: an IPv6 address in brackets. */
function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Why a server could not listen, in one line that names the variable to change. */
function cannotListen(error: unknown, host: string, port: number, portVariable: 'PORT' | 'METRICS_PORT'): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `cannot listen on ${hostPort(host, port)}`;
  if (code === 'EADDRINUSE') return `${where}: the port is already in use; set ${portVariable} to a free port (0 picks any)`;
  if (code === 'EACCES') return `${where}: permission denied (ports below 1024 need privileges); set ${portVariable} to 1024 or above`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `${where}: no such address on this machine; set HOST to one of its addresses (0.0.0.0 for all)`;
  return `${where}: ${error instanceof Error ? error.message : String(error)}; check ${portVariable} and HOST`;
}

/**
 * MODE=http: Discord POSTs each interaction to HOST:PORT; answered by the same respond() as the
 * gateway bot, with /healthz on the same server and /metrics only on METRICS_PORT, when set. Needs
 * no token to answer; with DISCORD_TOKEN and DAILY_CHANNEL_ID it also posts the link of the day
 * (set those on one replica). The ports are taken before anything else starts: a busy one is
 * reported in one line, and the process exits 1.
 */
async function runHttp(config: Config & { discordPublicKey: string }, catalog: Catalog): Promise<number> {
  const logger = await botLogger(config);
  // prom-client is loaded only when metrics are asked for.
  const metrics = config.metricsPort === undefined ? undefined : (await import('./observability/metrics.js')).createMetrics();
  metrics?.recordCatalog(catalog.entries.length);
  // Set right after listening, before the first request can be read.
  const serving: { live?: LiveCatalog } = {};
  const current = () => {
    if (!serving.live) throw new Error('the catalog is not being served yet');
    return serving.live.current;
  };
  const healthy = () => {
    const links = serving.live?.current.catalog.entries.length ?? 0;
    return links > 0 && serving.live
      ? { ok: true, reason: `ok: ${plural(links, 'link')}${reloadNote(serving.live)}` }
      : { ok: false, reason: 'no links loaded' };
  };
  let endpoint;
  try {
    endpoint = await startHttpEndpoint({
      port: config.port,
      host: config.host,
      publicKey: config.discordPublicKey,
      ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
      linkdex: current,
      commands,
      logger,
      cooldowns: new Cooldowns(config.cooldownCommands, config.cooldownSeconds * 1000),
      ...(metrics ? { onAnswered: (summary, seconds) => metrics.recordInteraction(summary.command, summary.outcome, seconds) } : {}),
      health: { healthy },
    });
  } catch (error) {
    process.stderr.write(`${cannotListen(error, config.host, config.port, 'PORT')}\n`);
    return 1;
  }
  const running = endpoint;
  let health: HealthServer | undefined;
  if (metrics && config.metricsPort !== undefined) {
    try {
      health = await (await import('./observability/health-server.js')).startHealthServer(config.metricsPort, healthy, metrics.registry);
    } catch (error) {
      await running.close(0);
      process.stderr.write(`${cannotListen(error, '0.0.0.0', config.metricsPort, 'METRICS_PORT')}\n`);
      return 1;
    }
  }
  const { live, close } = watchAndReload(config, catalog, logger, metrics);
  serving.live = live;
  const links = live.current.catalog.entries.length;
  logger.info(
    { host: running.host, port: running.port, links, categories: live.current.catalog.categories.length },
    `listening on http://${hostPort(running.host, running.port)}${INTERACTIONS_PATH} (and /healthz), serving ${plural(links, 'link')}`,
  );
  if (health) logger.info({ port: health.port }, `health and metrics on http://127.0.0.1:${health.port}/healthz and /metrics`);
  // Config has made sure a channel comes with a token.
  const daily =
    config.dailyChannelId && config.discordToken
      ? dailyPost(
          config,
          config.dailyChannelId,
          new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken.reveal()),
          live,
          logger,
        )
      : undefined;
  await untilStopped(logger, 'error while closing the server', () => {
    close();
    daily?.stop();
    void health?.close();
    return running.close(SHUTDOWN_GRACE_MS);
  });
  return 0;
}

async function runLocalConsole(config: Config, catalog: Catalog): Promise<number> {
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

/**
 * Where the content path came from, for a message about it: the flag, the variable, or neither
 * (the shipped catalog).
 */
function contentSetting(config: Config, flagFor: Partial<Record<string, string>>): string {
  const flag = flagFor['CONTENT_DIR'];
  if (flag) return `check ${flag}`;
  if (config.contentDir !== SHIPPED_CONTENT_DIR) return 'check CONTENT_DIR';
  return 'the shipped content/ folder is missing: restore it, or set CONTENT_DIR';
}

/**
 * `npm start`: the gateway bot when a token is set, otherwise the console on the catalog; the
 * HTTP interactions endpoint with MODE=http, or `--http` (`npm run start:http`).
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const entry = entryConfig(args.includes('--http') ? 'start:http' : 'start', args);
  if ('exitCode' in entry) return entry.exitCode;
  const { config, flagFor } = entry;
  let catalog;
  try {
    catalog = await loadCatalog(config.contentDir, loadOptions(config));
  } catch (error) {
    if (error instanceof ContentPathError) {
      process.stderr.write(`${error.message}; ${contentSetting(config, flagFor)}\n`);
      return 2;
    }
    throw error;
  }
  const { discordToken, discordPublicKey } = config;
  // loadConfig requires the public key when MODE=http.
  if (config.mode === 'http' && discordPublicKey) return runHttp({ ...config, discordPublicKey }, catalog);
  return discordToken ? runBot({ ...config, discordToken }, catalog) : runLocalConsole(config, catalog);
}

process.exitCode = await main();
// A shard's IPC channel to the sharding manager would keep the process alive once it is done,
// stopped or failed: a shard that cannot start must exit at once, not when the manager gives up.
process.channel?.unref();
