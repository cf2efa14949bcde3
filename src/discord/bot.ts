import {
  Client,
  GatewayDispatchEvents,
  GatewayIntentBits,
  Options,
  Routes,
  type APIInteraction,
  type GuildMember,
  type User,
} from 'discord.js';
import type { Secret } from '../config.js';
import { plural } from '../text.js';
import { InFlight } from '../serve/in-flight.js';
import { withDefaults, type AnsweringOptions } from '../serve/options.js';
import { respondOnDiscord, type DiscordIo } from './discord-transport.js';

export interface BotOptions extends AnsweringOptions {
  token: Secret;
  apiUrl?: string;
  /** The bot was removed from a server (kicked, or the server deleted); not called for an outage. */
  onGuildLeft?: (guildId: string) => void;
}

export interface RunningBot {
  client: Client;
  /** Stops taking interactions, lets those in flight finish (up to `graceMs`), and disconnects. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The bot keeps almost nothing: it answers interactions from their own data, so every cache it
 * does not need is off. Guilds (for the count) and channels stay, as discord.js requires them.
 */
function leanClient(apiUrl: string | undefined): Client {
  const self = (x: User | GuildMember) => x.id === x.client.user.id;
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    makeCache: Options.cacheWithLimits({
      ApplicationCommandManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      DMMessageManager: 0,
      GuildBanManager: 0,
      GuildEmojiManager: 0,
      GuildForumThreadManager: 0,
      GuildInviteManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: self },
      GuildMessageManager: 0,
      GuildScheduledEventManager: 0,
      GuildStickerManager: 0,
      GuildTextThreadManager: 0,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: self },
      VoiceStateManager: 0,
    }),
    sweepers: {},
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
}

/**
 * discord.js turns every INTERACTION_CREATE into an interaction object of its own (and caches
 * its channel) after the raw listener has answered, before the answer's POST leaves the
 * process: work on every keystroke of an autocomplete for an object nothing reads. Its handler
 * is emptied, so no `interactionCreate` event is emitted either. The handler is discord.js's
 * internal: false when it is not where it was (a discord.js upgrade), and the bot then works as
 * before, only slower (`test/bot-lean.test.ts` fails first).
 */
export function skipInteractionStructures(client: Client): boolean {
  const actions = (client as unknown as { actions?: { InteractionCreate?: { handle?: unknown } } }).actions;
  const action = actions?.InteractionCreate;
  if (typeof action?.handle !== 'function') return false;
  action.handle = () => undefined;
  return true;
}

/**
 * Logs in and answers interactions until stopped. The catalog is read through `linkdex()` on each
 * one; with `catalog`, interactions that arrive before it is loaded wait for it (see `respond`).
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { logger } = options;
  const client = leanClient(options.apiUrl);
  if (!skipInteractionStructures(client)) logger.warn('discord.js has changed: it builds an interaction object nothing reads for each one');
  const inFlight = new InFlight();
  let stopped = false;

  const io = (interaction: APIInteraction): DiscordIo => ({
    async reply(body) {
      await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
    },
    async editOriginal(body) {
      await client.rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token), { body, auth: false });
    },
  });
  const answering = withDefaults(options);

  // The raw dispatch: answers are built from Discord's own data, with no discord.js structures or caches.
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
    if (stopped) return;
    void inFlight.track(respondOnDiscord(interaction, io(interaction), answering));
  });

  // `unavailable` is an outage, not a removal: the server's settings stay.
  client.ws.on(GatewayDispatchEvents.GuildDelete, (guild: { id: string; unavailable?: boolean }) => {
    if (guild.unavailable !== true) options.onGuildLeft?.(guild.id);
  });

  const ready = new Promise<void>((resolve) => {
    client.once('clientReady', (c) => {
      // The catalog may still be loading: its own line says when it is served.
      logger.info(
        { user: c.user.tag, guilds: c.guilds.cache.size, catalog: options.catalog?.state ?? 'ready' },
        `ready as ${c.user.tag} in ${plural(c.guilds.cache.size, 'guild')}`,
      );
      resolve();
    });
  });
  client.on('error', (error) => logger.error({ err: error }, 'discord client error'));

  try {
    await client.login(options.token.reveal());
    await ready;
  } catch (error) {
    // A client that failed to log in still holds its REST agent and timers: the process could
    // not exit, and a shard would hang until its manager gave up on it.
    await client.destroy();
    throw error;
  }

  return {
    client,
    async stop(graceMs = 3000) {
      // Discord sends interactions for as long as the gateway is open, so the bot answers them
      // all until it disconnects: it waits until nothing is in flight (or the grace is over),
      // and only then closes the connection.
      await inFlight.drain(graceMs);
      stopped = true;
      await client.destroy();
    },
  };
}
