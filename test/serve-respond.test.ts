/** respond() over the neutral Transport: what any transport is asked to do, in order, for each kind of answer. */
import { describe, expect, it } from 'vitest';
import type { Answer } from '../src/answers/answer.js';
import { defineCommand, OPERATOR, type AnyCommand } from '../src/commands/command.js';
import { silentLogger } from '../src/logger.js';
import type { Reply } from '../src/serve/answer-interaction.js';
import { InFlight } from '../src/serve/in-flight.js';
import type { Interaction } from '../src/serve/interaction.js';
import { withDefaults } from '../src/serve/options.js';
import { respond, type Transport } from '../src/serve/respond.js';
import { seedLinkdex } from './helpers.js';

const linkdex = seedLinkdex();
const notice = (title: string): Answer => ({ kind: 'notice', code: 'no-results', tone: 'info', title, message: title, suggestions: [] });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const slow = defineCommand({
  name: 'slow',
  description: 'Answers late',
  options: [],
  run: async () => (await wait(250), notice('late')),
});
const form = defineCommand({
  name: 'form',
  description: 'Opens a form, late',
  options: [],
  run: async () => (await wait(250), { kind: 'modal', command: 'form', modal: 'f', target: '', title: 'F', fields: [] }),
});
const ack = defineCommand({
  name: 'ack',
  description: 'Acknowledges, then follows up',
  options: [],
  run: () => ({ kind: 'ack', ephemeral: false, followUp: async () => (await wait(10), notice('done')) }),
});
const never = defineCommand({
  name: 'never',
  description: 'Acknowledges and never follows up',
  options: [],
  run: () => ({ kind: 'ack', ephemeral: true, followUp: () => new Promise<Answer>(() => undefined) }),
});
const commands = [slow, form, ack, never] as unknown as AnyCommand[];

function slash(command: string): Interaction {
  return { id: command, kind: 'slash', command, input: {}, ...OPERATOR };
}

async function steps(command: string): Promise<string[]> {
  const done: string[] = [];
  const title = (reply: Reply) => (reply.kind === 'answer' && reply.answer.kind === 'notice' ? reply.answer.title : reply.kind);
  const transport: Transport = {
    reply: async (reply) => void done.push(`reply ${title(reply)}`),
    defer: async (options) => void done.push(`defer${options?.ephemeral ? ' privately' : ''}`),
    edit: async (reply) => void done.push(`edit ${title(reply)}`),
  };
  const options = withDefaults({
    linkdex: () => linkdex,
    commands,
    logger: silentLogger(),
    deferAfterMs: 100,
    deferAtOnceAfterMs: 1000,
    giveUpAfterMs: 600,
  });
  await respond(slash(command), transport, options);
  return done;
}

describe('respond over any transport', () => {
  it('defers a slow answer and edits it in', async () => {
    expect(await steps('slow')).toEqual(['defer', 'edit late']);
  });

  it('answers a form that comes after the deferral with "something went wrong": a form opens only as the first reply', async () => {
    expect(await steps('form')).toEqual(['defer', 'edit Something went wrong']);
  });

  it('turns an acknowledgement into a deferral (private if asked) and edits its follow-up in, or gives up on it', async () => {
    expect(await steps('ack')).toEqual(['defer', 'edit done']);
    expect(await steps('never')).toEqual(['defer privately', 'edit Something went wrong']);
  });
});

describe('InFlight', () => {
  it('drains what is in flight, and says how many are still pending at the end of the grace', async () => {
    const inFlight = new InFlight();
    void inFlight.track(wait(10).then(() => undefined));
    void inFlight.track(new Promise<void>(() => undefined));
    expect(inFlight.size).toBe(2);
    expect(await inFlight.drain(50)).toBe(1);
    expect(inFlight.size).toBe(1);
  });
});
