import {
  ChannelType,
  DiscordAPIError,
  OverwriteType,
  PermissionFlagsBits,
  Routes,
  type APIChannel,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type REST,
} from 'discord.js';
import type { ChannelAccess, ChannelCheck, ChannelPermission } from '../commands/command.js';

/** What the link of the day needs in its channel, in the order a member reads them. */
const NEEDED: readonly [ChannelPermission, bigint][] = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
];

interface Overwrite {
  id: string;
  type: OverwriteType;
  allow: string;
  deny: string;
}

/**
 * The bot's permissions in a channel, as Discord computes them: @everyone's and its roles'
 * permissions (all of them with Administrator), then the channel's overwrites for @everyone, for
 * its roles together, and for the bot itself, each denying then allowing.
 */
export function channelPermissions(
  guildId: string,
  botId: string,
  memberRoles: readonly string[],
  roles: readonly APIRole[],
  overwrites: readonly Overwrite[],
): bigint {
  const has = new Set(memberRoles);
  let base = 0n;
  for (const role of roles) if (role.id === guildId || has.has(role.id)) base |= BigInt(role.permissions);
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return ~0n;
  const everyone = overwrites.find((o) => o.id === guildId);
  if (everyone) base = (base & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guildId && has.has(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  base = (base & ~deny) | allow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === botId);
  if (own) base = (base & ~BigInt(own.deny)) | BigInt(own.allow);
  return base;
}

const code = (error: unknown) => (error instanceof DiscordAPIError ? Number(error.code) : undefined);

/**
 * Whether the bot may post the link of the day in a channel, asked of Discord's REST: the channel
 * (its server, kind and overwrites), the server's roles and the bot's own member.
 */
export function restChannelAccess(rest: REST): ChannelAccess {
  let botId: Promise<string> | undefined;
  const me = () => {
    botId ??= (rest.get(Routes.user('@me')) as Promise<APIUser>).then((u) => u.id);
    botId.catch(() => (botId = undefined));
    return botId;
  };
  return {
    async check(guildId, channelId): Promise<ChannelCheck> {
      let channel: APIChannel;
      try {
        channel = (await rest.get(Routes.channel(channelId))) as APIChannel;
      } catch (error) {
        // Missing Access: the bot cannot even see the channel.
        if (code(error) === 50001) return { ok: true, missing: ['View Channel'] };
        if (code(error) === 10003) return { ok: false, reason: 'unknown-channel' };
        throw error;
      }
      if (!('guild_id' in channel) || channel.guild_id !== guildId) return { ok: false, reason: 'other-server' };
      if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)
        return { ok: false, reason: 'not-postable' };
      const id = await me();
      const [roles, member] = (await Promise.all([rest.get(Routes.guildRoles(guildId)), rest.get(Routes.guildMember(guildId, id))])) as [
        APIRole[],
        APIGuildMember,
      ];
      const overwrites = (channel.permission_overwrites ?? []) as Overwrite[];
      const bits = channelPermissions(guildId, id, member.roles, roles, overwrites);
      return { ok: true, missing: NEEDED.filter(([, bit]) => (bits & bit) === 0n).map(([name]) => name) };
    },
  };
}
