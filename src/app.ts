import type { REST } from 'discord.js';
import { CatalogGate, type CatalogSource } from './catalog-gate.js';
import type { Catalog } from './catalog/types.js';
import type { AnyCommand, CommandServices, SettingsDefaults } from './commands/command.js';
import { commands, messageCommands } from './commands/index.js';
import type { Config } from './config.js';
import { Cooldowns, ServerCooldowns, type CooldownGate } from './serve/cooldowns.js';
import type { DailyFallback } from './serve/daily-schedule.js';
import { SettingsCache } from './serve/settings-cache.js';
import { formatTimeOfDay } from './pick/local-time.js';
import type { Storage } from './storage/storage.js';
import type { AnsweringOptions } from './serve/options.js';
import type { LiveCatalog } from './live-catalog.js';
import type { Logger } from './logger.js';
import { botLogger, consoleLogger } from './observability/bot-logger.js';
import { LazyMetrics } from './observability/lazy-metrics.js';
import { Shutdown } from './shutdown.js';

/**
 * The app's services, built once from the configuration: the logger, the catalog (loaded beside
 * the connection), the metrics, the cooldowns, the services handed to commands, the storage slot
 * and the shutdown. The transports (gateway bot, HTTP endpoint, console) take what they need from
 * here and register what they start with `shutdown`. Building it loads neither the search code,
 * the markdown stack, prom-client nor pino-pretty: `connecting()` loads them once a connection
 * has started.
 */

export interface AppOptions {
  /** `console`: the local console's labelled lines on stderr instead of the bot's JSON log. */
  surface?: 'bot' | 'console';
  /** The storage, when there is one: handed to commands and closed after the last answer. */
  storage?: Storage;
  /**
   * When the storage is still opening (`OpeningStorage`): settles once it is open, or rejects with
   * why it cannot be, which stops the app (see `storageRefused`).
   */
  storageOpening?: Promise<unknown>;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  /** The catalog being served, once loaded; answering waits on it before. */
  readonly catalog: CatalogGate;
  /** Prometheus metrics when METRICS_PORT is set, loaded by `connecting()`. */
  readonly metrics: LazyMetrics | undefined;
  /** Per-member cooldowns: the environment's, or each server's own once there is a storage. */
  readonly cooldowns: CooldownGate;
  readonly commands: readonly AnyCommand[];
  /** What commands receive as `ctx.services`. */
  readonly services: CommandServices;
  readonly storage: Storage | undefined;
  /**
   * True once the storage could not be opened: the app has then logged why, in one line naming
   * what to fix, and stopped; the runner exits 2, as for any other bad setting.
   */
  readonly storageRefused: boolean;
  /** Everything started registers its stop here; a signal or a fatal error runs them in order. */
  readonly shutdown: Shutdown;
  /** What the gateway bot and the HTTP endpoint answer with. */
  readonly answering: AnsweringOptions;
  /**
   * Call once a connection has started (logging in, listening): loads pretty logs and the metrics,
   * and starts loading the catalog, whose index is built once `indexAfter` settles. Resolves once
   * pretty logs are loaded.
   */
  connecting(indexAfter?: Promise<unknown>): Promise<void>;
  /** /healthz about the catalog, `prefix` before its reason (`connected, ` on the gateway). */
  health(prefix: string): { ok: boolean; reason: string };
  /**
   * Posts each server's link of the day through `rest` (and DAILY_CHANNEL_ID's, when set), claimed
   * in the storage; nothing without one. Stopped at shutdown.
   */
  postDaily(rest: REST): void;
  /** Discord's REST, once the transport has one: /settings then checks the bot's permissions in a channel it saves. */
  useDiscord(rest: REST): void;
  /** The bot was removed from a server: its settings and claims are deleted (logged when the database is away). */
  leftGuild(guildId: string): void;
  /** Serves a catalog loaded before serving (the console), reloading it as the content changes. */
  serveLoaded(catalog: Catalog): Promise<LiveCatalog>;
  /** The process's exit code once stopped (see `exitCodeOf`). */
  exitCode(code: number): number;
}

/**
 * What answering takes from the storage: each server's settings through a cache (no database
 * round trip per interaction), the cooldowns (a server's own rule, shared through the database on
 * PostgreSQL; the environment's in memory without a storage) and the services commands receive.
 */
export function settingsServices(
  config: Config,
  storage: Storage | undefined,
  logger: Logger,
): { settings: SettingsCache | undefined; cooldowns: CooldownGate; services: CommandServices } {
  const defaultCooldowns = new Cooldowns(config.cooldownCommands, config.cooldownSeconds * 1000);
  const settings = storage ? new SettingsCache(storage, logger) : undefined;
  const cooldowns: CooldownGate = storage && settings ? new ServerCooldowns(defaultCooldowns, settings, storage, logger) : defaultCooldowns;
  const services: CommandServices = {
    logger,
    defaults: settingsDefaults(config),
    ...(storage ? { storage } : {}),
    ...(settings ? { settings } : {}),
  };
  return { settings, cooldowns, services };
}

export function buildApp(config: Config, options: AppOptions = {}): App {
  const { logger: base, prettyLater } =
    options.surface === 'console' ? { logger: consoleLogger(), prettyLater: () => Promise.resolve() } : botLogger(config);
  // A shard's lines say which shard wrote them; the manager interleaves them all on one output.
  const logger = config.shardId === undefined ? base : base.child({ shard: config.shardId });
  const catalog = new CatalogGate();
  const metrics = config.metricsPort === undefined ? undefined : new LazyMetrics();
  const storage = options.storage;
  const { settings, cooldowns, services } = settingsServices(config, storage, logger);
  if (settings) {
    settings
      .preload()
      .catch((error: unknown) => logger.warn({ err: error }, 'cannot read the servers’ settings at start; each is read when first needed'));
  }
  const database = storage ? new DatabaseHealth(storage) : undefined;
  // The console's stop needs no announcement: the person who typed /quit or Ctrl-C knows.
  const shutdown = new Shutdown(logger, options.surface === 'console' ? { announce: () => undefined } : {});
  if (storage) {
    shutdown.add('storage', 'closing the storage', () => {
      settings?.close();
      return storage.close();
    });
  }
  let storageRefused = false;
  options.storageOpening?.catch((error: unknown) => {
    storageRefused = true;
    logger.fatal(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
    void shutdown.stop({ fatal: true });
  });
  shutdown.add('logs', 'writing the last log lines', async () => {
    await prettyLater();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  });
  const answering: AnsweringOptions = {
    linkdex: catalog.linkdex,
    catalog,
    commands,
    messageCommands,
    logger,
    services,
    cooldowns,
    ...(metrics ? { onAnswered: metrics.recordInteraction } : {}),
  };
  return {
    config,
    logger,
    catalog,
    metrics,
    cooldowns,
    commands,
    services,
    storage,
    get storageRefused() {
      return storageRefused;
    },
    shutdown,
    answering,
    connecting(indexAfter) {
      const pretty = prettyLater();
      metrics?.load();
      import('./serve-catalog.js').then(
        ({ serveCatalog }) => {
          if (shutdown.started) return;
          const serving = serveCatalog(config, catalog, logger, metrics?.loaded, indexAfter);
          shutdown.add('catalog', 'closing the catalog', () => serving.close());
        },
        (error: unknown) => {
          logger.error({ err: error }, 'cannot load the catalog code');
          catalog.fail(error as Error);
        },
      );
      return pretty;
    },
    health(prefix) {
      const health = catalogHealth(catalog, prefix);
      const degraded = database?.degraded();
      // Still ready: answers go on from memory, so a replica stays in rotation while the database is away.
      return degraded ? { ok: health.ok, reason: `${health.reason}; ${degraded}` } : health;
    },
    postDaily(rest) {
      // Every entry point that has a transport opens a storage (main.ts); the claims live there.
      if (!storage) return;
      const daily = dailyPostWhenReady(config, rest, catalog, storage, logger, metrics);
      shutdown.add('jobs', 'stopping the daily post', () => daily.stop());
    },
    useDiscord(rest) {
      void import('./discord/channel-access.js').then(({ restChannelAccess }) => {
        services.channelAccess = restChannelAccess(rest);
      });
    },
    leftGuild(guildId) {
      if (!storage) return;
      settings?.forget(guildId);
      storage.deleteGuild(guildId).then(
        () => logger.info({ guild: guildId }, `removed from server ${guildId}: its settings are deleted`),
        (error: unknown) => logger.error({ err: error, guild: guildId }, `removed from server ${guildId}, but cannot delete its settings`),
      );
    },
    async serveLoaded(loaded) {
      const { watchAndReload } = await import('./serve-catalog.js');
      const serving = watchAndReload(config, loaded, logger);
      shutdown.add('catalog', 'closing the catalog', () => serving.close());
      catalog.open(serving.live);
      return serving.live;
    },
    exitCode: (code) => exitCodeOf(code, catalog, shutdown),
  };
}

/**
 * Whether the database answers, for /healthz: pinged when health is asked, at most once a second,
 * so a check says what the ping before it found. No timer: nothing to stop.
 */
class DatabaseHealth {
  private answering = true;
  private lastPing = Number.NEGATIVE_INFINITY;
  private pinging = false;

  constructor(private readonly storage: Storage) {}

  /** `degraded: …` when the last ping failed; undefined while it answers. */
  degraded(): string | undefined {
    if (!this.pinging && Date.now() - this.lastPing >= 1000) {
      this.pinging = true;
      this.lastPing = Date.now();
      void this.storage.ping().then((ok) => {
        this.answering = ok;
        this.pinging = false;
      });
    }
    return this.answering ? undefined : `degraded: the database (${this.storage.description}) does not answer`;
  }
}

/**
 * The process's exit code once the bot has stopped. A first load still under way (its parse
 * worker keeps the process alive) is not waited for, nor a step that outlived the shutdown's
 * deadline: the process then exits as soon as it is done.
 */
function exitCodeOf(code: number, gate: CatalogGate, shutdown: Shutdown): number {
  if (gate.state === 'loading' || shutdown.timedOut) setImmediate(() => process.exit(code));
  return code;
}

/** What /healthz adds about the last reload when it failed: the links served are older than the content. */
function reloadNote(source: CatalogSource): string {
  const last = source.lastReload;
  return last && !last.ok ? `; last reload failed at ${last.at.toISOString()}: ${last.reason ?? 'unknown error'}` : '';
}

/**
 * /healthz about the catalog: 503 while it loads and when it could not be loaded (a replica that
 * can only defer is not ready to take traffic another one would answer at once); once served,
 * `ok` with the link count and the last reload's failure, if any.
 */
export function catalogHealth(gate: CatalogGate, prefix: string): { ok: boolean; reason: string } {
  if (gate.state === 'loading')
    return { ok: false, reason: `${prefix}loading the catalog (${(gate.elapsedMs() / 1000).toFixed(1)} s so far)` };
  if (gate.state === 'failed' || !gate.source)
    return { ok: false, reason: `${prefix}the catalog could not be loaded: ${gate.failure?.message ?? 'unknown error'}` };
  const links = gate.source.current.catalog.entries.length;
  return links > 0
    ? { ok: true, reason: `ok: ${prefix}${links} link${links === 1 ? '' : 's'}${reloadNote(gate.source)}` }
    : { ok: false, reason: `${prefix}no links loaded` };
}

/** What the bot's settings follow where a server has none of its own: the environment. */
export function settingsDefaults(config: Config): SettingsDefaults {
  const fallback = dailyFallback(config);
  return {
    cooldown: { commands: config.cooldownCommands, seconds: config.cooldownSeconds },
    ...(fallback
      ? {
          daily: {
            channelId: fallback.channelId,
            time: formatTimeOfDay(fallback.minutes),
            ...(fallback.guildId === undefined ? {} : { guildId: fallback.guildId }),
          },
        }
      : {}),
  };
}

/** DAILY_CHANNEL_ID at DAILY_TIME, for DISCORD_GUILD_ID's server. */
function dailyFallback(config: Config): DailyFallback | undefined {
  if (!config.dailyChannelId) return undefined;
  return {
    channelId: config.dailyChannelId,
    minutes: config.dailyMinutes,
    ...(config.discordGuildId === undefined ? {} : { guildId: config.discordGuildId }),
  };
}

/**
 * Every server's link of the day, posted through `rest` once the catalog is served, claimed in
 * `storage` so each is posted once a day whatever the number of processes. The post's code loads
 * then, not at start. `stop()` works before it has started too.
 */
export function dailyPostWhenReady(
  config: Config,
  rest: REST,
  gate: CatalogGate,
  storage: Storage,
  logger: Logger,
  metrics?: LazyMetrics,
): { stop(): void } {
  let stopped = false;
  let daily: { stop(): void } | undefined;
  gate.ready.then(
    async () => {
      const { startDailyPosts } = await import('./discord/daily-post.js');
      // The day the JSON state of linkdex before the database says was posted: claimed, so it is not posted again.
      const { importLegacyDaily, environmentDailyKey } = await import('./storage/legacy-daily.js');
      try {
        const legacy = await importLegacyDaily(storage, config.stateDir, environmentDailyKey(config));
        if (legacy.kind === 'imported')
          logger.info({ day: legacy.day, movedTo: legacy.movedTo }, `the old daily post state is in the database now (${legacy.movedTo})`);
        if (legacy.kind === 'kept') logger.warn(legacy.reason);
      } catch (error) {
        logger.error({ err: error }, 'cannot bring the old daily post state into the database; it stays where it is');
      }
      if (stopped) return;
      const fallback = dailyFallback(config);
      daily = startDailyPosts({
        rest,
        storage,
        linkdex: gate.linkdex,
        logger,
        ...(fallback ? { fallback } : {}),
        ...(metrics ? { onResult: metrics.recordDailyPost } : {}),
      });
    },
    () => logger.warn('no link of the day will be posted: the catalog could not be loaded'),
  );
  return {
    stop: () => {
      stopped = true;
      daily?.stop();
    },
  };
}
