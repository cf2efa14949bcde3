import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from '../command.js';
import type { Linkdex } from '../linkdex.js';
import { ConsoleSession } from './console-session.js';

export interface ConsoleOptions {
  linkdex: () => Linkdex;
  commands: readonly Command[];
  input: Readable;
  output: Writable;
  /** Printed once before the first prompt. */
  banner: string;
  /** Where earlier sessions' lines are kept, for arrow-up; none when undefined. */
  historyFile?: string;
  now?: () => Date;
}

const HISTORY_SIZE = 500;

function readHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    // readline wants the newest line first.
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function remember(file: string | undefined, line: string): void {
  if (!file || line.trim() === '') return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, `${line.replace(/\n/g, ' ')}\n`);
  } catch {
    // History is a convenience; a read-only home must not stop the console.
  }
}

/** The interactive console: a prompt, the same answers as the bot as text, until /quit or end of input. */
export function runConsole(options: ConsoleOptions): Promise<void> {
  const session = new ConsoleSession(options.linkdex, options.commands, options.now);
  const terminal = (options.output as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal,
    history: readHistory(options.historyFile),
    historySize: HISTORY_SIZE,
    completer: (line: string) => session.complete(line),
  });
  const write = (text: string) => options.output.write(`${text}\n`);
  rl.setPrompt('linkdex> ');
  write(options.banner);
  rl.prompt();

  return new Promise((resolve) => {
    rl.on('line', (line) => {
      remember(options.historyFile, line);
      let reply;
      try {
        reply = session.handle(line);
      } catch (error) {
        // A bug in one answer must not end the session.
        reply = { text: `Something went wrong: ${(error as Error).message}` };
      }
      if (reply.text) write(reply.text);
      if (reply.quit) {
        rl.close();
        return;
      }
      rl.prompt();
    });
    rl.on('close', () => resolve());
  });
}
