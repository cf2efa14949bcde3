import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../src/atomic-file.js';

function folder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'linkdex-atomic-'));
}

describe('writeFileAtomically', () => {
  it('replaces the content whole, and leaves nothing else in the folder', async () => {
    const dir = folder();
    const file = path.join(dir, 'state.json');
    writeFileSync(file, 'x'.repeat(10_000));
    await writeFileAtomically(file, '{"lastPosted":"2026-12-03"}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"lastPosted":"2026-12-03"}\n');
    await writeFileAtomically(file, Buffer.from([1, 2, 3]), { durable: false });
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('creates the file when there is none', async () => {
    const dir = folder();
    await writeFileAtomically(path.join(dir, 'new.txt'), 'first');
    expect(readFileSync(path.join(dir, 'new.txt'), 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['new.txt']);
  });

  it('throws when the rename fails, and leaves no temporary file behind', async () => {
    const dir = folder();
    // A folder with a file in it cannot be replaced by a file: the data is written, the rename fails.
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside.txt'), 'kept');
    await expect(writeFileAtomically(target, 'new content')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(path.join(target, 'inside.txt'), 'utf8')).toBe('kept');
  });

  it('throws when the folder is missing, and creates nothing', async () => {
    const dir = folder();
    await expect(writeFileAtomically(path.join(dir, 'missing', 'file.json'), '{}')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives concurrent writers of one file a temporary file each: the file ends up one of their contents, whole', async () => {
    const dir = folder();
    const file = path.join(dir, 'snapshot');
    const contents = Array.from({ length: 8 }, (_, i) => String(i).repeat(100_000));
    await Promise.all(contents.map((c) => writeFileAtomically(file, c, { durable: false })));
    expect(contents).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['snapshot']);
  });
});
