/** README says what is true: the banner it shows, the invite's permissions, the tree, one set of capacity figures. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { bannerFacts, bannerLines } from '../src/console/banner.js';
import { loadConfig } from '../src/config.js';
import { repoRoot, seedCatalog } from './helpers.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The body of the first fenced block after `heading`. */
function blockAfter(heading: string): string {
  const start = readme.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const open = readme.indexOf('```', start);
  const body = readme.indexOf('\n', open) + 1;
  return readme.slice(body, readme.indexOf('```', body));
}

describe('README', () => {
  it('shows the banner npm start prints on the shipped catalog', () => {
    const transcript = blockAfter('## The console').split('\n');
    expect(transcript[0]).toBe('$ npm start');
    const shown = transcript.slice(
      1,
      transcript.findIndex((line) => line.startsWith('linkdex> ')),
    );
    // As a newcomer sees it: no .env yet.
    const facts = { ...bannerFacts(seedCatalog(), loadConfig({}, repoRoot), repoRoot), envFile: false };
    expect(shown).toEqual(bannerLines(facts));
  });

  it('asks, in the invite, for exactly the permissions the daily post needs', () => {
    const needed = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks;
    const invite = /https:\/\/discord\.com\/oauth2\/authorize\?\S*permissions=(\d+)/.exec(readme);
    expect(BigInt(invite?.[1] ?? -1)).toBe(needed);
    expect(readme).toContain('**View Channel**, **Send Messages** and **Embed Links**');
  });

  it('lists every folder of src/ and dev/ in the developer tree', () => {
    const tree = blockAfter('## Development');
    const folders = ['src', 'dev'].flatMap((top) =>
      readdirSync(path.join(repoRoot, top), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `${top}/${d.name}/`),
    );
    for (const folder of folders) expect(tree, folder).toMatch(new RegExp(`^${folder} `, 'm'));
  });

  it('gives one set of HTTP capacity figures', () => {
    const figures = new Set(readme.match(/[\d,]+–[\d,]+ requests\/s/g));
    expect([...figures]).toHaveLength(1);
  });
});
