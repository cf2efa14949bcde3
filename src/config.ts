import { isIP } from 'node:net';
import { inspect } from 'node:util';
import path from 'node:path';
import dotenv from 'dotenv';
import { packageRoot } from './package-root.js';

/** The catalog shipped in the repository, served when CONTENT_DIR is not set. */
export const SHIPPED_CONTENT_DIR = path.join(packageRoot(), 'content');

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
  /** Slash commands a member may run per `cooldownSeconds`; 0 turns the limit off. */
  cooldownCommands: number;
  cooldownSeconds: number;
  /** Post the link of the day here, at `dailyMinutes` after midnight UTC. */
  dailyChannelId?: string;
  dailyMinutes: number;
  /** Where the bot keeps what must survive a restart: the SQLite file, unless `databaseUrl` is set. */
  stateDir: string;
  /** A `postgres://` URL (replicas and shards share it); undefined: the SQLite file under `stateDir`. A secret: it may hold a password. */
  databaseUrl?: Secret;
  /** Serve /healthz and /metrics on this port (0: any free port); none when undefined. */
  metricsPort?: number;
  /** Shards the bot has in all, over every machine (discord.js's `totalShards`). */
  shardCount: number;
  /**
   * The shards `npm run start:sharded` starts on this machine, one process each (SHARD_LIST);
   * undefined: all of `shardCount`. Ids are below `shardCount`, each once.
   */
  shardList?: number[];
  /** Wait between starting shards: Discord allows one IDENTIFY per 5 s per bucket. */
  shardSpawnDelayMs: number;
  /** Set in a shard process started by the sharding manager (its `SHARDS`). */
  shardId?: number;
  /** `gateway`: one connection to Discord's gateway; `http`: Discord POSTs interactions to `port`. */
  mode: Mode;
  /** Where the HTTP interactions endpoint listens (MODE=http; 0: any free port). */
  port: number;
  /** The address it listens on: every IPv4 interface (`0.0.0.0`) unless HOST says otherwise. */
  host: string;
  /** The application's Ed25519 public key, 64 hex characters; the HTTP endpoint checks signatures with it. */
  discordPublicKey?: string;
  /** What parsing one content file may cost before it is skipped: time (ms) and heap (MB). */
  parseTimeoutMs: number;
  parseMemoryMb: number;
  /** A reload parses for at most this long; files left are kept as they were. */
  reloadTimeoutMs: number;
  /**
   * For tests only (LINKDEX_TEST_HOLD_LOAD): the bot's first catalog load waits until this file
   * exists, so a test can send interactions while the catalog is certainly still loading.
   */
  testHoldLoadFile?: string;
}

export const MODES = ['gateway', 'http'] as const;
export type Mode = (typeof MODES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Reads one variable: absent or blank is undefined; otherwise `check` names what is wrong, if anything. */
type Rule<T> = (text: string) => { value: T } | { problem: string };

const text: Rule<string> = (value) => ({ value });

const noSpaces: Rule<string> = (value) => (/\s/.test(value) ? { problem: 'must not contain spaces' } : { value });

const snowflake: Rule<string> = (value) => (/^\d{17,20}$/.test(value) ? { value } : { problem: 'must be a Discord id (17 to 20 digits)' });

/** A host a connection can be opened to: a DNS name, an IPv4 address or a bracketed IPv6 one. */
function isHost(hostname: string): boolean {
  if (hostname.startsWith('[')) return hostname.endsWith(']');
  // The URL parser has already refused an IPv4-looking host with a part over 255 (256.1.1.1).
  return hostname.length <= 253 && hostname.split('.').every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label));
}

const httpUrl: Rule<string> = (value) => {
  const example = 'such as https://discord.com/api';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return /^https?:\/\//i.test(value)
      ? { problem: `has no valid host name in ${JSON.stringify(value)} (${example})` }
      : { problem: `must be an http(s) URL ${example}, not ${JSON.stringify(value)}` };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || /\s/.test(value))
    return { problem: `must be an http(s) URL ${example}, not ${JSON.stringify(value)}` };
  if (!isHost(url.hostname)) return { problem: `has no valid host name in ${JSON.stringify(value)} (${example})` };
  if (url.username || url.password || url.search || url.hash)
    return { problem: `must be a plain base URL ${example}, without credentials, query or fragment` };
  return { value };
};

/** Never quotes the value: a database URL may carry a password. */
const databaseUrl: Rule<string> = (value) => {
  const forms =
    'a postgres:// or postgresql:// URL such as postgres://linkdex@db.example:5432/linkdex, or unset for the SQLite file under STATE_DIR';
  if (!/^postgres(ql)?:\/\//i.test(value)) return { problem: `must be ${forms}` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `is not a valid URL: must be ${forms}` };
  }
  return url.hostname === '' && !url.searchParams.has('host') ? { problem: `names no host: must be ${forms}` } : { value };
};

const yesNo: Rule<boolean> = (value) => {
  const lower = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return { value: true };
  if (['false', '0', 'no', 'off'].includes(lower)) return { value: false };
  return { problem: `must be true or false, not ${JSON.stringify(value)}` };
};

const count: Rule<number> = (value) =>
  /^\d{1,6}$/.test(value) ? { value: Number(value) } : { problem: `must be a whole number, not ${JSON.stringify(value)}` };

const seconds: Rule<number> = (value) => {
  const n = Number(value);
  return /^\d+(\.\d+)?$/.test(value) && n > 0 && n <= 86_400
    ? { value: n }
    : { problem: `must be a number of seconds above 0, not ${JSON.stringify(value)}` };
};

const timeOfDay: Rule<number> = (value) => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match
    ? { value: Number(match[1]) * 60 + Number(match[2]) }
    : { problem: `must be a time HH:MM (UTC), such as 09:00, not ${JSON.stringify(value)}` };
};

const port: Rule<number> = (value) => {
  const n = Number(value);
  return /^\d{1,5}$/.test(value) && n <= 65_535
    ? { value: n }
    : { problem: `must be a port number from 0 to 65535, not ${JSON.stringify(value)}` };
};

/** An IP address, or a host name that resolves to one of this machine's addresses. */
const host: Rule<string> = (value) =>
  isIP(value) !== 0 || /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(value)
    ? { value }
    : { problem: `must be an address to listen on, such as 0.0.0.0, 127.0.0.1 or ::, not ${JSON.stringify(value)}` };

const positive: Rule<number> = (value) =>
  /^\d{1,4}$/.test(value) && Number(value) >= 1
    ? { value: Number(value) }
    : { problem: `must be a whole number from 1, not ${JSON.stringify(value)}` };

/** discord.js's sharding manager passes a shard's id as a number, or several as a JSON list. */
const shardOfProcess: Rule<number> = (value) => {
  try {
    const ids = JSON.parse(value) as unknown;
    if (typeof ids === 'number' && Number.isInteger(ids) && ids >= 0) return { value: ids };
    if (Array.isArray(ids) && typeof ids[0] === 'number') return { value: ids[0] };
  } catch {
    // reported below
  }
  return { problem: `must be a shard id such as 0, or a JSON list such as [0], not ${JSON.stringify(value)}` };
};

/** SHARD_LIST: shard ids separated by commas, such as `0,1`; checked against SHARD_COUNT by the caller. */
const shardIds: Rule<number[]> = (value) => {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.every((part) => /^\d{1,5}$/.test(part))) return { value: parts.map(Number) };
  return { problem: `must be shard ids separated by commas, such as 0,1, not ${JSON.stringify(value)}` };
};

const mode: Rule<Mode> = (value) =>
  (MODES as readonly string[]).includes(value.toLowerCase())
    ? { value: value.toLowerCase() as Mode }
    : { problem: `must be gateway or http, not ${JSON.stringify(value)}` };

const publicKey: Rule<string> = (value) =>
  /^[0-9a-fA-F]{64}$/.test(value)
    ? { value: value.toLowerCase() }
    : { problem: "must be the application's public key: 64 hexadecimal characters (developer portal, General Information)" };

const megabytes: Rule<number> = (value) =>
  /^\d{1,6}$/.test(value) && Number(value) >= 64
    ? { value: Number(value) }
    : { problem: `must be a whole number of megabytes from 64, not ${JSON.stringify(value)}` };

const logLevel: Rule<LogLevel> = (value) =>
  (LOG_LEVELS as readonly string[]).includes(value) ? { value: value as LogLevel } : { problem: `must be one of ${LOG_LEVELS.join(', ')}` };

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
  const problems: string[] = [];
  // Every variable is read, so one error names all that are wrong. A schema library would do the
  // same for these few variables at a cost of some 15 MB resident in the bot's process.
  const read = <T>(name: string, rule: Rule<T>): T | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    const result = rule(raw);
    if ('problem' in result) {
      problems.push(`${name} ${result.problem}`);
      return undefined;
    }
    return result.value;
  };
  const token = read('DISCORD_TOKEN', noSpaces);
  const clientId = read('DISCORD_CLIENT_ID', snowflake);
  const guildId = read('DISCORD_GUILD_ID', snowflake);
  const apiUrl = read('DISCORD_API_URL', httpUrl);
  const contentDir = read('CONTENT_DIR', text);
  const includeDrafts = read('INCLUDE_DRAFTS', yesNo);
  const level = read('LOG_LEVEL', logLevel);
  const cooldownCommands = read('COOLDOWN_COMMANDS', count);
  const cooldownSeconds = read('COOLDOWN_SECONDS', seconds);
  const dailyChannelId = read('DAILY_CHANNEL_ID', snowflake);
  const dailyMinutes = read('DAILY_TIME', timeOfDay);
  const stateDir = read('STATE_DIR', text);
  const database = read('DATABASE_URL', databaseUrl);
  const metricsPort = read('METRICS_PORT', port);
  const shardCount = read('SHARD_COUNT', positive);
  const shardSpawnDelayMs = read('SHARD_SPAWN_DELAY_MS', count);
  const shardList = read('SHARD_LIST', shardIds);
  const shardId = read('SHARDS', shardOfProcess);
  const serveMode = read('MODE', mode) ?? 'gateway';
  const httpPort = read('PORT', port);
  const httpHost = read('HOST', host);
  const discordPublicKey = read('DISCORD_PUBLIC_KEY', publicKey);
  const parseTimeout = read('PARSE_TIMEOUT_SECONDS', seconds);
  const parseMemoryMb = read('PARSE_MEMORY_MB', megabytes);
  const reloadTimeout = read('RELOAD_TIMEOUT_SECONDS', seconds);
  const testHoldLoad = read('LINKDEX_TEST_HOLD_LOAD', text);
  if (serveMode === 'http') {
    // Discord signs every request to the endpoint; without the key none could be trusted.
    if (discordPublicKey === undefined && !problems.some((p) => p.startsWith('DISCORD_PUBLIC_KEY ')))
      problems.push(
        "DISCORD_PUBLIC_KEY is required when MODE=http (the application's public key, on General Information in the developer portal)",
      );
    // Answering needs no token, but posting to a channel is a bot call.
    if (dailyChannelId !== undefined && token === undefined)
      problems.push('DAILY_CHANNEL_ID needs DISCORD_TOKEN when MODE=http: the endpoint answers without a token, the daily post cannot');
  }
  if (shardList !== undefined) {
    const total = shardCount ?? 1;
    const beyond = shardList.filter((id) => id >= total);
    const twice = shardList.filter((id, index) => shardList.indexOf(id) !== index);
    if (beyond.length > 0)
      problems.push(
        `SHARD_LIST has ${beyond.join(', ')}, but shard ids go from 0 to ${total - 1} with SHARD_COUNT=${total}: set SHARD_COUNT to the shards of every machine together`,
      );
    if (twice.length > 0) problems.push(`SHARD_LIST names ${[...new Set(twice)].join(', ')} more than once`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    contentDir: contentDir === undefined ? SHIPPED_CONTENT_DIR : path.resolve(cwd, contentDir),
    includeDrafts: includeDrafts ?? false,
    logLevel: level ?? 'info',
    cooldownCommands: cooldownCommands ?? 5,
    cooldownSeconds: cooldownSeconds ?? 10,
    dailyMinutes: dailyMinutes ?? 9 * 60,
    shardCount: shardCount ?? 1,
    shardSpawnDelayMs: shardSpawnDelayMs ?? 5500,
    stateDir: path.resolve(cwd, stateDir ?? '.data'),
    mode: serveMode,
    port: httpPort ?? 8080,
    parseTimeoutMs: Math.round((parseTimeout ?? 20) * 1000),
    parseMemoryMb: parseMemoryMb ?? 1024,
    reloadTimeoutMs: Math.round((reloadTimeout ?? 60) * 1000),
    host: httpHost ?? '0.0.0.0',
  };
  if (discordPublicKey !== undefined) config.discordPublicKey = discordPublicKey;
  if (dailyChannelId !== undefined) config.dailyChannelId = dailyChannelId;
  if (metricsPort !== undefined) config.metricsPort = metricsPort;
  if (shardId !== undefined) config.shardId = shardId;
  if (shardList !== undefined) config.shardList = shardList;
  if (token !== undefined) config.discordToken = new Secret(token);
  if (database !== undefined) config.databaseUrl = new Secret(database);
  if (clientId !== undefined) config.discordClientId = clientId;
  if (guildId !== undefined) config.discordGuildId = guildId;
  if (apiUrl !== undefined) config.discordApiUrl = apiUrl.replace(/\/+$/, '');
  if (testHoldLoad !== undefined) config.testHoldLoadFile = path.resolve(cwd, testHoldLoad);
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

/**
 * What every entry point does first: read `.env`, then the configuration, optionally narrowed
 * (`requireDeployConfig`). `overrides` win over the environment (`npm run start:http` is
 * `MODE=http`). A bad configuration prints every problem to stderr and gives undefined, for the
 * caller to exit with 2.
 */
export function configForEntryPoint<T extends Config = Config>(
  narrow: (config: Config) => T = (c) => c as T,
  overrides: Record<string, string> = {},
): T | undefined {
  loadDotenvFile();
  try {
    return narrow(loadConfig({ ...process.env, ...overrides }));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}
