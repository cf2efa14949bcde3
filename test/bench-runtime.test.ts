import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { misspeltTitles } from '../bench/bench-catalogs.js';
import { parentPidOf, processTree, treeMemory } from '../bench/proc-memory.js';
import type { Latency } from '../bench/bots.js';
import { tableRows, type CatalogRun } from '../bench/runtime.js';
import { checkRow, formatTable, type Row } from '../bench/targets-table.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A folder shaped like /proc: `<pid>/stat` naming the parent, `<pid>/smaps_rollup` with Rss and Pss in kB. */
function fakeProc(processes: { pid: number; ppid: number; name?: string; rssKB?: number; pssKB?: number }[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'linkdex-fake-proc-'));
  roots.push(root);
  for (const p of processes) {
    mkdirSync(path.join(root, String(p.pid)));
    writeFileSync(path.join(root, String(p.pid), 'stat'), `${p.pid} (${p.name ?? 'node'}) S ${p.ppid} ${p.pid} ${p.pid} 0 -1 4194560\n`);
    if (p.rssKB !== undefined && p.pssKB !== undefined) {
      writeFileSync(
        path.join(root, String(p.pid), 'smaps_rollup'),
        `55a35ed45000-7ffc00664000 ---p 00000000 00:00 0 [rollup]\nRss:  ${p.rssKB} kB\nPss:  ${p.pssKB} kB\nPss_Anon:  1 kB\n`,
      );
    }
  }
  mkdirSync(path.join(root, 'self'));
  writeFileSync(path.join(root, 'meminfo'), 'MemTotal: 1 kB\n');
  return root;
}

describe('memory of a process tree (bench/proc-memory.ts)', () => {
  it('reads the parent pid after the command name, even one with spaces and parentheses', () => {
    expect(parentPidOf('4242 (node (worker) x) S 17 4242 4242 0 -1')).toBe(17);
    expect(parentPidOf('garbage')).toBeNull();
  });

  it('sums PSS and RSS over the process and all its descendants, and nothing else', () => {
    const proc = fakeProc([
      { pid: 1, ppid: 0, rssKB: 5000, pssKB: 5000 },
      { pid: 100, ppid: 1, name: 'npm start', rssKB: 60_000, pssKB: 50_000 },
      { pid: 200, ppid: 100, rssKB: 100_000, pssKB: 80_000 },
      { pid: 300, ppid: 200, name: 'sh -c x', rssKB: 2_000, pssKB: 1_000 },
      { pid: 400, ppid: 300, rssKB: 30_000, pssKB: 19_000 },
      { pid: 500, ppid: 1, rssKB: 999_000, pssKB: 999_000 },
    ]);
    expect(processTree(proc, 200)).toEqual([200, 300, 400]);
    const memory = treeMemory(proc, 200);
    expect(memory.pids).toEqual([200, 300, 400]);
    expect(memory.pssMB).toBeCloseTo((100_000 * 1024) / 1e6, 6);
    expect(memory.rssMB).toBeCloseTo((132_000 * 1024) / 1e6, 6);
  });

  it('passes over a descendant that exited between listing and reading, but not the process itself', () => {
    const proc = fakeProc([
      { pid: 10, ppid: 1, rssKB: 1000, pssKB: 900 },
      { pid: 11, ppid: 10 },
    ]);
    expect(treeMemory(proc, 10).pids).toEqual([10]);
    expect(() => treeMemory(proc, 11)).toThrow(/11\/smaps_rollup/);
  });
});

describe("issue 14's table (bench/targets-table.ts)", () => {
  const rows: Row[] = [
    { catalog: 'shipped seed', figure: 'memory (PSS)', unit: 'MB', bare: 80, linkdex: 96, target: { kind: 'ratio', max: 1.1 } },
    {
      catalog: 'shipped seed',
      figure: 'autocomplete p50',
      unit: 'ms',
      bare: 0.5,
      linkdex: 0.55,
      target: { kind: 'ratio', max: 1.2, note: 'keep' },
    },
    {
      catalog: '7k',
      figure: 'autocomplete p99',
      unit: 'ms',
      bare: 3.7,
      linkdex: 4.5,
      target: { kind: 'absolute', max: 5 },
      note: 'through tsx',
    },
    {
      catalog: '100k',
      figure: 'start → gateway ready',
      unit: 's',
      bare: null,
      linkdex: 3.25,
      target: { kind: 'absolute', max: 3 },
      note: 'through tsx',
    },
    { catalog: '100k', figure: 'memory (PSS)', unit: 'MB', bare: null, linkdex: Number.NaN, target: null },
  ];

  it('computes the ratio to the bare bot and whether each target is met', () => {
    const checked = rows.map(checkRow);
    expect(checked.map((r) => r.ratio)).toEqual([1.2, expect.closeTo(1.1, 9), expect.closeTo(4.5 / 3.7, 9), null, null]);
    expect(checked.map((r) => r.met)).toEqual([false, true, true, false, null]);
  });

  it('prints one markdown row a figure, with units, ratio, target, met? and numbered notes', () => {
    expect(formatTable(rows.map(checkRow)).split('\n')).toEqual([
      '| catalog      | figure                    | bare bot | linkdex | ratio | target        | met? |',
      '|--------------|---------------------------|----------|---------|-------|---------------|------|',
      '| shipped seed | memory (PSS)              | 80 MB    | 96 MB   | 1.20× | ≤ 1.1×        | NO   |',
      '| shipped seed | autocomplete p50          | 0.50 ms  | 0.55 ms | 1.10× | ≤ 1.2× (keep) | yes  |',
      '| 7k           | autocomplete p99 [1]      | 3.70 ms  | 4.50 ms | 1.22× | ≤ 5 ms        | yes  |',
      '| 100k         | start → gateway ready [1] | –        | 3.25 s  | –     | ≤ 3 s         | NO   |',
      '| 100k         | memory (PSS)              | –        | –       | –     | –             | –    |',
      '[1] through tsx',
    ]);
  });
});

describe('misspelt whole titles (bench/bench-catalogs.ts)', () => {
  const titles = [
    'Structure and Interpretation of Computer Programs',
    'Designing Data Intensive Applications',
    'The Pragmatic Programmer',
    'Clean Code',
    'Operating Systems Three Easy Pieces',
  ];

  it('takes titles of four or more words and changes one or two of their words, the same way every run', () => {
    const queries = misspeltTitles(titles, 10);
    expect(queries).toEqual(misspeltTitles(titles, 10));
    expect(queries).toHaveLength(3);
    const originals = titles.filter((t) => t.split(' ').length >= 4);
    for (const query of queries) {
      const words = query.split(' ');
      const original = originals.find((t) => t.split(' ').length === words.length && t.split(' ')[0]?.[0] === words[0]?.[0]);
      expect(original, query).toBeDefined();
      const changed = words.filter((w, i) => w !== original?.split(' ')[i]);
      expect(changed.length, query).toBeGreaterThanOrEqual(1);
      expect(changed.length, query).toBeLessThanOrEqual(2);
    }
  });
});

describe("issue 14's rows from a run (bench/runtime.ts)", () => {
  const latency = (p50: number, p99: number): Latency => ({ n: 100, p50, p90: p99, p99, max: p99, mean: p50, rejected: 0, empty: 0 });
  const group = (p99Ms: number) => ({ group: 'long', queries: 10, samples: 10, p50Ms: 1, p99Ms, meanMs: 1, maxMs: p99Ms, withHits: 10 });
  // The issue author's figures for 7,100 entries.
  const run: CatalogRun = {
    key: '7k',
    label: '7,100 entries',
    composition: null,
    links: 7100,
    cold: { bareReadyMs: [600], bareFirstMs: [650], linkdexReadyMs: [6300], linkdexFirstMs: [6400] },
    warm: { bareReadyMs: [280, 290, 300], bareFirstMs: [300], linkdexReadyMs: [1100, 1120, 1200], linkdexFirstMs: [1150] },
    memory: { bare: { pids: [1], pssMB: 76, rssMB: 120 }, linkdex: { pids: [2], pssMB: 148, rssMB: 190 } },
    mix: { bare: latency(0.53, 3.7), linkdex: latency(1.22, 8.5) },
    misspelt: { queries: ['Structre and Interpretation of Computer Programs'], bare: latency(0.5, 3), linkdex: latency(5, 18.8) },
    inProcess: { autocomplete: group(4), search: group(12), loadMs: 1, indexMs: 1 },
    notes: ['through tsx'],
  };

  it('gives every figure its target from the issue, the start figures as medians, and notes on the rows that depend on the start', () => {
    const rows = tableRows([run]).map(checkRow);
    const row = (catalog: string, figure: string) => rows.find((r) => r.catalog === catalog && r.figure === figure);
    expect(row('7,100 entries, cache warm', 'memory (PSS)')).toMatchObject({
      ratio: expect.closeTo(148 / 76, 9),
      target: { kind: 'ratio', max: 1.3 },
      met: false,
    });
    expect(row('7,100 entries, cache warm', 'start → gateway ready')).toMatchObject({
      bare: 0.29,
      linkdex: 1.12,
      target: { kind: 'ratio', max: 1.5 },
      met: false,
    });
    expect(row('7,100 entries, cold (no cache)', 'start → gateway ready')).toMatchObject({
      bare: 0.6,
      linkdex: 6.3,
      target: { kind: 'ratio', max: 1.5, note: 'connect first' },
      met: false,
    });
    expect(row('7,100 entries, cold (no cache)', 'start → first real answer')).toMatchObject({ linkdex: 6.4, target: null, met: null });
    expect(row('7,100 entries, cache warm', 'autocomplete p99')).toMatchObject({
      linkdex: 8.5,
      target: { kind: 'absolute', max: 5 },
      met: false,
    });
    expect(row('7,100 entries, cache warm', 'whole misspelt titles (4+ words), round-trip p99')).toMatchObject({
      linkdex: 18.8,
      target: { kind: 'absolute', max: 8 },
      met: false,
      note: 'through tsx',
    });
    const inProcess = row('7,100 entries, in process', 'long multi-word queries p99 (autocomplete: 25, no suggestions)');
    expect(inProcess).toMatchObject({ bare: null, linkdex: 4, target: { kind: 'absolute', max: 5 }, met: true });
    expect(inProcess).not.toHaveProperty('note');
  });
});
