/**
 * The console driven through its input and output streams as a terminal drives it: keys in
 * (Ctrl-C, Ctrl-D, Tab, Enter), the screen out. A stream with `isTTY` set is what readline sees
 * from a real terminal; test/console.e2e.test.ts does the same through a real pseudo-terminal.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answer } from '../src/answers/answer.js';
import { defineCommand, type AnyCommand } from '../src/commands/command.js';
import { commands } from '../src/commands/index.js';
import { runConsole } from '../src/console/run-console.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex(() => 0);
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const TAB = '\t';
const ENTER = '\r';
/** Readline's escape sequences, which move the cursor about, are not what a person reads. */
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Terminal {
  /** Types `keys`, then waits for the console to have answered them. */
  type(keys: string): Promise<void>;
  /** Everything written so far, escape sequences removed. */
  screen(): string;
  /** Ends the input, as the end of a file piped in does. */
  end(): void;
  /** Resolves when the console has ended. */
  ended: Promise<void>;
  isEnded(): boolean;
}

function startConsole(
  options: { tty?: boolean; historyFile?: string; output?: Writable; commands?: readonly AnyCommand[] } = {},
): Terminal {
  const tty = options.tty ?? true;
  const input = Object.assign(new PassThrough(), tty ? { isTTY: true, setRawMode: () => input } : {});
  let written = '';
  const output =
    options.output ??
    Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          written += chunk.toString();
          done();
        },
      }),
      tty ? { isTTY: true, columns: 120, rows: 40 } : {},
    );
  let ended = false;
  const done = runConsole({
    linkdex: () => linkdex,
    commands: options.commands ?? commands,
    input,
    output,
    banner: 'BANNER',
    ...(options.historyFile ? { historyFile: options.historyFile } : {}),
    now: () => new Date('2026-11-24T10:00:00Z'),
  }).then(() => {
    ended = true;
  });
  return {
    async type(keys: string) {
      input.write(keys);
      // Readline handles keys synchronously on 'data'; answers are synchronous too.
      await new Promise((resolve) => setImmediate(resolve));
    },
    end: () => input.end(),
    screen: () => written.replace(ESCAPES, ''),
    ended: done,
    isEnded: () => ended,
  };
}

describe('the console at a terminal', () => {
  it('Ctrl-C on a half-typed line clears the line and keeps the console open', async () => {
    const term = startConsole();
    await term.type('/search distrib');
    await term.type(CTRL_C);
    expect(term.isEnded()).toBe(false);
    await term.type(`kafka${ENTER}`);
    // The abandoned text was not sent along: the search is for “kafka” alone.
    expect(term.screen()).toContain('Search: “kafka”');
    expect(term.screen()).not.toContain('distrib kafka');
    expect(term.isEnded()).toBe(false);
    await term.type(`/quit${ENTER}`);
    await term.ended;
  });

  it('Ctrl-C on an empty line says how to leave, and a second Ctrl-C leaves, as in node’s REPL', async () => {
    const term = startConsole();
    await term.type(CTRL_C);
    expect(term.isEnded()).toBe(false);
    expect(term.screen()).toContain('(To leave, press Ctrl-C again, or Ctrl-D, or type /quit.)');
    // Anything in between starts the count again.
    await term.type(`n${ENTER}`);
    await term.type(CTRL_C);
    expect(term.isEnded()).toBe(false);
    await term.type(CTRL_C);
    await term.ended;
    expect(term.isEnded()).toBe(true);
  });

  it('Ctrl-D on an empty line leaves, and puts the shell on a line of its own', async () => {
    const term = startConsole();
    await term.type(CTRL_D);
    await term.ended;
    expect(term.screen().endsWith('linkdex> \n')).toBe(true);
  });

  it('Tab completes a category without erasing what was typed', async () => {
    const term = startConsole();
    // Keys in one chunk read as a paste, where Tab is a character: each key comes on its own.
    await term.type('/category distributed mes');
    await term.type(TAB);
    expect(term.screen().endsWith('linkdex> /category Distributed messaging, Streams')).toBe(true);
    await term.type(ENTER);
    expect(term.screen()).toContain('/category Distributed messaging, Streams');
    expect(term.screen()).toContain('Distributed messaging, Streams\nFrom Programming');
    expect(term.screen()).not.toContain('Unknown category');
    await term.type(`/quit${ENTER}`);
    await term.ended;
  });

  it('Tab on a shared start fills it in and lists the names on a second Tab', async () => {
    const term = startConsole();
    await term.type('/category dist');
    await term.type(TAB);
    expect(term.screen().endsWith('linkdex> /category Distributed ')).toBe(true);
    await term.type(TAB);
    expect(term.screen()).toContain('/category Distributed Systems');
    expect(term.screen()).toContain('/category Distributed messaging, Streams');
    // Neither Tab erased the line.
    expect(term.screen().endsWith('linkdex> /category Distributed ')).toBe(true);
    await term.type(CTRL_C + CTRL_D);
    await term.ended;
  });

  it('keeps typed lines for arrow-up in the history file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-history-'));
    dirs.push(dir);
    const historyFile = path.join(dir, '.linkdex_history');
    const term = startConsole({ historyFile });
    await term.type(`kafka${ENTER}/quit${ENTER}`);
    await term.ended;
    expect(readFileSync(historyFile, 'utf8')).toBe('kafka\n/quit\n');
  });

  it('/clear and clear clear the screen', async () => {
    const raw: string[] = [];
    const output = Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          raw.push(chunk.toString());
          done();
        },
      }),
      { isTTY: true, columns: 120, rows: 40 },
    );
    const term = startConsole({ output });
    await term.type(`/clear${ENTER}clear${ENTER}/quit${ENTER}`);
    await term.ended;
    // Cursor to the top left corner (readline itself only ever moves along a row), once per clear.
    expect(raw.join('').split('\x1b[1;1H')).toHaveLength(3);
  });
});

/** A command that answers after `ms` milliseconds, as one that reads storage would. */
function answersAfter(name: string, ms: number): AnyCommand {
  return defineCommand({
    name,
    description: `answers after ${ms} ms`,
    options: [],
    async run({ linkdex }): Promise<Answer> {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const entry = linkdex.catalog.entries[0];
      if (!entry) throw new Error('the seed has entries');
      return { kind: 'link', title: `${name} answered`, entry };
    },
  });
}

describe('the console with piped input and output', () => {
  it('awaits a command that answers later, and answers the lines in the order they came', async () => {
    const term = startConsole({ tty: false, commands: [answersAfter('late', 30), answersAfter('soon', 0), ...commands] });
    await term.type('/late\n/soon\n/quit\n');
    await term.ended;
    const screen = term.screen();
    expect(screen.split('\n').filter((l) => l.includes('answered'))).toEqual(['linkdex> late answered', 'linkdex> soon answered']);
    expect(screen.endsWith('\nlinkdex> Bye.\n')).toBe(true);
  });

  it('answers every line piped in when the input ends before the answers are ready', async () => {
    const term = startConsole({ tty: false, commands: [answersAfter('late', 30), ...commands] });
    await term.type('/late\n/late\n');
    term.end();
    await term.ended;
    expect(
      term
        .screen()
        .split('\n')
        .filter((l) => l.includes('answered')),
    ).toEqual(['linkdex> late answered', 'linkdex> late answered']);
    expect(term.screen().endsWith('\nlinkdex> ')).toBe(true);
  });

  it('does not save piped lines to the history', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-history-'));
    dirs.push(dir);
    const historyFile = path.join(dir, '.linkdex_history');
    const term = startConsole({ tty: false, historyFile });
    await term.type('kafka\n/quit\n');
    await term.ended;
    expect(term.screen()).toContain('Search: “kafka”');
    expect(existsSync(historyFile)).toBe(false);
  });

  it('ends quietly when the reader of its output goes away (EPIPE)', async () => {
    let writes = 0;
    const output = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        // The banner goes through; then the pipe is gone, as after `| head -1`.
        done(writes > 1 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : undefined);
      },
    });
    const term = startConsole({ tty: false, output });
    await term.type('kafka\n/category\n/random\n');
    await term.ended;
    expect(term.isEnded()).toBe(true);
  }, 5_000);
});
