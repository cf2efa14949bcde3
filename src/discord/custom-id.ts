import type { AnyCommand, CommandInput } from '../commands/command.js';
import type { ActionPress, ModalForm, ReplayPress, Stale } from '../serve/interaction.js';

/**
 * A component's custom_id carries everything needed to answer it, so buttons and forms keep
 * working after a restart and on any shard. Three kinds, each within Discord's 100 characters:
 * - a replay redraws a command's answer: `lx|search|2|n|query=kafka|category=Rust`;
 * - an action acts on a target: `lx:a|suggest|approve|1234`;
 * - a modal names the form a submission belongs to: `lx:m|suggest|edit|1234`.
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
const ACTION_PREFIX = 'lx:a';
const MODAL_PREFIX = 'lx:m';
export const MAX_CUSTOM_ID = 100;

const STALE: Stale = { kind: 'stale' };

function escape(value: string): string {
  return value.replace(/%/g, '%25').replace(/\|/g, '%7C').replace(/=/g, '%3D');
}

function unescape(value: string): string {
  return value.replace(/%7C/g, '|').replace(/%3D/g, '=').replace(/%25/g, '%');
}

function build(replay: Replay, input: CommandInput): string {
  const fields = Object.entries(input)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? '1' : '0') : escape(typeof v === 'object' ? v.id : String(v))}`);
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

/**
 * A target cannot be shortened like a search query (a shorter id is another suggestion), so an
 * id that would not fit is refused here, where the command that made it can be named.
 */
function encodeNamed(prefix: string, command: string, name: string, target: string): string {
  const id = [prefix, escape(command), escape(name), escape(target)].join('|');
  if (id.length > MAX_CUSTOM_ID) {
    throw new RangeError(
      `custom id for ${command}/${name} is ${id.length} characters (at most ${MAX_CUSTOM_ID}): shorten the target id "${target.slice(0, 40)}"`,
    );
  }
  return id;
}

/** The id of a button that runs `command`'s `action` on `target`. Throws a RangeError past 100 characters. */
export function encodeActionId(press: Omit<ActionPress, 'kind'>): string {
  return encodeNamed(ACTION_PREFIX, press.command, press.action, press.target);
}

/** The id of `command`'s form `modal` about `target`. Throws a RangeError past 100 characters. */
export function encodeModalId(form: Omit<ModalForm, 'kind'>): string {
  return encodeNamed(MODAL_PREFIX, form.command, form.modal, form.target);
}

function decodeReplay(parts: string[], commands: readonly AnyCommand[]): (ReplayPress & { nav: Nav }) | Stale {
  const [, name, pageText, nav, ...fields] = parts;
  if (name === undefined || nav === undefined || !NAVS.includes(nav)) return STALE;
  const command = commands.find((c) => c.name === name);
  const page = Number(pageText);
  if (!command || !Number.isInteger(page) || page < 1) return STALE;
  const input: CommandInput = {};
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = field.slice(0, eq);
    const option = command.options.find((o) => o.name === key);
    if (eq <= 0 || !option) return STALE;
    const raw = unescape(field.slice(eq + 1));
    if (option.type === 'integer' && !Number.isInteger(Number(raw))) return STALE;
    // A channel's kind is not carried: a replay is checked again where it is used.
    input[key] =
      option.type === 'boolean'
        ? raw === '1'
        : option.type === 'integer'
          ? Number(raw)
          : option.type === 'channel'
            ? { id: raw, kind: 'unknown' }
            : raw;
  }
  return { kind: 'replay', command: name, page, nav: nav as Nav, input };
}

/**
 * What a custom_id asks for: a replay, an action or a form of a command of `commands`, or
 * `stale` for anything else (not ours, malformed, too long, a command or handler that is gone).
 * Never throws: a custom_id is whatever a client sent.
 */
export function decodeCustomId(
  customId: unknown,
  commands: readonly AnyCommand[],
): (ReplayPress & { nav: Nav }) | ActionPress | ModalForm | Stale {
  if (typeof customId !== 'string' || customId.length === 0 || customId.length > MAX_CUSTOM_ID) return STALE;
  const parts = customId.split('|');
  const prefix = parts[0];
  if (prefix === PREFIX) return decodeReplay(parts, commands);
  if ((prefix !== ACTION_PREFIX && prefix !== MODAL_PREFIX) || parts.length !== 4) return STALE;
  const [command, name, target] = parts.slice(1).map(unescape) as [string, string, string];
  const found = commands.find((c) => c.name === command);
  // Own properties only: `__proto__` or `constructor` names no handler.
  if (prefix === ACTION_PREFIX) {
    return found?.actions && Object.hasOwn(found.actions, name) ? { kind: 'action', command, action: name, target } : STALE;
  }
  return found?.modals && Object.hasOwn(found.modals, name) ? { kind: 'modal', command, modal: name, target } : STALE;
}
