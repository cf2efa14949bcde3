/**
 * The flags of the npm entry points (`npm start`, `start:http`, `start:sharded`, `deploy`). Each
 * flag is another way to set one variable, with the same meaning everywhere; an entry point that
 * has no use for a flag refuses it rather than ignoring it.
 */

export type EntryPoint = 'start' | 'start:http' | 'start:sharded' | 'deploy';

export type EntryArgs =
  /** `--help`: print `text` to stdout and exit 0. */
  | { kind: 'help'; text: string }
  /** Bad usage: print `message` (one line) to stderr and exit 2. */
  | { kind: 'refused'; message: string }
  /**
   * Run with `overrides` on top of the environment; `flagFor` names the flag that set a variable,
   * for messages about its value.
   */
  | { kind: 'run'; overrides: Record<string, string>; flagFor: Partial<Record<string, string>> };

const COMMAND: Record<EntryPoint, string> = {
  start: 'npm start',
  'start:http': 'npm run start:http',
  'start:sharded': 'npm run start:sharded',
  deploy: 'npm run deploy',
};

interface Flag {
  variable: string;
  /** The value the variable takes; a flag that takes an argument has it as `argument`. */
  value: (argument: string) => string;
  argument?: string;
  help: string;
}

const FLAGS: Record<string, Flag> = {
  '--content': { variable: 'CONTENT_DIR', value: (dir) => dir, argument: 'DIR', help: 'read the catalog from DIR (a folder or .md file)' },
  '--drafts': { variable: 'INCLUDE_DRAFTS', value: () => 'true', help: 'load draft: true pages too' },
  '--http': { variable: 'MODE', value: () => 'http', help: "serve Discord's interactions endpoint on PORT" },
};

/** Why an entry point refuses a flag it knows: it would be ignored there. */
const NOT_HERE: Record<EntryPoint, Partial<Record<string, string>>> = {
  start: {},
  'start:http': {},
  'start:sharded': { '--http': 'shards connect to the gateway; use `npm run start:http` for the HTTP endpoint' },
  deploy: {
    '--content': 'it registers the commands and reads no content',
    '--drafts': 'it registers the commands and reads no content',
    '--http': 'it registers the commands and serves nothing',
  },
};

const VARIABLES: Record<EntryPoint, string> = {
  start:
    'DISCORD_TOKEN (none: the local console), DISCORD_API_URL, MODE, PORT, DISCORD_PUBLIC_KEY, CONTENT_DIR, INCLUDE_DRAFTS,\n' +
    '  COOLDOWN_COMMANDS, COOLDOWN_SECONDS, DAILY_CHANNEL_ID, DAILY_TIME, STATE_DIR, METRICS_PORT, LOG_LEVEL',
  'start:http':
    'DISCORD_PUBLIC_KEY (required), PORT, DISCORD_TOKEN and DAILY_CHANNEL_ID (the daily post), DISCORD_API_URL,\n' +
    '  CONTENT_DIR, INCLUDE_DRAFTS, COOLDOWN_COMMANDS, COOLDOWN_SECONDS, DAILY_TIME, STATE_DIR, LOG_LEVEL',
  'start:sharded':
    'DISCORD_TOKEN (required), SHARD_COUNT, SHARD_SPAWN_DELAY_MS, METRICS_PORT (shard N on METRICS_PORT + N),\n' +
    '  DISCORD_API_URL, CONTENT_DIR, INCLUDE_DRAFTS, COOLDOWN_COMMANDS, COOLDOWN_SECONDS, DAILY_CHANNEL_ID, DAILY_TIME,\n' +
    '  STATE_DIR, LOG_LEVEL',
  deploy: 'DISCORD_TOKEN and DISCORD_CLIENT_ID (required), DISCORD_GUILD_ID, DISCORD_API_URL',
};

const WHAT: Record<EntryPoint, string> = {
  start: 'Runs the bot when DISCORD_TOKEN is set, otherwise the local console; the HTTP endpoint with MODE=http or --http.',
  'start:http': "Serves Discord's interactions endpoint (MODE=http): Discord POSTs each interaction to PORT.",
  'start:sharded': 'Runs the gateway bot in SHARD_COUNT processes, one per shard.',
  deploy: 'Registers the slash commands, to DISCORD_GUILD_ID (instant) or globally.',
};

function usage(entry: EntryPoint): string {
  const flags = Object.entries(FLAGS).filter(([name]) => !(name in NOT_HERE[entry]) && !(entry === 'start:http' && name === '--http'));
  const lines = [`Usage: ${COMMAND[entry]} -- [flags]`, '', WHAT[entry], '', 'Flags:'];
  for (const [name, flag] of flags) {
    const left = flag.argument ? `${name} ${flag.argument}` : name;
    lines.push(`  ${left.padEnd(15)} ${flag.help} (as ${flag.variable})`);
  }
  lines.push(`  ${'--help'.padEnd(15)} this text`);
  lines.push('', `Variables (from the environment or .env; see README.md, Configuration):`, `  ${VARIABLES[entry]}`);
  return `${lines.join('\n')}\n`;
}

/** Reads an entry point's arguments (`process.argv.slice(2)`): flags win over the environment. */
export function parseEntryArgs(entry: EntryPoint, args: readonly string[]): EntryArgs {
  const helpHint = `see \`${COMMAND[entry]} -- --help\``;
  const overrides: Record<string, string> = {};
  const flagFor: Partial<Record<string, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help', text: usage(entry) };
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    // Own keys only: `constructor` or `__proto__` typed as an argument must not find Object's properties.
    const flag = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
    if (!flag) {
      const what = arg.startsWith('-') ? `unknown flag ${arg}` : `unexpected argument ${JSON.stringify(arg)}`;
      return { kind: 'refused', message: `${COMMAND[entry]}: ${what}; ${helpHint}` };
    }
    const notHere = NOT_HERE[entry][name];
    if (notHere) return { kind: 'refused', message: `${COMMAND[entry]}: ${name} does not apply here: ${notHere}; ${helpHint}` };
    let argument = '';
    if (flag.argument) {
      argument = equals > 0 ? arg.slice(equals + 1) : (args[++i] ?? '');
      if (argument === '' || (equals < 0 && argument.startsWith('--')))
        return { kind: 'refused', message: `${COMMAND[entry]}: ${name} needs a value: ${name} ${flag.argument}; ${helpHint}` };
    } else if (equals > 0) {
      return { kind: 'refused', message: `${COMMAND[entry]}: ${name} takes no value; ${helpHint}` };
    }
    overrides[flag.variable] = flag.value(argument);
    flagFor[flag.variable] = name;
  }
  return { kind: 'run', overrides, flagFor };
}
