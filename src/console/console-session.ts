import { OPERATOR, type AnyCommand, type CommandInput, type CommandServices } from '../commands/command.js';
import type { Linkdex } from '../linkdex.js';
import { silentLogger } from '../logger.js';
import { outsideDiscord } from '../render/outside-discord.js';
import { renderText } from '../render/text.js';
import { fold } from '../text.js';
import { renderConsoleHelp } from './console-help.js';

/** The console's own commands, beside the bot's; completed like them. */
export const CONSOLE_COMMANDS = ['/clear', '/quit', '/exit'];
const QUIT_COMMANDS = ['/quit', '/exit'];
/**
 * Typed alone, these words mean what they mean in every shell and REPL, not a search (search
 * them with `/search help`).
 */
/** A Map, not an object: a member's `__proto__` or `constructor` must not find Object's own properties. */
const BARE_WORDS = new Map([
  ['help', '/help'],
  ['quit', '/quit'],
  ['exit', '/quit'],
  ['clear', '/clear'],
]);

export type ParsedLine = { ok: true; command: AnyCommand; input: CommandInput } | { ok: false; error: string };

const TRUE_WORDS = ['true', 'yes', 'on', '1'];
const FALSE_WORDS = ['false', 'no', 'off', '0'];

/**
 * Reads a console line the way Discord fills a slash command: `/search distributed tracing
 * category:Observability`. Text before the first `option:` goes to the first option; each
 * `option:` takes the text up to the next one, so values may contain spaces.
 */
export function parseLine(line: string, commands: readonly AnyCommand[]): ParsedLine {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const head = (space === -1 ? trimmed : trimmed.slice(0, space)).slice(1).toLowerCase();
  const rest = space === -1 ? '' : trimmed.slice(space + 1);
  const command = commands.find((c) => c.name === head);
  if (!command) {
    return { ok: false, error: `Unknown command /${head}. Commands: ${commands.map((c) => `/${c.name}`).join(', ')}, /clear, /quit` };
  }

  const input: CommandInput = {};
  const words = rest.split(/\s+/).filter(Boolean);
  // `/settings show`: a subcommand's name first, then its options.
  const subcommand = command.options.find((o) => o.type === 'subcommand' && o.name === words[0]?.toLowerCase());
  if (subcommand) {
    input['subcommand'] = subcommand.name;
    words.shift();
  }
  const options = subcommand?.options ?? command.options;
  const names = options.map((o) => o.name);
  let current: string | undefined = options.find((o) => o.type === 'string')?.name;
  const collected = new Map<string | undefined, string[]>();
  for (const word of words) {
    const colon = word.indexOf(':');
    const name = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    if (names.includes(name)) {
      current = name;
      collected.set(current, [...(collected.get(current) ?? []), word.slice(colon + 1)].filter(Boolean));
    } else if (options.some((o) => o.type === 'boolean' && o.name === word.toLowerCase())) {
      // `/random today` reads as today:true.
      input[word.toLowerCase()] = true;
    } else {
      collected.set(current, [...(collected.get(current) ?? []), word]);
    }
  }
  for (const [name, parts] of collected) {
    if (name === undefined) return { ok: false, error: `/${command.name} takes no text. Try /help.` };
    const option = options.find((o) => o.name === name);
    const value = parts.join(' ');
    if (option?.type === 'boolean') {
      if (TRUE_WORDS.includes(value.toLowerCase())) input[name] = true;
      else if (FALSE_WORDS.includes(value.toLowerCase())) input[name] = false;
      else return { ok: false, error: `${name}: must be true or false, not “${value}”` };
    } else {
      input[name] = value;
    }
  }
  return { ok: true, command, input };
}

export interface SessionReply {
  text: string;
  quit?: boolean;
  /** Clear the screen before printing `text`. */
  clear?: boolean;
}

/**
 * The console's state and behaviour without a terminal: one line in, the text to print out.
 * It remembers the last paged answer so `n` and `p` can redraw it, as the bot's buttons do.
 */
export class ConsoleSession {
  private last: { command: AnyCommand; input: CommandInput; page: number; pageCount: number } | undefined;

  constructor(
    private readonly linkdex: () => Linkdex,
    private readonly commands: readonly AnyCommand[],
    private readonly now: () => Date = () => new Date(),
    private readonly services: CommandServices = { logger: silentLogger() },
  ) {}

  private async answer(command: AnyCommand, input: CommandInput, page: number): Promise<string> {
    const context = { linkdex: this.linkdex(), now: this.now(), commands: this.commands, services: this.services, ...OPERATOR };
    // An acknowledgement's follow-up is awaited; a form (Discord's modal) becomes a notice.
    const answer = await outsideDiscord(await command.run(context, input, page));
    if (answer.kind === 'links' || answer.kind === 'categories') {
      this.last = { command, input, page: answer.page, pageCount: answer.pageCount };
      const hint = answer.pageCount > 1 ? `\n(n: next page, p: previous page)` : '';
      return renderText(answer) + hint;
    }
    this.last = undefined;
    return answer.kind === 'help' ? renderConsoleHelp(answer, this.now()) : renderText(answer);
  }

  private async turnPage(delta: number): Promise<string> {
    if (!this.last) return 'Nothing to page through. Try /search kafka or /category.';
    const target = this.last.page + delta;
    if (target < 1) return 'Already on the first page.';
    if (target > this.last.pageCount) return 'Already on the last page.';
    return this.answer(this.last.command, this.last.input, target);
  }

  /** The reply to one line; a command may wait (storage), so the reply is a promise. */
  async handle(rawLine: string): Promise<SessionReply> {
    const trimmed = rawLine.trim();
    if (trimmed === '') return { text: '' };
    const line = BARE_WORDS.get(trimmed.toLowerCase()) ?? trimmed;
    const lower = line.toLowerCase();
    // `/quit now` leaves too: whatever follows, the wish is clear.
    const head = lower.split(/\s/, 1)[0] ?? '';
    if (QUIT_COMMANDS.includes(head)) return { text: 'Bye.', quit: true };
    if (head === '/clear') return { text: '', clear: true };
    if (lower === 'n') return { text: await this.turnPage(1) };
    if (lower === 'p') return { text: await this.turnPage(-1) };
    // Plain words are a search: the most common thing anyone types.
    const parsed = parseLine(line.startsWith('/') ? line : `/search ${line}`, this.commands);
    if (!parsed.ok) return { text: parsed.error };
    return { text: await this.answer(parsed.command, parsed.input, 1) };
  }

  /**
   * Tab completion: command names, then category names where a category is expected. Readline
   * replaces the typed text by what the candidates have in common, so a candidate that does not
   * extend the typed text (a category found by a later word, or by spelling) would erase what was
   * typed: those are offered only when they are the one match, as the category the line would
   * resolve to anyway.
   */
  complete(line: string): [string[], string] {
    if (!line.includes(' ')) {
      const names = [...this.commands.map((c) => `/${c.name}`), ...CONSOLE_COMMANDS];
      return [names.filter((n) => n.startsWith(line.toLowerCase())), line];
    }
    const categoryOption = line.lastIndexOf('category:');
    const isCategoryCommand = line.toLowerCase().startsWith('/category ');
    if (categoryOption === -1 && !isCategoryCommand) return [[], line];
    const start = categoryOption !== -1 ? categoryOption + 'category:'.length : '/category '.length;
    const typed = line.slice(start);
    const head = line.slice(0, start);
    const names = this.linkdex().categories.complete(typed, 25);
    const extending = names.filter((n) => fold(n).startsWith(fold(typed)));
    if (extending.length === 0) return [names.length === 1 ? [`${head}${names[0] ?? ''}`] : [], line];
    const candidates = extending.map((n) => `${head}${n}`);
    // Names that differ in case within the typed part share a shorter prefix: keep the text as typed.
    if (!fold(commonPrefix(candidates)).startsWith(fold(line))) return [extending.map((n) => `${line}${n.slice(typed.length)}`), line];
    return [candidates, line];
  }
}

function commonPrefix(texts: readonly string[]): string {
  const [first = '', ...rest] = texts;
  let length = first.length;
  for (const text of rest) {
    let i = 0;
    while (i < length && text[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}
