/**
 * The command line in-process, with a registry of its own: it runs a command as every transport
 * does, awaits its answer, and prints it as text or as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Answer } from '../src/answers/answer.js';
import { runCli } from '../src/cli/run-cli.js';
import { defineCommand, type AnyCommand } from '../src/commands/command.js';
import { commands } from '../src/commands/index.js';
import { repoRoot } from './helpers.js';

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
