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
  /** The application's id, needed to register commands (npm run deploy). */
  discordClientId?: string;
  /** Register commands to this guild only (instant), instead of globally. */
  discordGuildId?: string;
  /** REST base, `https://discord.com/api` by default: a proxy, or the tests' fake Discord. */
  discordApiUrl?: string;
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

const snowflake = optionalText.refine((v) => v === undefined || /^\d{17,20}$/.test(v), 'must be a Discord id (17 to 20 digits)');

const schema = z.object({
  DISCORD_TOKEN: optionalText.refine((v) => v === undefined || !/\s/.test(v), 'must not contain spaces'),
  DISCORD_CLIENT_ID: snowflake,
  DISCORD_GUILD_ID: snowflake,
  DISCORD_API_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
    'must be an http(s) URL such as https://discord.com/api',
  ),
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
  if (v.DISCORD_CLIENT_ID !== undefined) config.discordClientId = v.DISCORD_CLIENT_ID;
  if (v.DISCORD_GUILD_ID !== undefined) config.discordGuildId = v.DISCORD_GUILD_ID;
  if (v.DISCORD_API_URL !== undefined) config.discordApiUrl = v.DISCORD_API_URL.replace(/\/+$/, '');
  return config;
}

/** The variables registering commands needs, all named at once when missing. */
export function requireDeployConfig(config: Config): Config & { discordToken: Secret; discordClientId: string } {
  const missing = [
    ...(config.discordToken ? [] : ['DISCORD_TOKEN is required to register commands']),
    ...(config.discordClientId ? [] : ['DISCORD_CLIENT_ID is required to register commands (the application id, in the developer portal)']),
  ];
  if (missing.length > 0 || !config.discordToken || !config.discordClientId) throw new ConfigError(missing);
  return { ...config, discordToken: config.discordToken, discordClientId: config.discordClientId };
}

/** Loads `.env` from the working directory into the environment, if there is one; real variables win. */
export function loadDotenvFile(cwd = process.cwd()): void {
  dotenv.config({ path: path.join(cwd, '.env'), quiet: true });
}
