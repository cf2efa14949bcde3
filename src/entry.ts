import { configForEntryPoint, type Config } from './config.js';
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
