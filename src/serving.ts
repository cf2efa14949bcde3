import { writeSync } from 'node:fs';
import path from 'node:path';
import type { REST } from 'discord.js';
import { commands } from './commands/index.js';
import type { CatalogGate, CatalogSource } from './catalog-gate.js';
import type { Config } from './config.js';
import { Cooldowns } from './serve/cooldowns.js';
import { startDailyPost } from './discord/daily-post.js';
import type { InteractionSummary } from './serve/summary.js';
import type { AnsweringOptions } from './serve/options.js';
import { createLogger, type Logger } from './logger.js';
import type { DestinationStream } from 'pino';
import type { BotMetrics } from './observability/metrics.js';
import type { ServingCatalog } from './serve-catalog.js';

/**
 * What the gateway bot and the HTTP endpoint share at start and stop: the logger, the metrics,
 * the catalog loaded beside the connection, health, the daily post, signals. Nothing here loads
 * the search code, the markdown stack or prom-client: they come once the connection has started.
 */

export const SHUTDOWN_GRACE_MS = 3000;
/** Discord-side cleanup must not keep the process past this: SIGTERM's caller waits 5 s at most. */
const SHUTDOWN_DEADLINE_MS = 4500;

/**
 * pino-pretty, for a person at a terminal, loaded once the bot has started connecting (`load()`):
 * lines logged before wait for it, in order. Lines still waiting when the process exits (a start
 * that failed at once) are written as they are, JSON.
 */
class PrettyLater implements DestinationStream {
  #pretty: DestinationStream | undefined;
  #waiting: string[] = [];

  constructor() {
    process.once('exit', () => {
      for (const line of this.#waiting.splice(0)) writeSync(1, line);
    });
  }

  write(line: string): void {
    if (this.#pretty) this.#pretty.write(line);
    else this.#waiting.push(line);
  }

  async load(): Promise<void> {
    const { default: pretty } = await import('pino-pretty');
    this.#pretty ??= pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss' });
    for (const line of this.#waiting.splice(0)) this.#pretty.write(line);
  }
}

/**
 * JSON lines, or pretty, coloured ones for a person at a terminal once `prettyLater()` has been
 * called (after the connection has started: pino-pretty is some 10 MB of modules); a start that
 * fails awaits it, so its last line is pretty too.
 */
export function botLogger(config: Config): { logger: Logger; prettyLater(): Promise<void> } {
  // The token's value is cut out of every line, wherever it turns up (an error echoing a header).
  const secrets = [config.discordToken?.reveal()];
  if (!process.stdout.isTTY) return { logger: createLogger(config.logLevel, undefined, secrets), prettyLater: () => Promise.resolve() };
  const destination = new PrettyLater();
  return { logger: createLogger(config.logLevel, destination, secrets), prettyLater: () => destination.load().catch(() => undefined) };
}

/**
 * prom-client's metrics, when METRICS_PORT asks for them, loaded by `load()` once the bot has
 * started connecting. What happens before (an answer, the catalog's size) is recorded once loaded.
 */
export class LazyMetrics {
  #metrics: BotMetrics | undefined;
  #resolve!: (metrics: BotMetrics) => void;
  readonly loaded = new Promise<BotMetrics>((resolve) => (this.#resolve = resolve));

  constructor(private readonly gatewayPing?: () => number) {}

  load(): void {
    void import('./observability/metrics.js').then(({ createMetrics }) => {
      this.#metrics = createMetrics(this.gatewayPing);
      this.#resolve(this.#metrics);
    });
  }

  readonly recordInteraction = (summary: InteractionSummary, seconds: number): void => {
    if (this.#metrics) this.#metrics.recordInteraction(summary.command, summary.outcome, seconds);
    else void this.loaded.then((m) => m.recordInteraction(summary.command, summary.outcome, seconds));
  };
}

/** How both transports answer: from the gated catalog, with the commands, cooldowns and metrics. */
export function answeringOptions(config: Config, gate: CatalogGate, logger: Logger, metrics: LazyMetrics | undefined): AnsweringOptions {
  return {
    linkdex: gate.linkdex,
    catalog: gate,
    commands,
    logger,
    cooldowns: new Cooldowns(config.cooldownCommands, config.cooldownSeconds * 1000),
    ...(metrics ? { onAnswered: metrics.recordInteraction } : {}),
  };
}

/**
 * Starts loading the catalog into `gate`, reloading it as the content changes. Call it once the
 * connection has started: it imports the catalog and search code. The index is built once
 * `indexAfter` settles. `close()` stops reloading; a
 * first load still under way cannot be stopped half-way (see `exitCodeOf`).
 */
export function startCatalog(
  config: Config,
  gate: CatalogGate,
  logger: Logger,
  metrics?: LazyMetrics,
  indexAfter?: Promise<unknown>,
): { close(): void } {
  let closed = false;
  let serving: ServingCatalog | undefined;
  import('./serve-catalog.js').then(
    ({ serveCatalog }) => {
      if (!closed) serving = serveCatalog(config, gate, logger, metrics?.loaded, indexAfter);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'cannot load the catalog code');
      gate.fail(error as Error);
    },
  );
  return {
    close: () => {
      closed = true;
      serving?.close();
    },
  };
}

/**
 * The process's exit code once the bot has stopped. A first load still under way (its parse
 * worker keeps the process alive) is not waited for: the process exits as soon as it is done.
 */
export function exitCodeOf(code: number, gate: CatalogGate): number {
  if (gate.state === 'loading') setImmediate(() => process.exit(code));
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

/**
 * The link of the day, posted to `channelId` through `rest` once the catalog is served; its last
 * day is kept in STATE_DIR. `stop()` works before it has started too.
 */
export function dailyPostWhenReady(config: Config, channelId: string, rest: REST, gate: CatalogGate, logger: Logger): { stop(): void } {
  let stopped = false;
  let daily: { stop(): void } | undefined;
  gate.ready.then(
    () => {
      if (stopped) return;
      daily = startDailyPost({
        rest,
        channelId,
        minutes: config.dailyMinutes,
        stateFile: path.join(config.stateDir, 'daily-post.json'),
        linkdex: gate.linkdex,
        logger,
      });
    },
    () => logger.warn({ channel: channelId }, 'no link of the day will be posted: the catalog could not be loaded'),
  );
  return {
    stop: () => {
      stopped = true;
      daily?.stop();
    },
  };
}

/**
 * Resolves once SIGINT or SIGTERM has been handled: `stop` (stop taking work, finish what is in
 * flight) is given until SHUTDOWN_DEADLINE_MS; a failure is logged as `failure`.
 */
export function untilStopped(logger: Logger, failure: string, stop: () => Promise<void>): Promise<void> {
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
