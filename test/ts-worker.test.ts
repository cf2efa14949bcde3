/** The parse and load workers: their heap is bounded the same way on every supported Node. */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startTsWorker } from '../src/catalog/ts-worker.js';

describe('startTsWorker', () => {
  it('gives a budgeted worker a 48 MB young generation, as Node 20 does (Node 24 would give 192 MB and abort on OOM)', async () => {
    const worker = startTsWorker('./parse-worker.ts', { resourceLimits: { maxOldGenerationSizeMb: 96 } });
    try {
      await once(worker, 'online');
      expect(worker.resourceLimits).toMatchObject({ maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 48 });
    } finally {
      await worker.terminate();
    }
  });

  it('keeps a young generation the caller sets', async () => {
    const worker = startTsWorker('./parse-worker.ts', { resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 } });
    try {
      await once(worker, 'online');
      expect(worker.resourceLimits).toMatchObject({ maxYoungGenerationSizeMb: 16 });
    } finally {
      await worker.terminate();
    }
  });
});
