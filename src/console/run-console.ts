import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { clearScreenDown, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from '../commands/command.js';
import type { Linkdex } from '../linkdex.js';
import { ConsoleSession } from './console-session.js';

export interface ConsoleOptions {
  linkdex: () => Linkdex;
  commands: readonly Command[];
  input: Readable;
  output: Writable;
  /** Printed once before the first prompt. */
  banner: string;
  /** Where earlier sessions' typed lines are kept, for arrow-up; none when undefined. Piped lines are not kept. */
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

/**
 * Empties the line being typed as node's REPL does: the text stays on screen and the prompt
 * starts afresh on the next row. `clearLine` is undocumented, but readline itself calls it on
 * every Enter, so it is there wherever readline works.
 */
function abandonLine(rl: Interface): void {
  (rl as unknown as { clearLine(): void }).clearLine();
}

/**
 * The interactive console: a prompt, the same answers as the bot as text, until /quit, Ctrl-D,
 * two Ctrl-C in a row on an empty line (as in node's REPL), end of input, or a closed output.
 */
export function runConsole(options: ConsoleOptions): Promise<void> {
  const session = new ConsoleSession(options.linkdex, options.commands, options.now);
  const terminal = (options.output as { isTTY?: boolean }).isTTY === true;
  // Only what a person typed is worth recalling; a script piped in would flood the history.
  const historyFile = terminal && (options.input as { isTTY?: boolean }).isTTY === true ? options.historyFile : undefined;
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal,
    history: readHistory(historyFile),
    historySize: HISTORY_SIZE,
    completer: (line: string) => session.complete(line),
  });
  let outputClosed = false;
  const write = (text: string) => {
    if (!outputClosed) options.output.write(`${text}\n`);
  };

  return new Promise((resolve) => {
    // The reader went away (`npm start | head`): stop answering, quietly, as other tools do.
    options.output.on('error', () => {
      outputClosed = true;
      rl.close();
    });
    let quitting = false;
    let warned = false;
    rl.on('SIGINT', () => {
      const empty = rl.line.length === 0;
      abandonLine(rl);
      if (empty && warned) {
        quitting = true;
        rl.close();
        return;
      }
      if (empty) write('(To leave, press Ctrl-C again, or Ctrl-D, or type /quit.)');
      warned = empty;
      rl.prompt();
    });
    let closed = false;
    // Answers may wait (a command that reads storage): lines are answered one at a time, in the
    // order they came, each after the one before has been printed.
    let answering: Promise<void> = Promise.resolve();
    const answerLine = async (line: string): Promise<void> => {
      if (quitting || outputClosed) return;
      let reply;
      try {
        reply = await session.handle(line);
      } catch (error) {
        // A bug in one answer must not end the session.
        reply = { text: `Something went wrong: ${(error as Error).message}` };
      }
      if (quitting || outputClosed) return;
      if (reply.clear && terminal) {
        cursorTo(options.output, 0, 0);
        clearScreenDown(options.output);
      }
      if (reply.text) write(reply.text);
      if (reply.quit) {
        quitting = true;
        rl.close();
        return;
      }
      if (!closed) rl.prompt();
      // Input that ended before this answer (lines piped in) still gets its prompt, as every line does.
      else if (!terminal && !outputClosed) options.output.write(rl.getPrompt());
    };
    rl.on('line', (line) => {
      warned = false;
      remember(historyFile, line);
      answering = answering.then(() => answerLine(line));
    });
    rl.on('close', () => {
      closed = true;
      // Lines piped in are all read before their answers are ready: answer them, then leave.
      void answering.then(() => {
        // Ctrl-D leaves the cursor after the prompt; the shell's own prompt belongs on a line of its own.
        if (terminal && !quitting) write('');
        resolve();
      });
    });
    rl.setPrompt('linkdex> ');
    write(options.banner);
    rl.prompt();
  });
}
