import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** How the temporary files end: a folder's cleaner can tell one left by a writer that died. */
const TEMP_SUFFIX = '.tmp';

export interface AtomicWriteOptions {
  /**
   * Flush the file to the disk before it replaces the old one, and the folder after: without it, a
   * power cut soon after the write can leave an empty file in its place. Costs a few milliseconds;
   * a cache whose reader checks what it reads, and rebuilds what it lacks, can do without. Default true.
   */
  durable?: boolean;
}

/** Whether `name` (a file name) is one of the temporary files `writeFileAtomically` writes and renames. */
export function isTemporaryFile(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX);
}

/**
 * Replaces `file` with `data` whole: a reader (or a crash) sees the old content or the new one,
 * never a part. The data goes to a temporary file of its own in the same folder (a rename is
 * atomic only within one file system), which is then renamed over `file`; when anything fails,
 * the temporary file is removed and the error thrown. The folder must exist.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const durable = options.durable ?? true;
  // Unique per write: two writers of the same file (two processes, or two calls) never share one.
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(data);
    if (durable) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  if (durable) await syncFolder(path.dirname(file));
}

/** Makes the rename itself survive a power cut. Some systems cannot open a folder for this: the file is written all the same. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows, and some network file systems, refuse: the write itself succeeded.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
