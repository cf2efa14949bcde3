import {
  Client,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  Options,
  Routes,
  type APIInteraction,
  type GuildMember,
  type User,
} from 'discord.js';
import type { Secret } from '../config.js';
import type { Linkdex } from '../linkdex.js';
import type { Logger } from '../logger.js';
import { plural } from '../text.js';
import { answerInteraction, summarize, type BotCommand, type Callback, type InteractionSummary } from './answer-interaction.js';
import type { Cooldowns } from './cooldowns.js';
import { somethingWentWrong, type MessageData } from './render-message.js';

export interface BotOptions {
  token: Secret;
  apiUrl?: string;
  linkdex: () => Linkdex;
  commands: readonly BotCommand[];
  logger: Logger;
  now?: () => Date;
  /** Past this, a slow answer is deferred (Discord drops callbacks after 3 s) and sent as an edit. */
  deferAfterMs?: number;
  /** A deferred answer that takes longer than this is replaced by "something went wrong". */
  giveUpAfterMs?: number;
  /** Per-member limits on slash commands. */
  cooldowns?: Cooldowns;
  /** Called once per interaction answered (or that could not be), for metrics. */
  onAnswered?: (summary: InteractionSummary, seconds: number) => void;
}

export interface RunningBot {
  client: Client;
  /** Stops taking interactions, lets those in flight finish (up to `graceMs`), and disconnects. */
  stop(graceMs?: number): Promise<void>;
}

const LATE = Symbol('late');

/** `work`'s result, or `LATE` after `ms`; the timer is cleared as soon as work wins, so none pile up. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
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

/** Logs in and answers interactions until stopped. The catalog is read through `linkdex()` on each one. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const deferAfterMs = options.deferAfterMs ?? 2500;
  const giveUpAfterMs = options.giveUpAfterMs ?? 12_000;
  const client = leanClient(options.apiUrl);
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const post = (interaction: APIInteraction, body: Callback | { type: InteractionResponseType }) =>
    client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });

  const editOriginal = (interaction: APIInteraction, callback: Callback) => {
    // A deferred reply's visibility was fixed when it was deferred; an edit cannot change it.
    const data = 'data' in callback && 'embeds' in callback.data ? callback.data : somethingWentWrong();
    const body: MessageData = { ...data };
    delete body.flags;
    return client.rest.patch(Routes.webhookMessage(interaction.application_id, interaction.token), { body, auth: false });
  };

  async function handle(interaction: APIInteraction): Promise<void> {
    const started = performance.now();
    // Every line about this interaction carries its id; bindings are made per line, not per
    // interaction, because a child logger costs more than answering an autocomplete.
    const id = { interaction: interaction.id };
    const log = {
      debug: (o: object, msg: string) => logger.debug({ ...id, ...o }, msg),
      info: (o: object, msg: string) => logger.info({ ...id, ...o }, msg),
      warn: (o: object, msg: string) => logger.warn({ ...id, ...o }, msg),
      error: (o: object, msg: string) => logger.error({ ...id, ...o }, msg),
    };
    const work = answerInteraction(interaction, {
      linkdex: options.linkdex,
      commands: options.commands,
      now,
      onError: (error) => log.error({ err: error }, 'handler failed'),
      ...(options.cooldowns ? { cooldowns: options.cooldowns } : {}),
    });
    const first = await within(work, deferAfterMs);
    try {
      if (first !== LATE) {
        await post(interaction, first.callback);
        // Every interaction is logged once, keystrokes included: an operator can filter on outcome.
        log.info({ ...first.summary, latencyMs: Math.round(performance.now() - started) }, 'interaction');
        options.onAnswered?.(first.summary, (performance.now() - started) / 1000);
        return;
      }
      // Too slow for the 3-second deadline: acknowledge now, edit the answer in when it is ready.
      if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
        await post(interaction, { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
        log.warn({ latencyMs: Math.round(performance.now() - started) }, 'autocomplete too slow; answered with no choices');
        return;
      }
      const deferred =
        interaction.type === InteractionType.MessageComponent
          ? InteractionResponseType.DeferredMessageUpdate
          : InteractionResponseType.DeferredChannelMessageWithSource;
      await post(interaction, { type: deferred });
      const late = await within(work, giveUpAfterMs);
      if (late === LATE) {
        log.error({ latencyMs: Math.round(performance.now() - started) }, 'handler ran too long; answered with an error');
        await editOriginal(interaction, { type: InteractionResponseType.ChannelMessageWithSource, data: somethingWentWrong() });
        return;
      }
      await editOriginal(interaction, late.callback);
      log.info({ ...late.summary, deferred: true, latencyMs: Math.round(performance.now() - started) }, 'interaction');
      options.onAnswered?.(late.summary, (performance.now() - started) / 1000);
    } catch (error) {
      // Discord refused or did not answer; nothing more can reach the member, but the bot goes on.
      log.error({ err: error, latencyMs: Math.round(performance.now() - started) }, 'could not send the answer');
      options.onAnswered?.({ ...summarize(interaction, 'error'), outcome: 'send-failed' }, (performance.now() - started) / 1000);
    }
  }

  // The raw dispatch: answers are built from Discord's own data, with no discord.js structures or caches.
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (interaction: APIInteraction) => {
    if (stopped) return;
    const task = handle(interaction).finally(() => inFlight.delete(task));
    inFlight.add(task);
  });

  const ready = new Promise<void>((resolve) => {
    client.once('clientReady', (c) => {
      const catalog = options.linkdex().catalog;
      logger.info(
        { user: c.user.tag, guilds: c.guilds.cache.size, links: catalog.entries.length, categories: catalog.categories.length },
        `ready as ${c.user.tag} in ${plural(c.guilds.cache.size, 'guild')}, serving ${plural(catalog.entries.length, 'link')}`,
      );
      resolve();
    });
  });
  client.on('error', (error) => logger.error({ err: error }, 'discord client error'));

  await client.login(options.token.reveal());
  await ready;

  return {
    client,
    async stop(graceMs = 3000) {
      // Discord sends interactions for as long as the gateway is open, so the bot answers them
      // all until it disconnects: it waits until nothing is in flight (or the grace is over),
      // and only then closes the connection.
      const deadline = performance.now() + graceMs;
      while (inFlight.size > 0 && performance.now() < deadline) {
        await within(Promise.allSettled([...inFlight]), Math.max(1, deadline - performance.now()));
      }
      stopped = true;
      await client.destroy();
    },
  };
}
