import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import {
  unhandled,
  type Answer,
  type CategoriesAnswer,
  type HelpAnswer,
  type LinkAnswer,
  type LinksAnswer,
  type NoticeAnswer,
  type Paging,
} from '../answers/answer.js';
import { somethingWentWrongNotice } from '../answers/notices.js';
import { PAGE_SIZE } from '../answers/paginate.js';
import { texts } from '../answers/texts.js';
import { displayHost } from '../catalog/links.js';
import type { Entry } from '../catalog/types.js';
import type { CommandInput } from '../commands/command.js';
import { escapeDiscordMarkdown, plural, safeUrl, truncate, withoutHiddenCharacters } from '../text.js';
import { BRAND_COLOR, categoryColor, ERROR_COLOR, INFO_COLOR } from './category-color.js';
import { encodeCustomId, type Nav } from './custom-id.js';

/** A message as Discord's API takes it in an interaction callback or a webhook edit. */
export interface MessageData {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowed_mentions: { parse: [] };
  flags?: number;
}

/** What the buttons of a message replay: the command and the input it answered. */
export interface ReplayContext {
  command: string;
  input: CommandInput;
}

export const LIMITS = {
  totalEmbedChars: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
} as const;

/** Room left for link lines after a links embed's title, subtitle, footer and field names. */
const LINKS_TITLE_CHARS = 200;
const LINKS_SUBTITLE_CHARS = 300;
const LINKS_FIELD_NAME_CHARS = 100;
/** Discord requires a field name; a zero-width space shows none, for a group's continuation. */
const BLANK_FIELD_NAME = '\u200b';
const FOOTER_CHARS = 100;
const DESCRIPTION_IN_LIST_CHARS = 140;
const TITLE_IN_LIST_CHARS = 120;
const SINGLE_DESCRIPTION_CHARS = 2000;

/** Content as Discord text: shown as written, escaped once (see escapeDiscordMarkdown). */
function escape(text: string): string {
  return escapeDiscordMarkdown(text);
}

/** Escaped text of at most `max` characters: shortened before escaping, so no escape is cut in half. */
function fit(text: string, max: number): string {
  const visible = withoutHiddenCharacters(text);
  let keep = max;
  let out = escape(truncate(visible, keep));
  while (out.length > max && keep > 1) {
    keep -= Math.max(1, out.length - max);
    out = escape(truncate(visible, keep));
  }
  return out.length > max ? '…' : out;
}

/** Plain text (an author name, a footer): no markdown there, but nothing hidden either. */
function plain(text: string, max: number): string {
  return truncate(withoutHiddenCharacters(text), max);
}

/**
 * A masked link's text. Discord reads `[text](url)` with brackets inside the text only in pairs,
 * `[like this]`, escaped or not; any other bracket ends the text early and breaks the link, so
 * such a title shows its brackets as ［ and ］ instead.
 */
function linkLabel(title: string): string {
  const brackets = title.replace(/[^[\]]/g, '');
  const paired = /^(?:\[\])*$/.test(brackets);
  return escape(paired ? title : title.replace(/\[/g, '［').replace(/\]/g, '］'));
}

/** A masked link's target: what would end it early (a parenthesis, a space, a trailing backslash) or hide in it, percent-encoded. */
function linkTarget(url: string): string {
  return safeUrl(url);
}

function footerText(p: Paging, noun: string, nouns?: string): string {
  const count = plural(p.total, noun, nouns);
  return texts.message.footer(count, p.page, p.pageCount);
}

/**
 * One link in a list, in at most `budget` characters: the linked title, host and description;
 * then without the description; then with a shorter title; then, for a URL too long to fit,
 * the title and host without the link.
 */
export function linkLine(n: number, entry: Entry, budget: number): string {
  const host = displayHost(entry.url);
  const hostPart = host ? ` · ${escape(host)}` : '';
  const description = entry.description ? `\n${fit(entry.description, DESCRIPTION_IN_LIST_CHARS)}` : '';
  const linked = (title: string) => `${n}. **[${linkLabel(title)}](${linkTarget(entry.url)})**${hostPart}`;
  const candidates = [
    linked(truncate(entry.title, TITLE_IN_LIST_CHARS)) + description,
    linked(truncate(entry.title, TITLE_IN_LIST_CHARS)),
    linked(truncate(entry.title, 40)),
    `${n}. **${fit(entry.title, 60)}**${hostPart}`,
  ];
  return candidates.find((c) => c.length <= budget) ?? truncate(`${n}. ${fit(entry.title, 40)}`, budget);
}

function navButtons(p: Paging, replay: ReplayContext | undefined): APIActionRowComponent<APIButtonComponent>[] {
  if (!replay || p.pageCount <= 1) return [];
  const full = p.navigation !== 'previous-next';
  const button = (nav: Nav, label: string, page: number, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: encodeCustomId({ command: replay.command, page, nav, input: replay.input }),
    disabled,
  });
  const buttons = [
    ...(full ? [button('f', texts.buttons.first, 1, p.page <= 1)] : []),
    button('p', texts.buttons.previous, Math.max(1, p.page - 1), p.page <= 1),
    button('n', texts.buttons.next, Math.min(p.pageCount, p.page + 1), p.page >= p.pageCount),
    ...(full ? [button('l', texts.buttons.last, p.pageCount, p.page >= p.pageCount)] : []),
  ];
  return [{ type: ComponentType.ActionRow, components: buttons }];
}

function renderLinks(a: LinksAnswer, replay: ReplayContext | undefined): MessageData {
  const title = fit(a.title, LINKS_TITLE_CHARS);
  const subtitle = a.subtitle ? fit(a.subtitle, LINKS_SUBTITLE_CHARS) : undefined;
  const footer = footerText(a, a.noun);
  const linkCount = a.groups.reduce((n, g) => n + g.entries.length, 0) || 1;
  const room = LIMITS.totalEmbedChars - LINKS_TITLE_CHARS - LINKS_SUBTITLE_CHARS - FOOTER_CHARS - a.groups.length * LINKS_FIELD_NAME_CHARS;
  // Every line gets the same share of the 6,000 characters, and of its field's 1,024 (with its newline).
  const perLink = Math.floor(room / linkCount) - 1;
  let n = (a.page - 1) * PAGE_SIZE;
  const fields: APIEmbedField[] = [];
  for (const group of a.groups) {
    // A group's lines fill as many fields as they need; the continuation fields have a blank name.
    let name = fit(group.category, LINKS_FIELD_NAME_CHARS);
    let value = '';
    for (const entry of group.entries) {
      const line = linkLine(++n, entry, Math.min(perLink, LIMITS.fieldValue));
      if (value !== '' && value.length + 1 + line.length > LIMITS.fieldValue) {
        fields.push({ name, value });
        name = BLANK_FIELD_NAME;
        value = '';
      }
      value = value === '' ? line : `${value}\n${line}`;
    }
    fields.push({ name, value: value || '—' });
  }
  const only = a.groups.length === 1 ? a.groups[0] : undefined;
  const embed: APIEmbed = {
    title,
    color: only ? categoryColor(only.category) : BRAND_COLOR,
    fields: fields.slice(0, LIMITS.fields),
    footer: { text: footer },
  };
  if (subtitle) embed.description = subtitle;
  return { embeds: [embed], components: navButtons(a, replay), allowed_mentions: { parse: [] } };
}

function renderLink(a: LinkAnswer, replay: ReplayContext | undefined): MessageData {
  const e = a.entry;
  const host = displayHost(e.url);
  const embed: APIEmbed = {
    author: { name: plain(a.title, 200) },
    title: fit(e.title, 200),
    color: categoryColor(e.category),
    fields: [
      { name: texts.message.categoryField, value: fit(e.category, 200), inline: true },
      { name: texts.message.pageField, value: fit(e.page, 200), inline: true },
      ...(host ? [{ name: texts.message.siteField, value: escape(host), inline: true }] : []),
    ],
  };
  // Discord refuses an embed URL it cannot parse; the title then simply is not a link.
  const url = safeUrl(e.url);
  if (URL.canParse(url) && url.length <= 2048) embed.url = url;
  if (e.description) embed.description = fit(e.description, SINGLE_DESCRIPTION_CHARS);
  const components: APIActionRowComponent<APIButtonComponent>[] =
    a.another && replay
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Primary,
                label: texts.buttons.another,
                custom_id: encodeCustomId({ command: replay.command, page: 1, nav: 'a', input: replay.input }),
              },
            ],
          },
        ]
      : [];
  return { embeds: [embed], components, allowed_mentions: { parse: [] } };
}

function renderCategories(a: CategoriesAnswer, replay: ReplayContext | undefined): MessageData {
  const lines = a.items.map((c) => `**${fit(c.name, 100)}** · ${plural(c.count, texts.nouns.link)}`);
  const embed: APIEmbed = {
    title: fit(a.title, 200),
    description: truncate(lines.join('\n'), LIMITS.description) || texts.message.noCategories,
    color: BRAND_COLOR,
    footer: { text: `${footerText(a, texts.nouns.category, texts.nouns.categories)} · ${texts.message.categoriesHint}` },
  };
  return { embeds: [embed], components: navButtons(a, replay), allowed_mentions: { parse: [] } };
}

/** The channel mentions a notice names on purpose, kept as mentions where escaping made them text (none pings). */
function withChannelMentions(text: string, channels: readonly string[] | undefined): string {
  let out = text;
  for (const id of channels ?? []) if (/^\d+$/.test(id)) out = out.split(`\\<#${id}\\>`).join(`<#${id}>`);
  return out;
}

function renderNotice(a: NoticeAnswer): MessageData {
  const suggestions = a.suggestions.slice(0, 10).map((s) => `• ${fit(s, 150)}`);
  const description = [
    withChannelMentions(fit(a.message, 1000), a.channels),
    ...(suggestions.length > 0 ? ['', `**${texts.notices.didYouMean}**`, ...suggestions] : []),
  ].join('\n');
  return {
    embeds: [{ title: fit(a.title, 200), description, color: a.tone === 'error' ? ERROR_COLOR : INFO_COLOR }],
    components: [],
    allowed_mentions: { parse: [] },
    flags: MessageFlags.Ephemeral,
  };
}

function renderHelp(a: HelpAnswer): MessageData {
  const loaded = Math.floor(a.loadedAt.getTime() / 1000);
  return {
    embeds: [
      {
        title: fit(a.title, 200),
        description: fit(a.about, 1000),
        color: BRAND_COLOR,
        fields: [
          ...a.commands.slice(0, 20).map((c) => ({ name: truncate(c.usage, 200), value: fit(c.description, 200) })),
          {
            name: texts.help.catalogField,
            value: texts.help.catalogSize(a.entryCount, a.categoryCount, `<t:${loaded}:R>`),
          },
        ],
      },
    ],
    components: [],
    allowed_mentions: { parse: [] },
  };
}

/** An answer as a Discord message, within every limit by construction. */
export function renderMessage(answer: Answer, replay?: ReplayContext): MessageData {
  switch (answer.kind) {
    case 'links':
      return renderLinks(answer, replay);
    case 'link':
      return renderLink(answer, replay);
    case 'categories':
      return renderCategories(answer, replay);
    case 'notice':
      return renderNotice(answer);
    case 'help':
      return renderHelp(answer);
    case 'modal':
    case 'ack':
      // Not a message: a form opens and an acknowledgement is sent by the interaction's callback (serve).
      throw new Error(`an answer of kind ${answer.kind} is not a message`);
    default:
      return unhandled(answer);
  }
}

/** The reply when a handler failed: ephemeral, with nothing of the error a member should not see. */
export function somethingWentWrong(): MessageData {
  return renderNotice(somethingWentWrongNotice());
}
