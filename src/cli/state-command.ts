/**
 * `linkdex state export [--out FILE]` and `linkdex state import FILE`: everything the bot keeps
 * (each server's settings, the days already posted) as JSON, for backups and for moving from the
 * SQLite file to PostgreSQL. The storage is the one the bot would open: DATABASE_URL, else the
 * SQLite file under STATE_DIR.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../atomic-file.js';
import type { Config } from '../config.js';
import { displayPath } from '../catalog/read-files.js';
import { openStorage } from '../storage/open-storage.js';
import { parseStateDump } from '../storage/settings-codec.js';
import { StorageUnavailable, type StateDump, type Storage } from '../storage/storage.js';
import { plural } from '../text.js';
import { UsageError, type Values } from './parse-args.js';

export const STATE_USAGE = 'state needs export or import: linkdex state export [--out FILE], linkdex state import FILE';

interface StateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

/** A problem with the file or the database, said in one line: exit 2 (the request could not be done). */
class StateError extends Error {}

function counted(result: { settings: number; dailyPosted: number }): string {
  return `${plural(result.settings, "server's settings", "servers' settings")} and ${plural(result.dailyPosted, 'posted day')}`;
}

async function withStorage<T>(config: Config, use: (storage: Storage) => Promise<T>): Promise<T> {
  let storage: Storage;
  try {
    storage = await openStorage({ databaseUrl: config.databaseUrl?.reveal(), stateDir: config.stateDir });
  } catch (error) {
    if (error instanceof StorageUnavailable || (error instanceof Error && error.name === 'MigrationRefused'))
      throw new StateError(error.message);
    throw error;
  }
  try {
    return await use(storage);
  } catch (error) {
    if (error instanceof StorageUnavailable) throw new StateError(error.message);
    throw error;
  } finally {
    await storage.close();
  }
}

/** Reads and checks a state export, naming what is wrong with it. */
async function readDump(file: string, shown: string): Promise<StateDump> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StateError(code === 'ENOENT' ? `${shown} does not exist` : `cannot read ${shown}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateError(`${shown} is not JSON (${(error as Error).message}): it must be what linkdex state export wrote`);
  }
  const parsed = parseStateDump(value);
  if ('problems' in parsed) throw new StateError(`${shown} is not a linkdex state export: ${parsed.problems.join('; ')}`);
  return parsed.dump;
}

export async function stateCommand(args: string[], values: Values, config: Config, io: StateIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'export' && action !== 'import')
    throw new UsageError(action === undefined ? STATE_USAGE : `unknown state command ${JSON.stringify(action)}; ${STATE_USAGE}`);
  try {
    if (action === 'export') {
      if (rest.length > 0)
        throw new UsageError(`state export takes no words; write to a file with --out ${JSON.stringify(rest.join(' '))}`);
      const { dump, where } = await withStorage(config, async (storage) => ({
        dump: await storage.exportState(),
        where: storage.description,
      }));
      const text = `${JSON.stringify(dump, null, 2)}\n`;
      const summary = counted({ settings: dump.settings.length, dailyPosted: dump.dailyPosted.length });
      if (values.out === undefined) {
        io.stdout(text.trimEnd());
        io.stderr(`Exported ${summary} from the ${where}.`);
      } else {
        const file = path.resolve(io.cwd, values.out);
        try {
          await writeFileAtomically(file, text);
        } catch (error) {
          throw new StateError(`cannot write ${displayPath(file, io.cwd)}: ${(error as Error).message}; check --out`);
        }
        io.stderr(`Exported ${summary} from the ${where} to ${displayPath(file, io.cwd)}.`);
      }
      return 0;
    }
    if (values.out !== undefined) throw new UsageError('--out applies to state export only');
    if (rest.length !== 1) throw new UsageError('state import needs one file: linkdex state import FILE');
    const file = path.resolve(io.cwd, rest[0] ?? '');
    const dump = await readDump(file, displayPath(file, io.cwd));
    const { imported, where } = await withStorage(config, async (storage) => ({
      imported: await storage.importState(dump),
      where: storage.description,
    }));
    io.stderr(`Imported ${counted(imported)} into the ${where}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    io.stderr(`linkdex: ${error.message}`);
    return 2;
  }
}
