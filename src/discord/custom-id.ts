import type { AnyCommand, CommandInput } from '../commands/command.js';

/**
 * A button's custom_id carries everything needed to redraw its answer (command, input, page), so
 * buttons keep working after a restart and on any shard: `lx|search|2|n|query=kafka|category=Rust`.
 */
export interface Replay {
  command: string;
  page: number;
  /** Which button of the row: first, previous, next, last, another. Keeps ids unique in a message. */
  nav: Nav;
  input: CommandInput;
}

export type Nav = 'f' | 'p' | 'n' | 'l' | 'a';
const NAVS: readonly string[] = ['f', 'p', 'n', 'l', 'a'];

const PREFIX = 'lx';
export const MAX_CUSTOM_ID = 100;

function escape(value: string): string {
  return value.replace(/%/g, '%25').replace(/\|/g, '%7C').replace(/=/g, '%3D');
}

function unescape(value: string): string {
  return value.replace(/%7C/g, '|').replace(/%3D/g, '=').replace(/%25/g, '%');
}

function build(replay: Replay, input: CommandInput): string {
  const fields = Object.entries(input)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? '1' : '0') : escape(v as string)}`);
  return [PREFIX, replay.command, String(replay.page), replay.nav, ...fields].join('|');
}

/** Encodes a replay in at most 100 characters; the longest text option is shortened if it must be. */
export function encodeCustomId(replay: Replay): string {
  const input = { ...replay.input };
  let id = build(replay, input);
  while (id.length > MAX_CUSTOM_ID) {
    const longest = Object.entries(input)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
      .sort((a, b) => b[1].length - a[1].length)[0];
    if (!longest) break;
    const [key, value] = longest;
    const chars = [...value];
    input[key] = chars.slice(0, Math.max(0, chars.length - (id.length - MAX_CUSTOM_ID) - 1)).join('');
    id = build(replay, input);
  }
  return id.slice(0, MAX_CUSTOM_ID);
}

/** The replay a custom_id describes, or undefined when it is not one of ours or names no command. */
export function decodeCustomId(customId: string, commands: readonly AnyCommand[]): { replay: Replay; command: AnyCommand } | undefined {
  const [prefix, name, pageText, nav, ...fields] = customId.split('|');
  if (prefix !== PREFIX || name === undefined || nav === undefined || !NAVS.includes(nav)) return undefined;
  const command = commands.find((c) => c.name === name);
  const page = Number(pageText);
  if (!command || !Number.isInteger(page) || page < 1) return undefined;
  const input: CommandInput = {};
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = field.slice(0, eq);
    const option = command.options.find((o) => o.name === key);
    if (eq <= 0 || !option) return undefined;
    const raw = unescape(field.slice(eq + 1));
    input[key] = option.type === 'boolean' ? raw === '1' : raw;
  }
  return { replay: { command: name, page, nav: nav as Nav, input }, command };
}
