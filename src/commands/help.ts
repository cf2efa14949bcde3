import type { Answer } from '../answers/answer.js';
import { defineCommand, usageOf } from './command.js';

export const help = defineCommand({
  name: 'help',
  description: 'What this bot does and how to ask it',
  options: [],
  run({ linkdex, commands }): Answer {
    const { catalog } = linkdex;
    return {
      kind: 'help',
      title: 'linkdex',
      about: 'A curated catalog of links. Search it, browse a category, or get a random link.',
      commands: commands.map((c) => ({ usage: usageOf(c), description: c.description })),
      entryCount: catalog.entries.length,
      categoryCount: catalog.categories.length,
      loadedAt: catalog.loadedAt,
    };
  },
});
