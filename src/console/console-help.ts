import type { HelpAnswer } from '../answers/answer.js';
import { plural } from '../text.js';

/** How long ago, as a person says it: "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

/** `2026-11-24 09:58 UTC`: the loading time a reader can compare with a clock, without the seconds. */
function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What only the console has, beside the bot's commands. */
const CONSOLE_KEYS: [string, string][] = [
  ['kafka', 'plain words search, as /search kafka does'],
  ['n, p', 'the next and the previous page of the last answer'],
  ['/clear', 'clear the screen (or clear)'],
  ['/quit', 'leave (or exit, quit, Ctrl-D); Ctrl-C clears the line'],
];

/**
 * The bot's /help for the console: its commands, then the console's own keys, and when the
 * catalog was loaded in words (the bot shows Discord's relative timestamp; a raw ISO time is not read).
 */
export function renderConsoleHelp(answer: HelpAnswer, now: Date): string {
  const rows: [string, string][] = [...answer.commands.map((c): [string, string] => [c.usage, c.description]), ...CONSOLE_KEYS];
  const width = Math.max(...rows.map(([usage]) => usage.length));
  const line = ([usage, description]: [string, string]) => `  ${usage.padEnd(width)}  ${description}`;
  const size = `${plural(answer.entryCount, 'link')} in ${plural(answer.categoryCount, 'category', 'categories')}`;
  return [
    `${answer.title} — ${answer.about}`,
    '',
    ...answer.commands.map((c) => line([c.usage, c.description])),
    '',
    'In this console:',
    ...CONSOLE_KEYS.map(line),
    '  Tab completes commands and category names; the arrow keys recall earlier lines.',
    '',
    `${size}, loaded ${timeAgo(answer.loadedAt, now)} (${utcMinute(answer.loadedAt)}).`,
  ].join('\n');
}
