/**
 * `npm run demo`: the real bot against the fake Discord, offline and without a token, showing
 * a search with autocomplete, a category page with its buttons, a random link and the link of
 * the day, then ending by itself with exit 0.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAKE_TOKEN } from '../dev/fake-discord/fake-discord.js';
import { markdownText, messageLines } from '../dev/demo/message-text.js';
import { startScript } from './processes.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('npm run demo', () => {
  it('is the demo script', () => {
    expect(pkg.scripts['demo']).toBe('exec node --import tsx dev/demo/run-demo.ts');
  });

  it('shows the four things as a member sees them, and exits 0 by itself', async () => {
    // testEnv gives no token and a HOME of its own; the demo needs neither.
    const demo = startScript('dev/demo/run-demo.ts', { NO_COLOR: '1' });
    const code = await Promise.race([demo.exit, new Promise((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000))]);
    const out = demo.output();
    if (code !== 0) demo.child.kill('SIGKILL');
    expect(code, out).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const section = (title: string) => {
      const start = out.indexOf(`── ${title}`);
      expect(start, `section “${title}” in:\n${out}`).toBeGreaterThan(-1);
      const next = out.indexOf('\n── ', start + 1);
      return out.slice(start, next === -1 ? undefined : next);
    };

    const search = section('1. A search, with autocomplete');
    expect(search).toContain(
      '    Kubernetes for Everyone · Distributed Systems\n    E-book kubernetes Up & Running · Distributed Systems\n',
    );
    expect(search).toContain('  ┃ Kubernetes for Everyone\n  ┃ ↗ https://docs.google.com/');
    expect(search).toContain(
      '  ┃ Search: “kafka”\n  ┃ Distributed messaging, Streams\n  ┃ 1. Kafka - Capacity Planning · slideshare.net\n',
    );
    expect(search).toContain('  ┃ 10 results');

    const category = section('2. A category page, with its buttons');
    expect(category).toContain('  ┃ Devops/Monitoring\n  ┃ From Programming · 24 links\n');
    expect(category).toContain('  ┃ 24 links · page 1/3\n    (⏮ First) (◀ Previous) [Next ▶] [Last ⏭]\n');
    expect(category).toContain('  ┃ 11. How to Create and Manage CRON Jobs · davidwalsh.name');
    expect(category).toContain('  ┃ 24 links · page 2/3\n    [⏮ First] [◀ Previous] [Next ▶] [Last ⏭]\n');

    const random = section('3. A random link');
    expect(
      random.match(/ {2}┃ 🎲 Random link\n {2}┃ .+\n {2}┃ ↗ https?:\/\/\S+\n {2}┃ Category: .+ · Page: .+\n {4}\[🎲 Another\]\n/g),
    ).toHaveLength(2);

    const daily = section('4. The link of the day');
    expect(daily).toMatch(new RegExp(`  ┃ 📅 Link of the day · ${today}\\n  ┃ .+\\n  ┃ ↗ https?://\\S+\\n`));

    expect(out).toContain('Done: the bot stopped (exit 0).');
    expect(out).not.toContain(FAKE_TOKEN);
  }, 90_000);
});

describe('a Discord message as terminal text', () => {
  const style = { color: false };

  it('renders Discord markdown as the text it shows: links, bold, escapes and numbered lines', () => {
    expect(markdownText('3. **[A \\*starred\\* title](https://a.example/x)** · a.example\nIts description', style)).toBe(
      '3. A *starred* title · a.example\nIts description',
    );
    expect(markdownText('**Observability** · 49 links\n**Rust** · 3 links', style)).toBe('Observability · 49 links\nRust · 3 links');
  });

  it('keeps content’s control characters away from the terminal', () => {
    const lines = messageLines({ embeds: [{ title: 'x\x1b[2Jy', description: 'a\x07b', footer: { text: '\x1b]0;t\x07' } }] }, style);
    expect(lines.join('\n')).not.toMatch(/\p{Cc}(?<!\n)/u);
    expect(lines).toEqual(['┃ x [2Jy', '┃ a b', '┃  ]0;t ']);
  });

  it('says when only the member can see an answer, and shows inline fields side by side', () => {
    expect(
      messageLines(
        {
          flags: 64,
          embeds: [
            {
              author: { name: '🎲 Random link' },
              fields: [
                { name: 'Category', value: 'Rust', inline: true },
                { name: 'Site', value: 'rust-lang.org', inline: true },
              ],
            },
          ],
          components: [{ components: [{ label: '🎲 Another' }] }],
        },
        style,
      ),
    ).toEqual(['(only you can see this)', '┃ 🎲 Random link', '┃ Category: Rust · Site: rust-lang.org', '  [🎲 Another]']);
  });
});
