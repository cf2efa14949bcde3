import { watch, type FSWatcher } from 'node:fs';

export interface ContentWatcher {
  close(): void;
}

/**
 * Calls `onSettled` once changes under `path` have stopped for `settleMs`: an editor's save is
 * often several writes, and a `git pull` many files. Errors (the folder deleted) are reported,
 * never thrown.
 */
export function watchContent(path: string, onSettled: () => void, onError: (error: Error) => void, settleMs = 300): ContentWatcher {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onSettled, settleMs);
  };
  try {
    watcher = watch(path, { recursive: true, persistent: false }, changed);
    watcher.on('error', (error) => {
      onError(error);
      // A deleted folder ends the watch; what was loaded keeps being served, and the reload says why.
      changed();
    });
  } catch (error) {
    onError(error as Error);
  }
  return {
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
