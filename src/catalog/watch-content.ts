import { statSync, watch, type FSWatcher } from 'node:fs';

export interface ContentWatcher {
  close(): void;
}

export interface WatchOptions {
  /** Quiet time after the last change before `onSettled` (an editor's save is often several writes). */
  settleMs?: number;
  /** During a long burst of changes, `onSettled` still runs at least this often. */
  maxWaitMs?: number;
  /** How often the watched path is checked for having been deleted, re-created or swapped. */
  checkMs?: number;
}

const DEFAULTS: Required<WatchOptions> = { settleMs: 300, maxWaitMs: 2000, checkMs: 1000 };

/** The identity of what is at `path` now (device and inode), or undefined when nothing is. */
function identity(path: string): string | undefined {
  try {
    const info = statSync(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onSettled` once changes under `path` have stopped for `settleMs`, and at least every
 * `maxWaitMs` while they go on (a `git pull` of many files, a generator rewriting a file).
 *
 * A watch follows an inode, not a name: when the folder is deleted and re-created, or another
 * folder renamed over it (an atomic deploy), or an editor replaces a watched file, the watch
 * would go on watching what is gone. So the path is checked every `checkMs`: when what is there
 * changes, the watch is re-armed on it and a reload is due. Errors (the folder deleted) are
 * reported, never thrown.
 */
export function watchContent(
  path: string,
  onSettled: () => void,
  onError: (error: Error) => void,
  options: number | WatchOptions = {},
): ContentWatcher {
  const { settleMs, maxWaitMs, checkMs } = { ...DEFAULTS, ...(typeof options === 'number' ? { settleMs: options } : options) };
  let timer: NodeJS.Timeout | undefined;
  let burstStarted: number | undefined;
  let watcher: FSWatcher | undefined;
  let watched: string | undefined;
  let closed = false;

  const fire = () => {
    timer = undefined;
    burstStarted = undefined;
    if (!closed) onSettled();
  };
  const changed = () => {
    const now = Date.now();
    burstStarted ??= now;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(settleMs, burstStarted + maxWaitMs - now)));
  };
  const disarm = () => {
    watcher?.close();
    watcher = undefined;
    watched = undefined;
  };
  const arm = (): void => {
    disarm();
    const now = identity(path);
    if (now === undefined) return;
    try {
      watcher = watch(path, { recursive: true, persistent: false }, changed);
      watched = now;
      watcher.on('error', (error) => {
        onError(error);
        // A deleted folder ends the watch; what was loaded keeps being served, and the reload says why.
        disarm();
        changed();
      });
    } catch (error) {
      onError(error as Error);
      disarm();
    }
  };

  arm();
  if (watched === undefined) onError(new Error(`cannot watch ${path}: no such file or folder`));
  const check = setInterval(() => {
    const now = identity(path);
    if (now === watched) return;
    if (now === undefined) {
      if (watcher) onError(new Error(`${path} is gone; watching for it to come back`));
      disarm();
    } else {
      arm();
    }
    changed();
  }, checkMs);
  check.unref();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(check);
      disarm();
    },
  };
}
