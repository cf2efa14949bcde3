import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { problem } from './problems.js';
import type { Problem } from './types.js';

/**
 * Bigger files are refused unread. Parsing costs about 1.5 s per MB of ordinary list markdown on an
 * idle 2-vCPU machine (5 s on a busy one) and far more for hostile markdown, so a file at the cap
 * still fits the default parse budget (DEFAULT_PARSE_BUDGET); a link catalog is rarely over 300 KB.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

function tooBig(bytes: number, file: string): Problem {
  return problem(
    'error',
    'unreadable',
    `file is ${(bytes / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit; skipped (split it into several files)`,
    { file, line: 1 },
  );
}

export interface ContentFile {
  /** Relative to the working directory, `/`-separated: what `file:line` reports show. */
  file: string;
  text: string;
}

export class ContentPathError extends Error {
  constructor(
    readonly contentPath: string,
    reason: string,
  ) {
    super(`cannot read content at ${contentPath}: ${reason}`);
    this.name = 'ContentPathError';
  }
}

/**
 * How a path is shown in `file:line` reports and messages: relative to the working directory when
 * it is inside it, else absolute (a `../../tmp/x.md` would make a reader count directories).
 */
export function displayPath(absolute: string, cwd: string): string {
  const resolved = path.resolve(cwd, absolute);
  const relative = path.relative(cwd, resolved);
  const inside = relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
  const shown = relative === '' ? path.basename(resolved) : inside ? relative : resolved;
  return shown.split(path.sep).join('/');
}

async function listMarkdown(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listMarkdown(full)));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(full);
  }
  return found;
}

/** The `.md` files at a path: the file itself, or every one below a folder, in a stable order. */
export async function findMarkdownFiles(contentPath: string): Promise<string[]> {
  let info;
  try {
    info = await stat(contentPath);
  } catch {
    throw new ContentPathError(contentPath, 'no such file or folder');
  }
  if (info.isFile()) return [path.resolve(contentPath)];
  if (!info.isDirectory()) throw new ContentPathError(contentPath, 'not a file or a folder');
  const files = await listMarkdown(path.resolve(contentPath));
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Bytes to text, refusing what is not text. Invalid UTF-8 is kept (as U+FFFD) and reported,
 * so one bad byte does not hide a file's links.
 */
export function decodeContent(bytes: Uint8Array, file: string): { text?: string; problems: Problem[] } {
  const problems: Problem[] = [];
  if (bytes.length > MAX_FILE_BYTES) return { problems: [tooBig(bytes.length, file)] };
  if (bytes.subarray(0, 8192).includes(0)) {
    return { problems: [problem('error', 'unreadable', 'file looks binary (it contains NUL bytes); skipped', { file, line: 1 })] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
    const bad = text.indexOf('\uFFFD');
    const line = text.slice(0, bad).split('\n').length;
    problems.push(problem('warning', 'encoding', 'file is not valid UTF-8; unreadable bytes are shown as �', { file, line }));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, problems };
}

/**
 * A content file as read from disk, before decoding: its bytes, or the problem that kept it out
 * (too big, unreadable). `stable`: the problem follows from the file's size alone, so the same
 * file gives it again (an I/O error may not).
 */
export type RawContentFile = { file: string; bytes: Uint8Array } | { file: string; problem: Problem; stable: boolean };

/** Every `.md` file at `contentPath`, read but not decoded: what a catalog snapshot's key is made of. */
export async function readContentBytes(contentPath: string, cwd = process.cwd()): Promise<RawContentFile[]> {
  const read: RawContentFile[] = [];
  for (const absolute of await findMarkdownFiles(contentPath)) {
    const file = displayPath(absolute, cwd);
    try {
      // Checked before reading, so a huge file never reaches memory.
      const { size } = await stat(absolute);
      if (size > MAX_FILE_BYTES) {
        read.push({ file, problem: tooBig(size, file), stable: true });
        continue;
      }
      read.push({ file, bytes: await readFile(absolute) });
    } catch (error) {
      const unreadable = problem('error', 'unreadable', `cannot read file: ${(error as Error).message}`, { file, line: 1 });
      read.push({ file, problem: unreadable, stable: false });
    }
  }
  return read;
}

/** Files read by `readContentBytes` as text, and the problems of those that are not text. */
export function decodeContentFiles(read: readonly RawContentFile[]): { files: ContentFile[]; problems: Problem[] } {
  const files: ContentFile[] = [];
  const problems: Problem[] = [];
  for (const raw of read) {
    if ('problem' in raw) {
      problems.push(raw.problem);
      continue;
    }
    const decoded = decodeContent(raw.bytes, raw.file);
    problems.push(...decoded.problems);
    if (decoded.text !== undefined) files.push({ file: raw.file, text: decoded.text });
  }
  return { files, problems };
}

export async function readContentFiles(contentPath: string, cwd = process.cwd()): Promise<{ files: ContentFile[]; problems: Problem[] }> {
  return decodeContentFiles(await readContentBytes(contentPath, cwd));
}
