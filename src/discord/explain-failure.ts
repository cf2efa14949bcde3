import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, HTTPError } from 'discord.js';

/**
 * Why a call to Discord failed, in words that name what to fix. A failed login used to be blamed
 * on the token whatever happened; a network that cannot reach Discord, a DISCORD_API_URL that is
 * not Discord's API, a refused token and a missing invite scope each need a different fix.
 */
export type FailureKind = 'network' | 'token' | 'access' | 'not-found' | 'server' | 'other';

export interface FailureContext {
  /** What was being done, for the start of the message: "cannot connect to Discord". */
  doing: string;
  /** DISCORD_API_URL, when set. */
  apiUrl?: string;
  /** DISCORD_GUILD_ID, when commands were registered to one server. */
  guildId?: string;
}

/** Node's and undici's codes for "the other end could not be reached": nothing to do with the token. */
const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (no DNS?)',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  EPIPE: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
};

/** The first `code` along the error and its causes (fetch wraps the socket's error in `cause`). */
function networkCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code in NETWORK_CODES) return code;
    // discord.js aborts a request that gets no answer in 15 s.
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) return error.status;
  return undefined;
}

/** One line: what failed, why, and the variable (or the portal setting) to fix. */
export function explainDiscordFailure(error: unknown, context: FailureContext): { kind: FailureKind; message: string } {
  const where = context.apiUrl ?? 'https://discord.com/api';
  const code = networkCode(error);
  if (code) {
    const fix = context.apiUrl ? 'check DISCORD_API_URL and the network' : 'check this machine’s network connection (DNS, firewall, proxy)';
    return {
      kind: 'network',
      message: `${context.doing}: ${where} is unreachable: ${NETWORK_CODES[code]} (${code}); ${fix}. The token was not checked.`,
    };
  }
  // discord.js turns a 401 at login (or the gateway's close 4004) into TokenInvalid.
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) return tokenRefused(context);
  const status = statusOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const apiCode = error instanceof DiscordAPIError ? Number(error.code) : undefined;
  if (status === 401) return tokenRefused(context);
  if (status === 403) {
    const scope = context.guildId ? `the server DISCORD_GUILD_ID (${context.guildId})` : 'your server';
    return {
      kind: 'access',
      message: `${context.doing}: Discord refused access (403 ${detail}): invite the bot to ${scope} with the scopes bot and applications.commands (README, Running it on Discord, step 2), and check DISCORD_CLIENT_ID is this bot's application id.`,
    };
  }
  if (status === 404) {
    // Discord's own 404s carry a code; an unknown route (code 0) means the base URL is not Discord's API.
    const fix =
      apiCode === 10002
        ? 'check DISCORD_CLIENT_ID (the Application ID on General Information)'
        : apiCode === 10004
          ? `check DISCORD_GUILD_ID${context.guildId ? ` (${context.guildId})` : ''}: the bot is not in that server`
          : context.apiUrl
            ? "check DISCORD_API_URL: it is not Discord's REST API (unset, https://discord.com/api is used)"
            : "Discord's API answered an unexpected 404";
    return { kind: 'not-found', message: `${context.doing}: ${where} answered 404 (${detail}): ${fix}.` };
  }
  if (status !== undefined && status >= 500) {
    return {
      kind: 'server',
      message: `${context.doing}: ${where} answered ${status} (${detail}): Discord is having trouble; try again later.`,
    };
  }
  return { kind: 'other', message: `${context.doing}: ${detail}` };
}

function tokenRefused(context: FailureContext): { kind: FailureKind; message: string } {
  return {
    kind: 'token',
    message: `${context.doing}: Discord refused the token (401 Unauthorized): check DISCORD_TOKEN (developer portal, Bot, Reset Token gives a new one).`,
  };
}
