/**
 * Builders for INTERACTION_CREATE payloads as Discord sends them to a bot in a guild (API v10),
 * each with a fresh snowflake id and token. Typed with discord-api-types (re-exported by
 * discord.js), so a field Discord always sends cannot be forgotten; discord.js 14.28 builds its
 * interaction classes from them without throwing.
 */
import { Buffer } from 'node:buffer';
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  MessageType,
} from 'discord.js';
import type {
  APIApplicationCommandAutocompleteGuildInteraction,
  APIMessageApplicationCommandGuildInteraction,
  APIModalSubmitGuildInteraction,
  APIPingInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIChatInputApplicationCommandGuildInteraction,
  APIGuildInteractionWrapper,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APITextChannel,
  APIUser,
  ApplicationCommandOptionType,
  ChannelFlags,
  GuildMemberFlags,
  EmbedType,
  Locale,
  MessageFlags,
  UserFlags,
} from 'discord.js';
import { FAKE_IDS, snowflake, type FakeContext } from './fake-discord.js';

export type ButtonInteractionPayload = APIGuildInteractionWrapper<APIMessageComponentButtonInteraction>;
export type CommandInteractionPayload = APIChatInputApplicationCommandGuildInteraction;
export type AutocompleteInteractionPayload = APIApplicationCommandAutocompleteGuildInteraction;

export interface InteractionContext extends FakeContext {
  /** The member who invokes the command. */
  user: APIUser;
  locale: Locale;
  guildLocale: Locale;
}

export type OptionValue = string | boolean | number;

/** One option as Discord sends it: 3 = string, 4 = integer, 5 = boolean, 7 = channel (its id), 10 = number. */
export interface OptionInput {
  name: string;
  type: 3 | 4 | 5 | 7 | 10;
  value: OptionValue;
}

/** `{query: 'rust', public: true}`, or explicit options when the type must not be inferred. */
export type OptionsInput = Readonly<Record<string, OptionValue | undefined>> | readonly OptionInput[];

export const MEMBER_USER: APIUser = {
  id: FAKE_IDS.member,
  username: 'ada',
  discriminator: '0',
  global_name: 'Ada',
  avatar: null,
  public_flags: 0 as UserFlags,
  flags: 0 as UserFlags,
  banner: null,
  accent_color: null,
  avatar_decoration_data: null,
  collectibles: null,
  primary_guild: null,
};

export const DEFAULT_CONTEXT: InteractionContext = {
  applicationId: FAKE_IDS.application,
  botUserId: FAKE_IDS.botUser,
  guildId: FAKE_IDS.guild,
  channelId: FAKE_IDS.channel,
  user: MEMBER_USER,
  locale: 'en-US' as Locale,
  guildLocale: 'en-US' as Locale,
};

/** Permissions of a plain member (view, send, embed, read history, use application commands…). */
const MEMBER_PERMISSIONS = '2248473465835073';
/** What the bot may do in the channel. */
const APP_PERMISSIONS = '2251799813685247';
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** Command ids are stable per name, like the ids Discord gives registered commands. */
const commandIds = new Map<string, string>();
function commandId(name: string): string {
  let id = commandIds.get(name);
  if (!id) {
    id = snowflake();
    commandIds.set(name, id);
  }
  return id;
}

/** An interaction token: long, url-safe, unique. */
export function interactionToken(id: string): string {
  const random = Buffer.from(Array.from({ length: 48 }, () => Math.floor(Math.random() * 256))).toString('base64url');
  return `${Buffer.from(`interaction:${id}:`).toString('base64url')}${random}`;
}

function contextOf(overrides: Partial<InteractionContext>): InteractionContext {
  return { ...DEFAULT_CONTEXT, ...overrides };
}

function member(ctx: InteractionContext): APIInteractionGuildMember {
  return {
    user: ctx.user,
    roles: [],
    premium_since: null,
    permissions: MEMBER_PERMISSIONS,
    pending: false,
    nick: null,
    mute: false,
    joined_at: '2024-03-01T12:00:00.000000+00:00',
    flags: 0 as GuildMemberFlags,
    deaf: false,
    communication_disabled_until: null,
    banner: null,
    avatar: null,
  };
}

/** The partial channel Discord puts in `channel`, with the invoking member's permissions there. */
function channel(ctx: InteractionContext): Partial<APITextChannel> & Pick<APITextChannel, 'id' | 'type'> & { permissions: string } {
  return {
    id: ctx.channelId,
    type: ChannelType.GuildText,
    guild_id: ctx.guildId,
    name: 'general',
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
    permissions: MEMBER_PERMISSIONS,
  };
}

/** The fields every guild interaction carries. */
function base(ctx: InteractionContext) {
  const id = snowflake();
  return {
    id,
    token: interactionToken(id),
    application_id: ctx.applicationId,
    version: 1 as const,
    guild_id: ctx.guildId,
    guild: { id: ctx.guildId, locale: ctx.guildLocale, features: [] },
    channel_id: ctx.channelId,
    channel: channel(ctx),
    member: member(ctx),
    app_permissions: APP_PERMISSIONS,
    locale: ctx.locale,
    guild_locale: ctx.guildLocale,
    entitlements: [],
    entitlement_sku_ids: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: ctx.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

function optionType(value: OptionValue): OptionInput['type'] {
  if (typeof value === 'string') return 3;
  if (typeof value === 'boolean') return 5;
  return Number.isInteger(value) ? 4 : 10;
}

function toOptions(options: OptionsInput): OptionInput[] {
  if (Array.isArray(options)) return [...(options as readonly OptionInput[])];
  const out: OptionInput[] = [];
  for (const [name, value] of Object.entries(options as Readonly<Record<string, OptionValue | undefined>>)) {
    if (value !== undefined) out.push({ name, type: optionType(value), value });
  }
  return out;
}

/** A slash command (type 2, `data.type` 1 = CHAT_INPUT); Discord omits `options` when there are none. */
export function commandInteraction(
  name: string,
  options: OptionsInput = {},
  context: Partial<InteractionContext> = {},
): CommandInteractionPayload {
  const ctx = contextOf(context);
  const list = toOptions(options) as unknown as APIApplicationCommandInteractionDataBasicOption[];
  return {
    ...base(ctx),
    type: InteractionType.ApplicationCommand,
    data: { id: commandId(name), name, type: ApplicationCommandType.ChatInput, ...(list.length > 0 ? { options: list } : {}) },
  } satisfies CommandInteractionPayload;
}

/** A channel as Discord resolves one picked in a channel option: 0 = text, 2 = voice, 5 = announcement. */
export interface ResolvedChannel {
  id: string;
  type: number;
  name?: string;
}

/**
 * A slash command's subcommand (`/settings daily channel:… time:…`): one option of type 1 holding
 * the subcommand's options, and the channels picked in them under `resolved`, as Discord sends them.
 */
export function subcommandInteraction(
  name: string,
  subcommand: string,
  options: OptionsInput = {},
  channels: readonly ResolvedChannel[] = [],
  context: Partial<InteractionContext> = {},
): CommandInteractionPayload {
  const payload = commandInteraction(name, {}, context);
  // An option whose value is a picked channel's id is a channel option.
  const inner = toOptions(options).map((o) => (channels.some((c) => c.id === o.value) ? { ...o, type: 7 as const } : o));
  const resolved = Object.fromEntries(
    channels.map((c) => [c.id, { id: c.id, type: c.type, name: c.name ?? 'channel', permissions: APP_PERMISSIONS }]),
  );
  return {
    ...payload,
    data: {
      ...payload.data,
      options: [{ name: subcommand, type: 1, options: inner }] as unknown as NonNullable<CommandInteractionPayload['data']['options']>,
      ...(channels.length > 0
        ? { resolved: { channels: resolved } as unknown as NonNullable<CommandInteractionPayload['data']['resolved']> }
        : {}),
    },
  };
}

/**
 * An autocomplete request in a subcommand: the focused option of `subcommand`, its value the text typed so far.
 */
export function subcommandAutocompleteInteraction(
  name: string,
  subcommand: string,
  options: OptionsInput,
  focusedName: string,
  context: Partial<InteractionContext> = {},
): AutocompleteInteractionPayload {
  const payload = autocompleteInteraction(name, options, focusedName, context);
  return {
    ...payload,
    data: {
      ...payload.data,
      options: [{ name: subcommand, type: 1, options: payload.data.options }] as unknown as NonNullable<
        AutocompleteInteractionPayload['data']['options']
      >,
    },
  };
}

/**
 * An autocomplete request (type 4) while the member types in `focusedName`: that option has
 * `focused: true` and its value is the text typed so far (always a string, even for numbers).
 * The focused option is added with an empty value if `options` lacks it.
 */
export function autocompleteInteraction(
  name: string,
  options: OptionsInput,
  focusedName: string,
  context: Partial<InteractionContext> = {},
): AutocompleteInteractionPayload {
  const ctx = contextOf(context);
  const list = toOptions(options);
  if (!list.some((o) => o.name === focusedName)) list.push({ name: focusedName, type: 3, value: '' });
  const withFocus = list.map((o) => (o.name === focusedName ? { ...o, value: String(o.value), focused: true } : o));
  return {
    ...base(ctx),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: commandId(name),
      name,
      type: ApplicationCommandType.ChatInput,
      options: withFocus as unknown as AutocompleteInteractionPayload['data']['options'],
    },
  } satisfies AutocompleteInteractionPayload;
}

/**
 * A click on a button (type 3, component_type 2) of a message the bot sent in reply to `/command`.
 * `message` overrides fields of that message; by default it holds one row with the clicked button.
 */
export function buttonInteraction(
  customId: string,
  message: Partial<APIMessage> = {},
  context: Partial<InteractionContext> & { command?: string } = {},
): ButtonInteractionPayload {
  const ctx = contextOf(context);
  const common = base(ctx);
  return {
    ...common,
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message: botMessage(ctx, customId, context.command ?? 'search', message),
  } satisfies ButtonInteractionPayload;
}

/**
 * A submitted form (type 5): `fields` by their custom ids, each a text input inside a Label, as
 * today's clients send it (`rows: true`: inside action rows, as older ones did).
 */
export function modalSubmitInteraction(
  customId: string,
  fields: Readonly<Record<string, string>>,
  context: Partial<InteractionContext> & { rows?: boolean } = {},
): APIModalSubmitGuildInteraction {
  const ctx = contextOf(context);
  let id = 10;
  const components = Object.entries(fields).map(([fieldId, value]) => {
    const input = { type: ComponentType.TextInput as const, id: id++, custom_id: fieldId, value };
    return context.rows
      ? { type: ComponentType.ActionRow as const, id: id++, components: [input] }
      : { type: ComponentType.Label as const, id: id++, component: input };
  });
  return {
    ...base(ctx),
    type: InteractionType.ModalSubmit,
    data: { custom_id: customId, components },
  } satisfies APIModalSubmitGuildInteraction;
}

/** A message command (type 2, `data.type` 3 = MESSAGE) started from a member's message with `content`. */
export function messageCommandInteraction(
  name: string,
  content: string,
  context: Partial<InteractionContext> = {},
): APIMessageApplicationCommandGuildInteraction {
  const ctx = contextOf(context);
  const message: APIMessage = { ...botMessage(ctx, 'unused'), author: ctx.user, content, components: [], embeds: [] };
  return {
    ...base(ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: commandId(name),
      name,
      type: ApplicationCommandType.Message,
      target_id: message.id,
      resolved: { messages: { [message.id]: message } },
    },
  } satisfies APIMessageApplicationCommandGuildInteraction;
}

/** Discord's PING (type 1), sent to an HTTP endpoint to check it answers. */
export function pingInteraction(context: Partial<InteractionContext> = {}): APIPingInteraction {
  const ctx = contextOf(context);
  const id = snowflake();
  return {
    id,
    token: interactionToken(id),
    application_id: ctx.applicationId,
    type: InteractionType.Ping,
    version: 1,
    app_permissions: APP_PERMISSIONS,
    entitlements: [],
    authorizing_integration_owners: {},
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  } satisfies APIPingInteraction;
}

/** A message the bot posted as the reply to a slash command, as Discord sends it inside a component interaction. */
export function botMessage(
  context: Partial<InteractionContext>,
  customId: string,
  command = 'search',
  overrides: Partial<APIMessage> = {},
): APIMessage {
  const ctx = contextOf(context);
  const bot: APIUser = {
    id: ctx.botUserId,
    username: 'linkdex',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
  const commandInteractionId = snowflake();
  return {
    id: snowflake(),
    type: MessageType.ChatInputCommand,
    content: '',
    channel_id: ctx.channelId,
    author: bot,
    attachments: [],
    embeds: [{ type: 'rich' as EmbedType, title: 'Results', description: 'Page 1', color: 0x5865f2 }],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    edited_timestamp: null,
    flags: 0 as MessageFlags,
    components: [
      {
        type: ComponentType.ActionRow,
        id: 1,
        components: [{ type: ComponentType.Button, id: 2, style: ButtonStyle.Secondary, label: 'Next', custom_id: customId }],
      },
    ],
    application_id: ctx.applicationId,
    webhook_id: ctx.applicationId,
    position: 0,
    interaction_metadata: {
      id: commandInteractionId,
      type: InteractionType.ApplicationCommand,
      user: ctx.user,
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: ctx.guildId },
    },
    interaction: { id: commandInteractionId, type: InteractionType.ApplicationCommand, name: command, user: ctx.user },
    ...overrides,
  } satisfies APIMessage;
}

/** The option types Discord uses in payloads, for tests that build options by hand. */
export const OptionType = { String: 3, Integer: 4, Boolean: 5, Channel: 7, Number: 10 } as const satisfies Record<
  string,
  ApplicationCommandOptionType
>;
