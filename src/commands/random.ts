import type { Answer } from '../answers/answer.js';
import { categoryChoices } from '../answers/choices.js';
import { emptyCatalog, unknownCategory } from '../answers/notices.js';
import { texts } from '../answers/texts.js';
import { defineCommand, stringOption } from './command.js';
import { utcDayString } from '../pick/daily.js';

export const random = defineCommand({
  name: 'random',
  description: 'A random link, or the link of the day',
  options: [
    { name: 'category', description: 'Pick from this category only', type: 'string', autocomplete: true },
    { name: 'today', description: 'The link of the day: the same for everyone until midnight UTC', type: 'boolean' },
  ],
  run({ linkdex, now }, input): Answer {
    const category = stringOption(input.category);
    const today = input.today === true;
    const scope = category ? { category } : {};
    const picked = today ? linkdex.daily(now, scope) : linkdex.random(scope);
    if (!picked.ok) return unknownCategory(picked.unknownCategory, picked, linkdex.catalog.categories);
    if (!picked.value) return emptyCatalog();
    const where = texts.titles.inCategory(picked.category?.name);
    const title = today ? texts.titles.daily(where, utcDayString(now)) : texts.titles.random(where);
    return today ? { kind: 'link', title, entry: picked.value } : { kind: 'link', title, entry: picked.value, another: true };
  },
  autocomplete({ linkdex }, focused) {
    return categoryChoices(linkdex, focused.value);
  },
});
