import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';

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
 * The local console's news (reloads, content warnings, errors) as short labelled lines on stderr,
 * apart from the answers on stdout: `[reload] …`, `[content] …`, `[error] …`. Shown whatever
 * LOG_LEVEL says: they are the console's own messages, not a log.
 */
export function consoleLogger(): Logger {
  const destination: DestinationStream = {
    write(line: string) {
      const { level, msg } = JSON.parse(line) as { level: number; msg?: string };
      const label = level >= 50 ? 'error' : level >= 40 ? 'content' : 'reload';
      process.stderr.write(`[${label}] ${msg ?? ''}\n`);
    },
  };
  return createLogger('info', destination);
}
