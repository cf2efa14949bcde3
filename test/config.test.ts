import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireDeployConfig, SHIPPED_CONTENT_DIR } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the shipped catalog, no drafts, info logs, 5 commands in 10 s and no token', () => {
    expect(loadConfig({}, '/anywhere')).toEqual({
      contentDir: SHIPPED_CONTENT_DIR,
      includeDrafts: false,
      logLevel: 'info',
      cooldownCommands: 5,
      cooldownSeconds: 10,
      dailyMinutes: 540,
      stateDir: '/anywhere/.data',
      shardCount: 1,
      shardSpawnDelayMs: 5500,
      mode: 'gateway',
      port: 8080,
      parseTimeoutMs: 20_000,
      parseMemoryMb: 1024,
      reloadTimeoutMs: 60_000,
      host: '0.0.0.0',
    });
  });

  it('reads the parse budget and the reload deadline, naming each bad one', () => {
    expect(loadConfig({ PARSE_TIMEOUT_SECONDS: '0.3', PARSE_MEMORY_MB: '256', RELOAD_TIMEOUT_SECONDS: '5' })).toMatchObject({
      parseTimeoutMs: 300,
      parseMemoryMb: 256,
      reloadTimeoutMs: 5000,
    });
    expect(() => loadConfig({ PARSE_TIMEOUT_SECONDS: 'soon', PARSE_MEMORY_MB: '10', RELOAD_TIMEOUT_SECONDS: '-1' })).toThrow(
      'Invalid configuration:\n  - PARSE_TIMEOUT_SECONDS must be a number of seconds above 0, not "soon"\n  - PARSE_MEMORY_MB must be a whole number of megabytes from 64, not "10"\n  - RELOAD_TIMEOUT_SECONDS must be a number of seconds above 0, not "-1"',
    );
  });

  it('reads the daily post settings', () => {
    expect(loadConfig({ DAILY_CHANNEL_ID: '123456789012345678', DAILY_TIME: '18:30', STATE_DIR: 'state' }, '/srv')).toMatchObject({
      dailyChannelId: '123456789012345678',
      dailyMinutes: 1110,
      stateDir: '/srv/state',
    });
    expect(() => loadConfig({ DAILY_TIME: '9am' })).toThrow('DAILY_TIME must be a time HH:MM (UTC), such as 09:00, not "9am"');
  });

  it('reads the cooldown and refuses what is not a count or a duration', () => {
    expect(loadConfig({ COOLDOWN_COMMANDS: '0', COOLDOWN_SECONDS: '2.5' })).toMatchObject({ cooldownCommands: 0, cooldownSeconds: 2.5 });
    expect(() => loadConfig({ COOLDOWN_COMMANDS: 'five', COOLDOWN_SECONDS: '0' })).toThrow(
      'Invalid configuration:\n  - COOLDOWN_COMMANDS must be a whole number, not "five"\n  - COOLDOWN_SECONDS must be a number of seconds above 0, not "0"',
    );
  });

  it('resolves CONTENT_DIR against the working directory and reads booleans', () => {
    const config = loadConfig({ CONTENT_DIR: 'lists', INCLUDE_DRAFTS: 'yes', LOG_LEVEL: 'debug' }, '/srv/bot');
    expect(config).toMatchObject({ contentDir: '/srv/bot/lists', includeDrafts: true, logLevel: 'debug' });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ INCLUDE_DRAFTS: 'sometimes', LOG_LEVEL: 'loud', DISCORD_TOKEN: 'has space' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'DISCORD_TOKEN must not contain spaces',
      'INCLUDE_DRAFTS must be true or false, not "sometimes"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it('never prints the token, however the config is printed', () => {
    const config = loadConfig({ DISCORD_TOKEN: 'super.secret.token' });
    expect(config.discordToken?.reveal()).toBe('super.secret.token');
    expect(JSON.stringify(config)).not.toContain('super.secret');
    expect(inspect(config)).not.toContain('super.secret');
    expect(`${config.discordToken}`).toBe('[redacted]');
  });

  it('treats an empty token as no token', () => {
    expect(loadConfig({ DISCORD_TOKEN: '  ' }).discordToken).toBeUndefined();
  });
});

describe('sharding configuration', () => {
  it('reads the shard count, and the shard id discord.js gives a shard process', () => {
    expect(loadConfig({ SHARD_COUNT: '4', SHARD_SPAWN_DELAY_MS: '0', SHARDS: '2' })).toMatchObject({
      shardCount: 4,
      shardSpawnDelayMs: 0,
      shardId: 2,
    });
    expect(loadConfig({ SHARDS: '[3]' }).shardId).toBe(3);
    expect(() => loadConfig({ SHARD_COUNT: '0' })).toThrow('SHARD_COUNT must be a whole number from 1, not "0"');
  });

  it('reads SHARD_LIST, the shards this machine starts, checked against SHARD_COUNT', () => {
    expect(loadConfig({ SHARD_COUNT: '4', SHARD_LIST: '0,1' }).shardList).toEqual([0, 1]);
    expect(loadConfig({ SHARD_COUNT: '4', SHARD_LIST: ' 3 , 2 ' }).shardList).toEqual([3, 2]);
    expect(loadConfig({ SHARD_COUNT: '4' }).shardList).toBeUndefined();
  });

  it('names SHARD_LIST when an id is not below SHARD_COUNT, is given twice, or does not read', () => {
    expect(() => loadConfig({ SHARD_COUNT: '2', SHARD_LIST: '1,2,3' })).toThrow(
      'SHARD_LIST has 2, 3, but shard ids go from 0 to 1 with SHARD_COUNT=2: set SHARD_COUNT to the shards of every machine together',
    );
    expect(() => loadConfig({ SHARD_LIST: '1' })).toThrow('SHARD_LIST has 1, but shard ids go from 0 to 0 with SHARD_COUNT=1');
    expect(() => loadConfig({ SHARD_COUNT: '4', SHARD_LIST: '0,2,0,2' })).toThrow('SHARD_LIST names 0, 2 more than once');
    for (const bad of ['0,', 'one', '-1', '[0,1]', '0;1', '1.5'])
      expect(() => loadConfig({ SHARD_COUNT: '4', SHARD_LIST: bad }), bad).toThrow(
        `SHARD_LIST must be shard ids separated by commas, such as 0,1, not ${JSON.stringify(bad)}`,
      );
  });
});

describe('Discord configuration', () => {
  it('reads the application, guild and API base', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 't',
      DISCORD_CLIENT_ID: '123456789012345678',
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:9/api/',
    });
    expect(config).toMatchObject({
      discordClientId: '123456789012345678',
      discordGuildId: '223456789012345678',
      discordApiUrl: 'http://127.0.0.1:9/api',
    });
  });

  it('names every bad Discord variable at once', () => {
    expect(() => loadConfig({ DISCORD_CLIENT_ID: 'my-bot', DISCORD_GUILD_ID: '12', DISCORD_API_URL: 'discord.com' })).toThrow(
      [
        'Invalid configuration:',
        '  - DISCORD_CLIENT_ID must be a Discord id (17 to 20 digits)',
        '  - DISCORD_GUILD_ID must be a Discord id (17 to 20 digits)',
        '  - DISCORD_API_URL must be an http(s) URL such as https://discord.com/api',
      ].join('\n'),
    );
  });

  it('asks for both the token and the application id to deploy', () => {
    expect(() => requireDeployConfig(loadConfig({}))).toThrow(
      'Invalid configuration:\n  - DISCORD_TOKEN is required to register commands\n  - DISCORD_CLIENT_ID is required to register commands (the application id, in the developer portal)',
    );
  });
});

describe('HTTP mode configuration', () => {
  const key = 'A1'.repeat(32);

  it('reads MODE, PORT (0 is any free port) and the public key, lower-cased', () => {
    expect(loadConfig({ MODE: 'http', PORT: '0', DISCORD_PUBLIC_KEY: key })).toMatchObject({
      mode: 'http',
      port: 0,
      discordPublicKey: 'a1'.repeat(32),
    });
    expect(loadConfig({ MODE: 'HTTP', DISCORD_PUBLIC_KEY: key })).toMatchObject({ mode: 'http', port: 8080 });
    expect(loadConfig({ MODE: 'gateway' }).mode).toBe('gateway');
  });

  it('reads HOST, an address or a host name, and names a bad one', () => {
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(() => loadConfig({ HOST: 'http://0.0.0.0:80' })).toThrow(
      'HOST must be an address to listen on, such as 0.0.0.0, 127.0.0.1 or ::, not "http://0.0.0.0:80"',
    );
  });

  it('requires DISCORD_PUBLIC_KEY when MODE=http, but not a token', () => {
    expect(() => loadConfig({ MODE: 'http' })).toThrow('DISCORD_PUBLIC_KEY is required when MODE=http');
    expect(loadConfig({ MODE: 'http', DISCORD_PUBLIC_KEY: key }).discordToken).toBeUndefined();
  });

  it('names a bad mode, port or key, and a daily post without the token it needs, all at once', () => {
    let error: unknown;
    try {
      loadConfig({ MODE: 'webhook', PORT: '70000', DISCORD_PUBLIC_KEY: 'abc' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'MODE must be gateway or http, not "webhook"',
      'PORT must be a port number from 0 to 65535, not "70000"',
      "DISCORD_PUBLIC_KEY must be the application's public key: 64 hexadecimal characters (developer portal, General Information)",
    ]);
    expect(() => loadConfig({ MODE: 'http', DISCORD_PUBLIC_KEY: 'g'.repeat(64) })).toThrow(
      /DISCORD_PUBLIC_KEY must be the application's public key[^\n]*$/,
    );
    expect(() => loadConfig({ MODE: 'http', DISCORD_PUBLIC_KEY: key, DAILY_CHANNEL_ID: '123456789012345678' })).toThrow(
      'DAILY_CHANNEL_ID needs DISCORD_TOKEN when MODE=http',
    );
    expect(loadConfig({ MODE: 'http', DISCORD_PUBLIC_KEY: key, DAILY_CHANNEL_ID: '123456789012345678', DISCORD_TOKEN: 't' })).toMatchObject(
      {
        dailyChannelId: '123456789012345678',
      },
    );
  });
});

describe('database configuration', () => {
  it('reads DATABASE_URL, a postgres:// URL, and never prints it: it may hold a password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://linkdex:hunter2@db.example:5432/linkdex' });
    expect(config.databaseUrl?.reveal()).toBe('postgres://linkdex:hunter2@db.example:5432/linkdex');
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(inspect(config)).not.toContain('hunter2');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/linkdex' }).databaseUrl?.reveal()).toBe('postgresql://db/linkdex');
    expect(loadConfig({}).databaseUrl).toBeUndefined();
  });

  it('names a DATABASE_URL it cannot use with the other bad variables, without quoting it', () => {
    const forms =
      'a postgres:// or postgresql:// URL such as postgres://linkdex@db.example:5432/linkdex, or unset for the SQLite file under STATE_DIR';
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ DATABASE_URL: 'mysql://root:hunter2@db/linkdex', PORT: 'x' })).toEqual([
      `DATABASE_URL must be ${forms}`,
      'PORT must be a port number from 0 to 65535, not "x"',
    ]);
    expect(problems({ DATABASE_URL: 'postgres:///linkdex' })).toEqual([`DATABASE_URL names no host: must be ${forms}`]);
    expect(problems({ DATABASE_URL: 'postgres://linkdex:hun ter2@db:99999/linkdex' })).toEqual([
      `DATABASE_URL is not a valid URL: must be ${forms}`,
    ]);
  });
});
