/**
 * A registry beside the real one with what no shipped command has yet: an action button, a form
 * and a message command, so every kind of interaction can be driven end to end.
 */
import type { AckAnswer, Answer, ModalAnswer } from '../src/answers/answer.js';
import { commands } from '../src/commands/index.js';
import { searchAnswer } from '../src/commands/search.js';
import { defineCommand, type AnyCommand, type MessageCommand } from '../src/commands/command.js';

const notice = (title: string, message: string): Answer => ({
  kind: 'notice',
  code: 'no-results',
  tone: 'info',
  title,
  message,
  suggestions: [],
});

/** `/suggest`: opens a form; its Approve button acts on a suggestion's id; the form's submission is answered. */
export const suggest = defineCommand({
  name: 'suggest',
  description: 'Suggest a link',
  options: [],
  run: () =>
    ({
      kind: 'modal',
      command: 'suggest',
      modal: 'edit',
      target: 's-42',
      title: 'Suggest a link',
      fields: [
        { id: 'url', label: 'Link', style: 'short', required: true, placeholder: 'https://…', maxLength: 200 },
        { id: 'why', label: 'Why is it good?', style: 'paragraph', required: false, value: 'Because' },
      ],
    }) satisfies ModalAnswer,
  actions: {
    approve: (ctx, target) => notice('Approved', `${ctx.caller.displayName} approved suggestion ${target}`),
    edit: () =>
      ({
        kind: 'modal',
        command: 'suggest',
        modal: 'edit',
        target: 's-7',
        title: 'Edit the suggestion',
        fields: [{ id: 'url', label: 'Link', style: 'short', required: true }],
      }) satisfies ModalAnswer,
    later: (_ctx, target) =>
      ({
        kind: 'ack',
        ephemeral: true,
        followUp: () => Promise.resolve(notice('Saved', `suggestion ${target} is written`)),
      }) satisfies AckAnswer,
    fail: () => {
      throw new Error('boom');
    },
  },
  modals: {
    edit: (_ctx, { target, fields }) => notice('Thanks', `suggestion ${target}: ${fields['url'] ?? '(none)'} — ${fields['why'] ?? ''}`),
  },
});

export const findLinks: MessageCommand = {
  name: 'Find links',
  run: (ctx, message) => searchAnswer(ctx.linkdex, message.content.slice(0, 100), undefined, 1),
};

export const testCommands: readonly AnyCommand[] = [...commands, suggest as unknown as AnyCommand];
export const testMessageCommands: readonly MessageCommand[] = [findLinks];
