import { plural, quote } from '../text.js';

/**
 * Every text a member can read, in one place: notices, titles, button labels, footers. A first
 * step toward translations: another language is another object of this shape, chosen by the
 * caller's locale. A text that takes values is a function of them. Texts only the operator reads
 * (log lines, the command line's usage errors, the console's own lines) stay where they are used.
 */
export const texts = {
  notices: {
    ambiguousCategory: {
      title: 'Ambiguous category',
      message: (name: string) => `${quote(name)} matches more than one category; type more of the name.`,
    },
    misspelledCategory: {
      title: 'Unknown category',
      message: (name: string) => `No category matches ${quote(name)}.`,
    },
    unknownCategory: {
      title: 'Unknown category',
      /** `list` is `categoryList`'s text below, or `noCategories`. */
      message: (name: string, list: string) => `No such category ${quote(name)}. ${list}`,
      noCategories: 'There are no categories yet.',
      categoryList: (names: string) => `The categories are: ${names}.`,
      /** The end of a list cut short. */
      andMore: (names: string, more: number) => `${names} and ${more} more (/category all lists them)`,
    },
    emptySearch: { title: 'Empty search', message: 'Type a word to search for, such as “kafka”.' },
    noResults: {
      title: 'No results',
      /** `scope` is `inCategory`'s text, or empty. */
      message: (query: string, scope: string) => `Nothing matches ${quote(query)}${scope}.`,
    },
    emptyCatalog: { title: 'No links yet', message: 'The catalog has no links yet.' },
    catalogUnavailable: {
      title: 'The links are not available',
      message: 'linkdex could not load its catalog, so it cannot answer for now. Whoever runs it can see why in its log. Try again later.',
    },
    catalogLoading: {
      title: 'Still loading',
      message: 'linkdex is still loading its catalog; this is taking longer than it should. Try again in a minute.',
    },
    cooldown: { title: 'Slow down', message: (seconds: number) => `Try again in ${seconds} s.` },
    staleButton: {
      title: 'This button no longer works',
      message: 'It comes from an older message or version of the bot. Run the command again for a fresh answer.',
    },
    unknownCommand: { title: 'Unknown command', message: (name: string) => `/${name} is not a command of this bot any more.` },
    handlerFailed: { title: 'Something went wrong', message: 'Something went wrong while answering. Please try again in a moment.' },
    needsDiscord: { title: 'Only in Discord', message: 'This command opens a form in Discord.' },
    guildOnly: {
      title: 'Only in a server',
      message: (command: string) => `/${command} changes a server's settings: run it in that server.`,
    },
    storageUnavailable: {
      title: 'Settings not available',
      message: 'The bot cannot reach its database right now, so nothing was saved. Try again in a minute.',
    },
    badTime: {
      title: 'Bad time',
      message: (typed: string) => `${quote(typed)} is not a time of day. Use 24-hour HH:MM, such as 09:00 or 18:30.`,
    },
    unknownTimeZone: {
      title: 'Unknown time zone',
      message: (typed: string) =>
        `No time zone is called ${quote(typed)}. Pick one from the list, such as Europe/Berlin or America/New_York.`,
    },
    channelNotPostable: {
      title: 'Cannot post there',
      message: (channel: string) => `${channel} is not a text or announcement channel: pick one the link of the day can be posted in.`,
    },
    channelOtherServer: {
      title: 'Not this server’s channel',
      message: (channel: string) => `${channel} is not a channel of this server: pick one of this server's text or announcement channels.`,
    },
    unknownChannel: {
      title: 'Unknown channel',
      message: (channel: string) => `${channel} does not exist any more, or the bot cannot see it: pick another channel.`,
    },
    cooldownBounds: {
      title: 'Out of range',
      message: (name: string, min: number, max: number) => `${name} must be a whole number from ${min} to ${max}.`,
    },
    didYouMean: 'Did you mean:',
  },
  settings: {
    title: 'Settings of this server',
    savedTitle: 'Settings saved',
    dailyOffTitle: 'Link of the day off',
    /** `channel` as the transport shows a channel (`<#id>` on Discord). */
    daily: (channel: string, time: string, timezone: string, category: string | undefined) =>
      `Link of the day: ${channel} at ${time} (${timezone})${category === undefined ? '' : `, from ${quote(category)}`}.`,
    dailyDefault: (channel: string, time: string) => `Link of the day: ${channel} at ${time} (UTC), the bot's default.`,
    dailyNone: 'Link of the day: off.',
    dailyOff: 'This server will get no link of the day.',
    dailyOffDefault: (channel: string, time: string) =>
      `This server's own link of the day is off; it follows the bot's default again: ${channel} at ${time} (UTC).`,
    cooldown: (commands: number, seconds: number) =>
      commands === 0 ? 'Cooldown: off.' : `Cooldown: ${plural(commands, 'command')} per member every ${plural(seconds, 'second')}.`,
    cooldownDefault: (commands: number, seconds: number) =>
      commands === 0
        ? "Cooldown: off, the bot's default."
        : `Cooldown: ${plural(commands, 'command')} per member every ${plural(seconds, 'second')}, the bot's default.`,
    /** What the bot lacks in the daily channel, said on save. */
    missing: (channel: string, permissions: readonly string[]) =>
      `The bot cannot post there yet: it lacks ${permissions.join(', ')} in ${channel}. Give it ${permissions.length === 1 ? 'that permission' : 'those permissions'} there, or it will try and fail each day.`,
  },
  choices: {
    /** Autocomplete's one suggestion while the catalog loads. */
    loading: 'Loading the catalog… pick this to get your answer as soon as it is ready',
    /** Autocomplete's one suggestion when the catalog could not be loaded. */
    unavailable: 'The catalog could not be loaded; try again later',
  },
  titles: {
    /** ` in Rust`: where a search or a pick was made, or nothing. */
    inCategory: (name: string | undefined) => (name === undefined ? '' : ` in ${name}`),
    search: (query: string, scope: string) => `Search: ${quote(query)}${scope}`,
    random: (scope: string) => `🎲 Random link${scope}`,
    daily: (scope: string, day: string) => `📅 Link of the day${scope} · ${day}`,
    categories: 'Categories',
    categoriesIn: (page: string) => `Categories in ${page}`,
    /** A category's subtitle: the pages it comes from and how many links it has. */
    categoryFrom: (pages: readonly string[], links: number) => `From ${pages.join(', ')} · ${plural(links, 'link')}`,
  },
  help: {
    title: 'linkdex',
    about: 'A curated catalog of links. Search it, browse a category, or get a random link.',
    catalogField: 'Catalog',
    /** `loaded` is when, as the transport shows a time. */
    catalogSize: (links: number, categories: number, loaded: string) =>
      `${plural(links, 'link')} in ${plural(categories, 'category', 'categories')}, loaded ${loaded}`,
  },
  /** What a count counts (`plural` adds the s). */
  nouns: { result: 'result', link: 'link', category: 'category', categories: 'categories' },
  message: {
    /** A list's footer: how many, and which page when there are several. */
    footer: (count: string, page: number, pageCount: number) => (pageCount > 1 ? `${count} · page ${page}/${pageCount}` : count),
    categoriesHint: '/category name:<name> shows one',
    noCategories: 'No categories.',
    categoryField: 'Category',
    pageField: 'Page',
    siteField: 'Site',
  },
  buttons: { first: '⏮ First', previous: '◀ Previous', next: 'Next ▶', last: 'Last ⏭', another: '🎲 Another' },
} as const;
