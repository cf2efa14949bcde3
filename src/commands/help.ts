import type { Answer } from '../answers/answer.js';
import { texts } from '../answers/texts.js';
import { defineCommand, usageOf } from './command.js';

export const help = defineCommand({
  name: 'help',
  description: 'What this bot does and how to ask it',
  options: [],
  run({ linkdex, commands }): Answer {
    const { catalog } = linkdex;
    return {
      kind: 'help',
      title: texts.help.title,
      about: texts.help.about,
      commands: commands.map((c) => ({ usage: usageOf(c), description: c.description })),
      entryCount: catalog.entries.length,
      categoryCount: catalog.categories.length,
      loadedAt: catalog.loadedAt,
    };
  },
});
