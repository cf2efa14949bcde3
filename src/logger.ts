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

/** How long a log line may wait in the buffer before it is written. */
const FLUSH_EVERY_MS = 100;

/**
 * Standard output, written in blocks of about 4 KB or every 100 ms, whichever comes first. Every
 * autocomplete keystroke is logged, and a write per line cost a third of a bare bot's whole
 * round trip. pino writes what is pending when the process exits, also after an uncaught error;
 * only a SIGKILL loses the last 100 ms.
 */
function bufferedStdout(): DestinationStream {
  const out = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => {
    try {
      out.flush();
    } catch {
      // Closed while the process exits; pino has written what was pending.
    }
  }, FLUSH_EVERY_MS).unref();
  return out;
}

const SECRET_KEYS = new Set(['token', 'discordToken', 'authorization']);
const CENSOR = '[redacted]';

/** `fields` with every value named like a secret replaced: the object itself, when there is none. */
function censored(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in fields) {
    if (SECRET_KEYS.has(key)) (out ??= { ...fields })[key] = CENSOR;
  }
  return out ?? fields;
}

/**
 * Secrets are cut out of every line, at the top level and one level down (`{ token }`,
 * `{ interaction: { token } }`, `{ headers: { authorization } }`), without changing the caller's
 * object. It does what pino's `redact` option did with wildcard paths, which cloned every line
 * and cost 10 µs on each keystroke's log line; this costs a key lookup per field.
 */
export function withoutSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  let out = censored(fields);
  for (const key in out) {
    const value = out[key];
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Error) continue;
    const inner = censored(value as Record<string, unknown>);
    if (inner !== value) {
      if (out === fields) out = { ...fields };
      out[key] = inner;
    }
  }
  return out;
}

/**
 * `line` with every occurrence of each secret replaced. Field names and URL patterns miss a
 * secret that turns up elsewhere, such as an API error body that echoes the `Authorization`
 * header; the value itself is found wherever it is. A line without any costs one search per secret.
 */
export function withoutSecretValues(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(CENSOR);
  return out;
}

/**
 * Structured JSON logs, with anything named like a secret redacted (`withoutSecrets`), and the
 * values in `secrets` (the bot token) cut out of every line, wherever they appear.
 */
/** For code that takes a logger where nothing is to be logged (the console, the command line, tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export function createLogger(level: LogLevel, destination?: DestinationStream, secrets: readonly (string | undefined)[] = []): Logger {
  // A value this short would cut ordinary words out of lines; a bot token is some 70 characters.
  const values = secrets.filter((s): s is string => s !== undefined && s.length >= 8);
  const options = {
    level,
    base: null,
    formatters: { log: withoutSecrets },
    serializers: { err: safeError },
    ...(values.length > 0 ? { hooks: { streamWrite: (line: string) => withoutSecretValues(line, values) } } : {}),
  };
  return pino(options, destination ?? bufferedStdout());
}
