/**
 * The command line in-process, with a registry of its own: it runs a command as every transport
 * does, awaits its answer, and prints it as text or as JSON.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answer } from '../src/answers/answer.js';
import { runCli } from '../src/cli/run-cli.js';
import { defineCommand, type AnyCommand, type CommandInput, type Listing } from '../src/commands/command.js';
import { commands } from '../src/commands/index.js';
import { ConsoleSession } from '../src/console/console-session.js';
import { Linkdex } from '../src/linkdex.js';
import { catalogOf, repoRoot } from './helpers.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'linkdex-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const content = path.join(repoRoot, 'test/fixtures/cli/clean.md');

async function cli(registry: readonly AnyCommand[], ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(['--content', content, ...argv], {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    cwd,
    now: () => new Date('2026-11-24T10:00:00Z'),
    commands: registry,
  });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** `random`, answered only after a wait, as a command that reads storage would. */
const lateRandom = defineCommand({
  name: 'random',
  description: 'answers after a wait',
  options: [],
  async run({ linkdex }): Promise<Answer> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const entry = linkdex.catalog.entries.find((e) => e.title === 'Jaeger');
    if (!entry) throw new Error('the fixture has Jaeger');
    return { kind: 'link', title: 'Picked late', entry };
  },
});

describe('the command line runs the commands of its registry', () => {
  it('awaits an answer that comes later, and prints it as text and as JSON', async () => {
    const registry = [lateRandom, ...commands.filter((c) => c.name !== 'random')];
    const text = await cli(registry, 'random');
    expect(text).toMatchObject({ status: 0, stderr: '' });
    expect(text.stdout.split('\n')).toEqual([
      'Picked late',
      '',
      'Jaeger  (jaegertracing.io)',
      'https://www.jaegertracing.io/',
      '',
      'Category: Tracing · Page: Clean fixture',
    ]);
    const json = await cli(registry, 'random', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ title: 'Jaeger', url: 'https://www.jaegertracing.io/', category: 'Tracing' });
  });
});

describe('--json is the same command, rendered as data', () => {
  it('runs the registry’s search with a listing of every result up to --limit, and prints its answer as JSON', async () => {
    const asked: { input: CommandInput; listing: Listing | undefined }[] = [];
    const search = defineCommand({
      name: 'search',
      description: 'a search that says what it was asked',
      options: [
        { name: 'query', description: 'words', type: 'string' },
        { name: 'category', description: 'a category', type: 'string' },
      ],
      run({ linkdex, listing }, input): Answer {
        asked.push({ input, listing });
        const hits = linkdex.catalog.entries.slice(0, 2);
        return {
          kind: 'links',
          title: 'Found',
          groups: [{ category: 'Any', entries: hits }],
          page: 1,
          pageCount: 1,
          total: 2,
          noun: 'result',
          subject: { kind: 'search', query: 'as searched', hits, suggestions: ['kafka'] },
        };
      },
    });
    const registry = [search, ...commands.filter((c) => c.name !== 'search')];
    const json = await cli(registry, 'search', 'anything', '--json', '-n', '7', '--category', 'Messaging');
    expect(json.status).toBe(0);
    const body = JSON.parse(json.stdout) as { query: string; hits: { title: string }[]; suggestions: string[] };
    expect([body.query, body.hits.map((h) => h.title), body.suggestions]).toEqual(['as searched', ['Apache Kafka', 'RabbitMQ'], ['kafka']]);
    const text = await cli(registry, 'search', 'anything');
    expect(text.stdout.split('\n')[0]).toBe('Found');
    expect(asked).toEqual([
      { input: { query: 'anything', category: 'Messaging' }, listing: { limit: 7, pageSize: Infinity } },
      { input: { query: 'anything' }, listing: {} },
    ]);
  });

  it('prints an unknown category as before: the empty search on stdout, one line on stderr, exit 2', async () => {
    const run = await cli(commands, 'search', 'kafka', '--json', '--category', 'distibuted');
    expect(run).toMatchObject({ status: 2, stderr: 'linkdex: no category matches "distibuted"' });
    expect(JSON.parse(run.stdout)).toEqual({ query: 'kafka', hits: [], suggestions: [] });
    const category = await cli(commands, 'category', 'zzqxv', '--json');
    expect(category).toEqual({ status: 2, stdout: '', stderr: 'linkdex: no category matches "zzqxv"' });
  });
});

/** `random` answering with a form to open, or with an acknowledgement whose follow-up comes later. */
function randomAnswering(answer: (linkdex: Linkdex) => Answer): AnyCommand[] {
  const random = defineCommand({ name: 'random', description: 'answers as told', options: [], run: ({ linkdex }) => answer(linkdex) });
  return [random, ...commands.filter((c) => c.name !== 'random')];
}

const form: Answer = {
  kind: 'modal',
  command: 'random',
  modal: 'suggest',
  target: '',
  title: 'Suggest a link',
  fields: [{ id: 'url', label: 'Address', style: 'short', required: true }],
};

function acknowledged(linkdex: Linkdex): Answer {
  const entry = linkdex.catalog.entries.find((e) => e.title === 'RabbitMQ');
  if (!entry) throw new Error('the fixture has RabbitMQ');
  const followUp = async (): Promise<Answer> => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { kind: 'link', title: 'Saved', entry };
  };
  return { kind: 'ack', ephemeral: true, followUp };
}

describe('forms and acknowledgements outside Discord', () => {
  it('the command line says a form opens only in Discord (exit 2), and prints an acknowledgement’s follow-up', async () => {
    expect(
      await cli(
        randomAnswering(() => form),
        'random',
      ),
    ).toEqual({
      status: 2,
      stdout: '',
      stderr: 'Only in Discord: This command opens a form in Discord.',
    });
    const json = await cli(
      randomAnswering(() => form),
      'random',
      '--json',
    );
    expect(json).toEqual({ status: 2, stdout: '', stderr: 'Only in Discord: This command opens a form in Discord.' });
    const later = await cli(randomAnswering(acknowledged), 'random');
    expect(later.status).toBe(0);
    expect(later.stdout.split('\n').slice(0, 3)).toEqual(['Saved', '', 'RabbitMQ  (rabbitmq.com)']);
    expect(JSON.parse((await cli(randomAnswering(acknowledged), 'random', '--json')).stdout)).toMatchObject({ title: 'RabbitMQ' });
  });

  it('the console does the same', async () => {
    const linkdex = new Linkdex(catalogOf(readFileSync(content, 'utf8'), 'clean.md'));
    const session = (registry: readonly AnyCommand[]) => new ConsoleSession(() => linkdex, registry);
    expect(await session(randomAnswering(() => form)).handle('/random')).toEqual({
      text: 'Only in Discord: This command opens a form in Discord.',
    });
    const later = await session(randomAnswering(acknowledged)).handle('/random');
    expect(later.text.split('\n').slice(0, 3)).toEqual(['Saved', '', 'RabbitMQ  (rabbitmq.com)']);
  });
});
