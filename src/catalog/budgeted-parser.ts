import type { Worker } from 'node:worker_threads';
import { problem } from './problems.js';
import type { ContentFile } from './read-files.js';
import { startTsWorker } from './ts-worker.js';
import type { ParseBudget, ParsedPage, Problem } from './types.js';

/**
 * An awesome-list-like file parses at about 1.5 s per MB on an idle 2-vCPU machine and 5 s per MB
 * on a busy one (bench: `--hostile`), and the size cap (MAX_FILE_BYTES) is 4 MB: 20 s leaves room for
 * a file at the cap on a busy machine, and stops `*a_*a_…` (87 s for 100 KB) or nested lists long
 * before they hold a start or a reload for minutes.
 */
export const DEFAULT_PARSE_BUDGET: ParseBudget = { timeoutMs: 20_000, memoryMb: 1024 };

/** The smallest heap the parser itself needs to start (remark, micromark, tsx). */
export const MIN_PARSE_MEMORY_MB = 64;

/** How long a new parser may take to load before loading is given up as broken. */
const START_TIMEOUT_MS = 60_000;

export interface ParseRequest {
  id: number;
  file: ContentFile;
  options: { includeDrafts?: boolean; chunkChars?: number };
}

export type ParseReply = { id: number; parsed: ParsedPage } | { id: number; error: string };

export type ParseOutcome = { ok: true; parsed: ParsedPage } | { ok: false; problem: Problem };

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Parses files one at a time in a worker thread with a time limit per file and a heap limit
 * (`resourceLimits`). A file over either is reported and the worker is replaced, so a hostile file
 * (a few KB of markdown can take minutes, a few MB can exhaust any heap) costs its budget and no
 * more, and never the process. Never rejects for a file's sake; rejects only if the worker cannot
 * start at all.
 */
export class BudgetedParser {
  #worker: Promise<Worker> | undefined;
  #nextId = 0;
  readonly #budget: ParseBudget;

  constructor(budget: Partial<ParseBudget> = {}) {
    this.#budget = { ...DEFAULT_PARSE_BUDGET, ...budget };
    this.#budget.memoryMb = Math.max(MIN_PARSE_MEMORY_MB, this.#budget.memoryMb);
  }

  get budget(): Readonly<ParseBudget> {
    return this.#budget;
  }

  #start(): Promise<Worker> {
    if (this.#worker) return this.#worker;
    const started = new Promise<Worker>((resolve, reject) => {
      const worker = startTsWorker('./parse-worker.ts', { resourceLimits: { maxOldGenerationSizeMb: this.#budget.memoryMb } });
      const timer = setTimeout(
        () => fail(new Error(`the markdown parser did not start within ${seconds(START_TIMEOUT_MS)}`)),
        START_TIMEOUT_MS,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.#worker = undefined;
        void worker.terminate();
        reject(error);
      };
      const onStartExit = (code: number) => fail(new Error(`the markdown parser exited with code ${code} while starting`));
      worker.once('message', () => {
        clearTimeout(timer);
        worker.off('error', fail);
        worker.off('exit', onStartExit);
        // Between files nothing should fail; if the idle worker dies anyway, the next file gets a new one.
        worker.on('error', () => undefined);
        worker.once('exit', () => {
          if (this.#worker === started) this.#worker = undefined;
        });
        resolve(worker);
      });
      worker.once('error', fail);
      worker.once('exit', onStartExit);
    });
    this.#worker = started;
    return started;
  }

  /**
   * One file's page, or the problem that kept it out. `timeoutMs` (at most the budget's) lets a
   * caller with its own deadline cut a parse short; `overTime` is then the problem it reports.
   */
  async parse(file: ContentFile, options: ParseRequest['options'], limit?: { timeoutMs: number; overTime: string }): Promise<ParseOutcome> {
    const worker = await this.#start();
    const id = this.#nextId++;
    const timeoutMs = Math.min(limit?.timeoutMs ?? Infinity, this.#budget.timeoutMs);
    const at = { file: file.file, line: 1 };
    return new Promise<ParseOutcome>((resolve) => {
      const settle = (outcome: ParseOutcome, replace: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (replace) {
          this.#worker = undefined;
          void worker.terminate();
        }
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        const cutShort = limit !== undefined && limit.timeoutMs < this.#budget.timeoutMs;
        const message = cutShort
          ? limit.overTime
          : `parsing took over ${seconds(this.#budget.timeoutMs)} (PARSE_TIMEOUT_SECONDS); the file is skipped`;
        settle({ ok: false, problem: problem('error', 'parse-timeout', message, at) }, true);
      }, timeoutMs);
      const onMessage = (reply: ParseReply) => {
        if (reply.id !== id) return;
        if ('parsed' in reply) settle({ ok: true, parsed: reply.parsed }, false);
        else settle({ ok: false, problem: problem('error', 'unreadable', `file could not be parsed: ${reply.error}`, at) }, false);
      };
      const onError = (error: Error & { code?: string }) => {
        const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const found = outOfMemory
          ? problem('error', 'parse-memory', `parsing needed over ${this.#budget.memoryMb} MB (PARSE_MEMORY_MB); the file is skipped`, at)
          : problem('error', 'unreadable', `the markdown parser failed on this file (${error.message}); skipped`, at);
        settle({ ok: false, problem: found }, true);
      };
      const onExit = (code: number) =>
        settle(
          { ok: false, problem: problem('error', 'unreadable', `the markdown parser exited (code ${code}) on this file; skipped`, at) },
          true,
        );
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ id, file, options } satisfies ParseRequest);
    });
  }

  /** Stops the worker, if one is running. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.then((w) => w.terminate()).catch(() => undefined);
  }
}
