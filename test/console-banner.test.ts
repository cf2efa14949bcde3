/** The console's banner says what is true of this catalog and this configuration, in short lines. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bannerFacts, bannerLines, type BannerFacts } from '../src/console/banner.js';
import { loadConfig, SHIPPED_CONTENT_DIR } from '../src/config.js';
import { catalogOf, seedCatalog } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linkdex-banner-'));
  dirs.push(dir);
  return dir;
}

const SHIPPED: BannerFacts = {
  links: 233,
  categories: 23,
  where: 'content',
  errors: 1,
  warnings: 8,
  shipped: true,
  envFile: false,
  clientIdSet: false,
  searchExample: 'monitoring',
  categoryExample: 'Observability',
};

describe('the console banner', () => {
  it('on the shipped catalog, without .env: explains the shipped list’s mistakes and how to get to Discord', () => {
    expect(bannerLines(SHIPPED)).toEqual([
      'linkdex console: 233 links in 23 categories from content',
      'The shipped list is the upstream list as published, with its own mistakes:',
      'npx linkdex check lists its 1 error and 8 warnings.',
      'No DISCORD_TOKEN is set, so this is the local console.',
      'For Discord: cp .env.example .env, set DISCORD_TOKEN and DISCORD_CLIENT_ID,',
      'then npm run deploy and npm start (README.md, "Running it on Discord").',
      'To watch the real bot answer a fake Discord, without a token: npm run demo.',
      'Try: monitoring · /category · /category Observability · /random today · /help',
      'n and p turn pages, Tab completes, /quit or Ctrl-D leaves.',
    ]);
    for (const line of bannerLines(SHIPPED)) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('with a .env that has the client id: asks only for the token, in .env', () => {
    const lines = bannerLines({ ...SHIPPED, envFile: true, clientIdSet: true });
    expect(lines).toContain('For Discord: set DISCORD_TOKEN in .env,');
    expect(lines.join('\n')).not.toContain('.env.example');
  });

  it('on the user’s own content: the problems are theirs, without the upstream story', () => {
    const lines = bannerLines({ ...SHIPPED, shipped: false, where: 'notes', errors: 0, warnings: 2 });
    expect(lines[0]).toBe('linkdex console: 233 links in 23 categories from notes');
    expect(lines[1]).toBe('The content has 0 errors and 2 warnings: npx linkdex check lists them.');
    expect(lines.join('\n')).not.toContain('upstream');
    expect(bannerLines({ ...SHIPPED, shipped: false, errors: 0, warnings: 0 })[1]).toBe(
      'No DISCORD_TOKEN is set, so this is the local console.',
    );
  });

  it('on an empty catalog: says how to add links instead of suggesting searches', () => {
    const lines = bannerLines({ ...SHIPPED, links: 0, categories: 0, errors: 0, warnings: 0, shipped: false, where: 'empty' });
    expect(lines[0]).toBe('linkdex console: no links from empty');
    expect(lines.slice(-2)).toEqual(['Add markdown files with [title](https://…) links under headings, or set CONTENT_DIR.', 'Try /help.']);
  });

  it('takes its facts from the loaded catalog, the configuration and the working directory', () => {
    const cwd = tempDir();
    const facts = bannerFacts(seedCatalog(), loadConfig({}, cwd), cwd);
    expect(facts).toMatchObject({ links: 233, categories: 23, errors: 1, warnings: 8, shipped: true, envFile: false, clientIdSet: false });
    expect(facts.searchExample).toBe('monitoring');
    expect(facts.categoryExample).toBe('Observability');
    writeFileSync(path.join(cwd, '.env'), 'DISCORD_TOKEN=\n');
    expect(bannerFacts(seedCatalog(), loadConfig({ DISCORD_CLIENT_ID: '1310000000000000001' }, cwd), cwd)).toMatchObject({
      envFile: true,
      clientIdSet: true,
    });
  });

  it('suggests a category and a search that exist in other content', () => {
    const catalog = catalogOf(
      [
        '# Tools',
        '- [Alpha](https://a.example.com)',
        '# Databases',
        '- [Postgres indexing](https://b.example.com)',
        '- [Postgres vacuum](https://c.example.com)',
        '- [SQLite](https://d.example.com)',
      ].join('\n'),
    );
    const cwd = tempDir();
    const facts = bannerFacts(catalog, loadConfig({ CONTENT_DIR: 'notes' }, cwd), cwd);
    expect(facts).toMatchObject({ shipped: false, where: 'notes', searchExample: 'postgres', categoryExample: 'Databases' });
    expect(bannerLines(facts)).toContain('Try: postgres · /category · /category Databases · /random today · /help');
    expect(path.resolve(SHIPPED_CONTENT_DIR)).not.toBe(path.resolve(cwd, 'notes'));
  });
});
