/**
 * `npm run demo`: the real bot, started as `npm start` starts it, against the fake Discord on
 * 127.0.0.1, asked what a member would ask; its answers are shown as the member sees them.
 * Offline, without a token; it stops the bot and the fake and exits 0 when done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { APIInteraction, APIInteractionResponse } from 'discord.js';
import { FAKE_TOKEN, FakeDiscord } from '../fake-discord/fake-discord.js';
import { autocompleteInteraction, buttonInteraction, commandInteraction, MEMBER_USER } from '../fake-discord/interactions.js';
import { messageLines, plain, type MessageLike, type Style } from './message-text.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** linkdex's variables, set empty so a developer's `.env` cannot point the demo elsewhere (dotenv never overrides). */
const LINKDEX_VARIABLES = [
  'DISCORD_CLIENT_ID',
  'DISCORD_GUILD_ID',
  'DISCORD_PUBLIC_KEY',
  'CONTENT_DIR',
  'INCLUDE_DRAFTS',
  'MODE',
  'PORT',
  'HOST',
  'METRICS_PORT',
  'DAILY_CHANNEL_ID',
  'DAILY_TIME',
  'STATE_DIR',
  'COOLDOWN_COMMANDS',
  'COOLDOWN_SECONDS',
];

const member = MEMBER_USER.global_name ?? MEMBER_USER.username;
const style: Style = { color: process.stdout.isTTY === true && !process.env['NO_COLOR'] };
const say = (line = '') => process.stdout.write(`${line}\n`);
const dim = (text: string) => (style.color ? `\x1b[2m${text}\x1b[0m` : text);

function heading(text: string): void {
  say();
  say(style.color ? `\x1b[1m── ${text}\x1b[0m` : `── ${text}`);
}

function startBot(apiUrl: string): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const name of LINKDEX_VARIABLES) env[name] = '';
  // discord.js reads these itself and fails on an empty SHARDS: one unsharded bot has neither.
  delete env['SHARDS'];
  delete env['SHARD_COUNT'];
  Object.assign(env, { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: apiUrl, LOG_LEVEL: 'info' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  return { child, output: () => output };
}

/**
 * The bot's log lines that say it is ready, once both are there: the gateway (`ready as`) and the
 * catalog, which loads beside the connection (`serving N links`).
 */
function readyLine(output: string): string | undefined {
  let ready: string | undefined;
  let serving: string | undefined;
  for (const line of output.split('\n')) {
    try {
      const parsed = JSON.parse(line) as { msg?: unknown };
      if (typeof parsed.msg === 'string' && parsed.msg.startsWith('ready as')) ready = parsed.msg;
      if (typeof parsed.msg === 'string' && parsed.msg.startsWith('serving ')) serving = parsed.msg;
    } catch {
      // not a log line
    }
  }
  return ready && serving ? `${ready}; ${serving}` : undefined;
}

async function waitForReady(bot: { child: ChildProcess; output: () => string }): Promise<string> {
  const started = Date.now();
  for (;;) {
    const ready = readyLine(bot.output());
    if (ready) return ready;
    if (bot.child.exitCode !== null) throw new Error(`the bot exited with ${bot.child.exitCode} before it was ready:\n${bot.output()}`);
    if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`the bot was not ready within 30 s:\n${bot.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The message a member sees for an interaction: the callback's, or the edit that follows a deferral. */
async function ask(fake: FakeDiscord, payload: APIInteraction): Promise<APIInteractionResponse> {
  const reply = await fake.dispatchInteraction(payload);
  if (reply.body.type === 5 || reply.body.type === 6) {
    const edit = await fake.waitForWebhook(payload.token);
    return { type: 4, data: edit.body as MessageLike } as APIInteractionResponse;
  }
  return reply.body;
}

function messageOf(reply: APIInteractionResponse): MessageLike {
  return 'data' in reply && reply.data ? (reply.data as MessageLike) : {};
}

function show(reply: APIInteractionResponse): MessageLike {
  const message = messageOf(reply);
  for (const line of messageLines(message, style)) say(`  ${line}`);
  return message;
}

function buttonId(message: MessageLike, label: string): string {
  const rows = (message.components ?? []) as { components?: { label?: string; custom_id?: string }[] }[];
  const button = rows.flatMap((r) => r.components ?? []).find((b) => b.label === label);
  if (!button?.custom_id) throw new Error(`the message has no ${label} button`);
  return button.custom_id;
}

async function tour(fake: FakeDiscord): Promise<void> {
  heading('1. A search, with autocomplete');
  say(`${member} types /search query:kube — Discord asks the bot for suggestions as she types:`);
  const suggestions = await ask(fake, autocompleteInteraction('search', { query: 'kube' }, 'query'));
  const choices = 'data' in suggestions && suggestions.data && 'choices' in suggestions.data ? (suggestions.data.choices ?? []) : [];
  for (const choice of choices) say(`    ${plain(choice.name)}`);
  const picked = choices[0];
  if (!picked) throw new Error('autocomplete offered nothing for “kube”');
  say(`${member} picks “${plain(picked.name)}” and sends the command; the bot answers with exactly that link:`);
  show(await ask(fake, commandInteraction('search', { query: String(picked.value) })));
  say(`${member} sends /search query:kafka instead:`);
  show(await ask(fake, commandInteraction('search', { query: 'kafka' })));

  heading('2. A category page, with its buttons');
  say(`${member} sends /category name:devops (a word of the name is enough):`);
  const page = show(await ask(fake, commandInteraction('category', { name: 'devops' })));
  say(dim('  (First and Previous are greyed out, in parentheses: this is the first page)'));
  say(`${member} presses [Next ▶]; the bot edits the same message to page 2:`);
  show(await ask(fake, buttonInteraction(buttonId(page, 'Next ▶'), {}, { command: 'category' })));

  heading('3. A random link');
  say(`${member} sends /random:`);
  const random = show(await ask(fake, commandInteraction('random', {})));
  say(`${member} presses [🎲 Another]:`);
  show(await ask(fake, buttonInteraction(buttonId(random, '🎲 Another'), {}, { command: 'random' })));

  heading('4. The link of the day');
  say(`${member} sends /random today:true (the same link for everyone until midnight UTC):`);
  show(await ask(fake, commandInteraction('random', { today: true })));
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

async function main(): Promise<number> {
  say('linkdex demo: the real bot against a fake Discord on this machine; no token, no network.');
  const fake = new FakeDiscord();
  await fake.start();
  say(dim(`Fake Discord at ${fake.apiUrl}; starting the bot as npm start does, with DISCORD_API_URL pointing there…`));
  const bot = startBot(fake.apiUrl);
  const interrupted = () => {
    bot.child.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    say(dim(`The bot logged: ${await waitForReady(bot)}`));
    await tour(fake);
    const code = await stop(bot.child);
    say();
    say(
      `Done: the bot stopped (exit ${code}). With a real token, npm start does the same on Discord (README.md, "Running it on Discord").`,
    );
    return code === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`demo failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', interrupted);
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await fake.stop();
  }
}

process.exitCode = await main();
