import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Interaction and webhook tokens are part of Discord's URLs, and anyone holding one can answer as
 * the bot for 15 minutes: they are cut out of any text before it is logged.
 */
export function withoutUrlTokens(text: string): string {
  return text.replace(/(\/interactions\/\d+\/)[^/?\s"]+/g, '$1[redacted]').replace(/(\/webhooks\/\d+\/)[^/?\s"]+/g, '$1[redacted]');
}

/**
 * An error as logged: its name, message, status and code, and its stack, with URL tokens cut
 * out. Request bodies and headers (discord.js errors carry both) are left out.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: withoutUrlTokens(String(error)) };
  const { status, code, method, url } = error as Error & { status?: unknown; code?: unknown; method?: unknown; url?: unknown };
  return {
    type: error.name,
    message: withoutUrlTokens(error.message),
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(typeof method === 'string' ? { method } : {}),
    ...(typeof url === 'string' ? { url: withoutUrlTokens(url) } : {}),
    ...(error.stack ? { stack: withoutUrlTokens(error.stack) } : {}),
  };
}

export type { Logger };

/**
 * Structured JSON logs. Anything named like a token is redacted, so a secret that slips into a
 * log call still never reaches the output.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: null,
    redact: { paths: ['token', '*.token', 'discordToken', '*.discordToken', 'headers.authorization'], censor: '[redacted]' },
    serializers: { err: safeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
