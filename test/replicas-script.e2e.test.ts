/**
 * `npm run replicas`: a local PostgreSQL, the fake Discord and two HTTP replicas behind the same
 * settings; both answer /healthz, one posts the link of the day, and Ctrl-C (SIGINT) stops it all.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startScript, until, type Running } from './processes.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
let script: Running | undefined;

afterAll(() => {
  if (script?.child.exitCode === null) script.child.kill('SIGKILL');
});

describe('npm run replicas', () => {
  it('is the replicas script', () => {
    expect(pkg.scripts['replicas']).toBe('exec node --import tsx dev/replicas/run-replicas.ts');
  });

  it('starts two replicas that both answer /healthz, posts the link of the day once, and stops everything on Ctrl-C', async () => {
    const running = startScript('dev/replicas/run-replicas.ts', {});
    script = running;
    await until(
      () => running.output().includes('Ctrl-C stops everything.'),
      () => `the script's "Try:" lines; output:\n${running.output()}`,
      45_000,
    );
    const ports = [...running.output().matchAll(/ {2}replica \d: http:\/\/127\.0\.0\.1:(\d+)\/interactions/g)].map((m) => m[1]);
    expect(ports).toHaveLength(2);
    for (const port of ports) {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^ok: 233 links/);
      expect(running.output()).toContain(`  curl -i http://127.0.0.1:${port}/healthz`);
    }
    expect(running.output()).toMatch(/DATABASE_URL='postgres:\/\/linkdex:[^@]+@127\.0\.0\.1:\d+\/\w+' npx linkdex state export/);
    await until(
      () => running.output().includes('[fake Discord] replica '),
      () => `the link of the day; output:\n${running.output()}`,
      20_000,
    );

    running.child.kill('SIGINT');
    expect(await running.exit).toBe(0);
    expect(running.output().match(/\[fake Discord\] replica [12] posted in channel/g)).toHaveLength(1);
    expect(running.output().match(/\[replica [12]\] shutting down/g)).toHaveLength(2);
    expect(running.output().trimEnd().endsWith('stopped')).toBe(true);
    for (const port of ports) await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 75_000);
});
