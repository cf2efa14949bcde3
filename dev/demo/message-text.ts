/**
 * A Discord message as a member sees it, as lines of terminal text: the embed's author, linked
 * title, description and fields with their markdown rendered (bold, links, escapes), the footer,
 * and the buttons. Markdown is read as a syntax tree, as Discord reads it.
 */
import type { List, Nodes } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

export interface Style {
  /** Colours and underlines for a terminal; plain text otherwise. */
  color: boolean;
}

interface Embed {
  author?: { name: string };
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

interface Button {
  label?: string;
  disabled?: boolean;
}

export interface MessageLike {
  content?: string;
  embeds?: Embed[];
  components?: { components?: Button[] }[];
  flags?: number;
}

const EPHEMERAL = 64;
/** Discord shows a zero-width-space field name as no name at all: a group's continuation. */
const BLANK = '\u200b';

const parser = unified().use(remarkParse);

/** Content is untrusted: its control characters (an ANSI escape, say) must not reach the terminal. */
export function plain(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? c : ' '));
}

function ansi(style: Style, code: string, text: string): string {
  return style.color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function inline(node: Nodes, style: Style): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'html':
      return plain(node.value);
    case 'strong':
      return ansi(style, '1', node.children.map((c) => inline(c, style)).join(''));
    case 'link':
      // Clickable in Discord: underlined here, as the target is not the point of a list line.
      return ansi(style, '4', node.children.map((c) => inline(c, style)).join(''));
    case 'break':
      return '\n';
    case 'list':
      return listText(node, style);
    default:
      return 'children' in node ? node.children.map((c) => inline(c, style)).join(block(node) ? '\n' : '') : '';
  }
}

function block(node: Nodes): boolean {
  return node.type === 'root' || node.type === 'listItem' || node.type === 'blockquote';
}

/** `1. …` lines stay numbered as Discord numbers them, from the list's start. */
function listText(list: List, style: Style): string {
  return list.children
    .map((item, index) => {
      const marker = list.ordered ? `${(list.start ?? 1) + index}.` : '•';
      return `${marker} ${inline(item, style)}`;
    })
    .join('\n');
}

/** Discord markdown as the text it shows. */
export function markdownText(markdown: string, style: Style): string {
  return inline(parser.parse(markdown), style);
}

function buttonsText(buttons: Button[], style: Style): string {
  return (
    buttons
      // A greyed-out button is in parentheses, and dim at a terminal.
      .map((b) => (b.disabled ? ansi(style, '2', `(${plain(b.label ?? '')})`) : `[${plain(b.label ?? '')}]`))
      .join(' ')
  );
}

/** The message as lines, each starting with the embed's coloured bar. */
export function messageLines(message: MessageLike, style: Style): string[] {
  const out: string[] = [];
  if ((message.flags ?? 0) & EPHEMERAL) out.push('(only you can see this)');
  if (message.content) out.push(...markdownText(message.content, style).split('\n'));
  for (const embed of message.embeds ?? []) {
    const hex = (embed.color ?? 0x5865f2).toString(16).padStart(6, '0');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const bar = ansi(style, `38;2;${r};${g};${b}`, '┃');
    const lines: string[] = [];
    if (embed.author) lines.push(plain(embed.author.name));
    if (embed.title) lines.push(ansi(style, '1', markdownText(embed.title, { color: false })));
    if (embed.url) lines.push(`↗ ${plain(embed.url)}`);
    if (embed.description) lines.push(...markdownText(embed.description, style).split('\n'));
    const inlineFields = (embed.fields ?? []).filter((f) => f.inline);
    for (const field of embed.fields ?? []) {
      if (field.inline) continue;
      if (field.name !== BLANK) lines.push(ansi(style, '1', markdownText(field.name, { color: false })));
      lines.push(...markdownText(field.value, style).split('\n'));
    }
    // Discord puts inline fields side by side.
    if (inlineFields.length > 0) lines.push(inlineFields.map((f) => `${f.name}: ${markdownText(f.value, style)}`).join(' · '));
    if (embed.footer) lines.push(ansi(style, '2', plain(embed.footer.text)));
    out.push(...lines.map((line) => `${bar} ${line}`));
  }
  const buttons = (message.components ?? []).flatMap((row) => row.components ?? []);
  if (buttons.length > 0) out.push(`  ${buttonsText(buttons, style)}`);
  return out;
}
