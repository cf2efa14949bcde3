import { inspect } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { z } from 'zod';

/** The catalog shipped in the repository, served when CONTENT_DIR is not set. */
export const SHIPPED_CONTENT_DIR = fileURLToPath(new URL('../content', import.meta.url));

/** A value that must never reach a log: it prints as [redacted] however it is printed. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

export interface Config {
  discordToken?: Secret;
  /** Absolute path of the folder (or file) the catalog is read from. */
  contentDir: string;
  includeDrafts: boolean;
  logLevel: LogLevel;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const booleanText = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return false;
    const text = v.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    ctx.addIssue({ code: 'custom', message: `must be true or false, not ${JSON.stringify(v)}` });
    return z.NEVER;
  });

const schema = z.object({
  DISCORD_TOKEN: optionalText.refine((v) => v === undefined || !/\s/.test(v), 'must not contain spaces'),
  CONTENT_DIR: optionalText,
  INCLUDE_DRAFTS: booleanText,
  LOG_LEVEL: optionalText.refine((v) => v === undefined || (LOG_LEVELS as readonly string[]).includes(v), {
    message: `must be one of ${LOG_LEVELS.join(', ')}`,
  }),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once. Every bad variable is named in one error, and no
 * message ever includes a variable's value when that value is a secret.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(problems);
  }
  const v = parsed.data;
  const config: Config = {
    contentDir: v.CONTENT_DIR === undefined ? SHIPPED_CONTENT_DIR : path.resolve(cwd, v.CONTENT_DIR),
    includeDrafts: v.INCLUDE_DRAFTS,
    logLevel: (v.LOG_LEVEL ?? 'info') as LogLevel,
  };
  if (v.DISCORD_TOKEN !== undefined) config.discordToken = new Secret(v.DISCORD_TOKEN);
  return config;
}

/** Loads `.env` from the working directory into the environment, if there is one; real variables win. */
export function loadDotenvFile(cwd = process.cwd()): void {
  dotenv.config({ path: path.join(cwd, '.env'), quiet: true });
}
