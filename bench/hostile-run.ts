/**
 * `npm run bench:hostile`: each attack of issue 13 in a folder beside one good file, loaded as the
 * bot loads it (`loadCatalog`, default budget): how long the load takes, what is reported, and the
 * main process's resident memory. The good link must load every time.
 *
 *   npm run bench:hostile -- --only emphasis   one case (names below)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { aliasBomb, emphasisBomb, listWithoutHeadings, markerLine, nestedLists, wideTable } from './hostile.js';

const CASES: Record<string, [string, () => string]> = {
  emphasis: ['100 KB of *a_*a_…', () => emphasisBomb(100_000)],
  nested: ['1 MB of lists nested 1,000 deep', () => nestedLists(1_000_000)],
  markers: ['one line of 5,000 list markers', () => markerLine(5000)],
  list3: ['a 3 MB list without headings', () => listWithoutHeadings(3_000_000)],
  list12: ['a 12 MB list without headings', () => listWithoutHeadings(12_000_000)],
  table: ['a 1 MB table 1,000 columns wide', () => wideTable(1_000_000)],
  table9: ['an 8.7 MB table 1,000 columns wide', () => wideTable(8_700_000)],
  yaml: ['a 1 KB YAML alias bomb in draft:', () => aliasBomb(9)],
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const root = mkdtempSync(path.join(os.tmpdir(), 'linkdex-hostile-'));
try {
  process.stdout.write('| attack | load time | links | reported | main rss |\n| --- | --- | --- | --- | --- |\n');
  for (const [name, [what, make]] of Object.entries(CASES)) {
    if (values.only !== undefined && values.only !== name) continue;
    const content = path.join(root, name);
    mkdirSync(content);
    writeFileSync(path.join(content, 'a.md'), '# Tools\n\n- [Alpha](https://alpha.example.com)\n');
    writeFileSync(path.join(content, 'x.md'), make());
    const started = performance.now();
    const catalog = await loadCatalog(content, {}, root);
    const ms = performance.now() - started;
    const mine = catalog.problems.filter((p) => p.file.endsWith('x.md') && p.severity !== 'info');
    const first = mine.find((p) => p.severity === 'error') ?? mine[0];
    const reported = first ? `${first.code} (${mine.length} problem${mine.length === 1 ? '' : 's'})` : 'nothing';
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    process.stdout.write(`| ${what} | ${(ms / 1000).toFixed(1)} s | ${catalog.entries.length} | ${reported} | ${rss} MB |\n`);
    rmSync(content, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
