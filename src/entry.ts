import { ContentPathError, findMarkdownFiles } from './catalog/read-files.js';
import { configForEntryPoint, SHIPPED_CONTENT_DIR, type Config } from './config.js';
import { parseEntryArgs, type EntryPoint } from './entry-args.js';

/**
 * What every npm entry point does first: its flags, then `.env` and the environment with the
 * flags on top. Gives the configuration, or the exit code when there is nothing to run: 0 after
 * `--help`, 2 after a refused flag or a bad variable (each printed on stderr).
 */
export function entryConfig<T extends Config = Config>(
  entry: EntryPoint,
  args: readonly string[],
  narrow?: (config: Config) => T,
): { config: T; flagFor: Partial<Record<string, string>> } | { exitCode: number } {
  const parsed = parseEntryArgs(entry, args);
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return { exitCode: 0 };
  }
  if (parsed.kind === 'refused') {
    process.stderr.write(`${parsed.message}\n`);
    return { exitCode: 2 };
  }
  const config = configForEntryPoint(narrow, parsed.overrides);
  return config ? { config, flagFor: parsed.flagFor } : { exitCode: 2 };
}

/**
 * Where the content path came from, for a message about it: the flag, the variable, or neither
 * (the shipped catalog).
 */
function contentSetting(config: Config, flagFor: Partial<Record<string, string>>): string {
  const flag = flagFor['CONTENT_DIR'];
  if (flag) return `check ${flag}`;
  if (config.contentDir !== SHIPPED_CONTENT_DIR) return 'check CONTENT_DIR';
  return 'the shipped content/ folder is missing: restore it, or set CONTENT_DIR';
}

/**
 * Exit code 2, the problem said on stderr naming the flag or variable to fix, when the content
 * path cannot be read: a start must stop there, before it connects anywhere. Undefined when it can.
 */
export async function unreadableContent(config: Config, flagFor: Partial<Record<string, string>>): Promise<number | undefined> {
  try {
    await findMarkdownFiles(config.contentDir);
    return undefined;
  } catch (error) {
    if (!(error instanceof ContentPathError)) throw error;
    process.stderr.write(`${error.message}; ${contentSetting(config, flagFor)}\n`);
    return 2;
  }
}
