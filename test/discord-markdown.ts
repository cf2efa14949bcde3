/**
 * Reads Discord text the way Discord's clients do (discord-markdown-parser: simple-markdown with
 * Discord's rules, and masked links as embeds and webhooks allow them), to check what members would see.
 */
import { parse } from 'discord-markdown-parser';
import type { APIEmbed } from 'discord.js';

export interface MdNode {
  type: string;
  content?: string | MdNode[];
  target?: string;
  name?: string;
}

/** Node types that change how text looks or what it does: none may come from content. */
export const FORMATTING_TYPES = new Set([
  'heading',
  'subtext',
  'blockQuote',
  'codeBlock',
  'inlineCode',
  'em',
  'underline',
  'strikethrough',
  'spoiler',
  'emoticon',
  'user',
  'role',
  'channel',
  'everyone',
  'here',
  'slashCommand',
  'timestamp',
  'guildNavigation',
  'emoji',
]);
export const LINK_TYPES = new Set(['link', 'url', 'autolink']);

export function parseDiscord(text: string): MdNode[] {
  return parse(text, 'extended') as MdNode[];
}

export function allNodes(nodes: readonly MdNode[], into: MdNode[] = []): MdNode[] {
  for (const node of nodes) {
    into.push(node);
    if (Array.isArray(node.content)) allNodes(node.content, into);
  }
  return into;
}

/** The text a member reads: what every node shows, markup gone. A pill or a date shows as `<type>`, so it never equals text. */
export function shownText(nodes: readonly MdNode[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return typeof node.content === 'string' ? node.content : '';
      if (node.type === 'br' || node.type === 'newline') return '\n';
      if (node.type === 'twemoji') return node.name ?? '';
      if (Array.isArray(node.content)) return shownText(node.content);
      return `<${node.type}>`;
    })
    .join('');
}

export interface ShownLink {
  text: string;
  target: string;
}

export function linksIn(nodes: readonly MdNode[]): ShownLink[] {
  return allNodes(nodes)
    .filter((n) => LINK_TYPES.has(n.type))
    .map((n) => ({ text: shownText(Array.isArray(n.content) ? n.content : []), target: n.target ?? '' }));
}

/** Every part of an embed Discord renders as markdown, with where it is. */
export function markdownParts(embed: APIEmbed): { where: string; text: string }[] {
  return [
    ...(embed.title === undefined ? [] : [{ where: 'title', text: embed.title }]),
    ...(embed.description === undefined ? [] : [{ where: 'description', text: embed.description }]),
    ...(embed.fields ?? []).flatMap((f, i) => [
      { where: `fields[${i}].name`, text: f.name },
      { where: `fields[${i}].value`, text: f.value },
    ]),
  ];
}
