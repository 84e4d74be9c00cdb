import { describe, expect, it } from 'vitest';
import { ExposureBatcher, type Exposure, type Timer } from './exposures';

class FakeTimer implements Timer {
  fns = new Map<number, () => void>();
  private next = 1;
  setInterval(fn: () => void): unknown {
    const id = this.next++;
    this.fns.set(id, fn);
    return id;
  }
  clearInterval(handle: unknown): void {
    this.fns.delete(handle as number);
  }
  tick(): void {
    for (const fn of [...this.fns.values()]) fn();
  }
}

function setup(options: { maxBatchSize?: number; fail?: () => boolean; maxQueueSize?: number } = {}) {
  const batches: Exposure[][] = [];
  const timer = new FakeTimer();
  const errors: unknown[] = [];
  let n = 0;
  const batcher = new ExposureBatcher({
    transport: async (batch) => {
      if (options.fail?.()) throw new Error('network down');
      batches.push(batch);
    },
    timer,
    maxBatchSize: options.maxBatchSize ?? 3,
    maxQueueSize: options.maxQueueSize,
    flushIntervalMs: 1000,
    now: () => new Date('2025-01-02T03:04:05.000Z'),
    newId: () => `id-${++n}`,
    onError: (e) => errors.push(e),
  });
  return { batcher, batches, timer, errors };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('ExposureBatcher', () => {
  it('flushes as soon as a batch is full', async () => {
    const { batcher, batches } = setup();
    batcher.track({ customerId: 'a', experiment: 'e', variant: 'v' });
    batcher.track({ customerId: 'b', experiment: 'e', variant: 'v' });
    await settle();
    expect(batches).toHaveLength(0);
    batcher.track({ customerId: 'c', experiment: 'e', variant: 'v' });
    await settle();
    expect(batches).toEqual([
      [
        {
          clientEventId: 'id-1',
          customerId: 'a',
          experiment: 'e',
          variant: 'v',
          occurredAt: '2025-01-02T03:04:05.000Z',
        },
        {
          clientEventId: 'id-2',
          customerId: 'b',
          experiment: 'e',
          variant: 'v',
          occurredAt: '2025-01-02T03:04:05.000Z',
        },
        {
          clientEventId: 'id-3',
          customerId: 'c',
          experiment: 'e',
          variant: 'v',
          occurredAt: '2025-01-02T03:04:05.000Z',
        },
      ],
    ]);
    expect(batcher.pending).toBe(0);
  });

  it('flushes a partial batch on the interval and stops the timer when idle', async () => {
    const { batcher, batches, timer } = setup();
    expect(timer.fns.size).toBe(0);
    batcher.track({ customerId: 'a', experiment: 'e', variant: 'v' });
    expect(timer.fns.size).toBe(1);
    timer.tick();
    await settle();
    expect(batches.map((b) => b.length)).toEqual([1]);
    expect(timer.fns.size).toBe(0);
  });

  it('reports a customer seeing the same variant only once', async () => {
    const { batcher, batches } = setup();
    expect(batcher.track({ customerId: 'a', experiment: 'e', variant: 'v' })).toBe(true);
    expect(batcher.track({ customerId: 'a', experiment: 'e', variant: 'v' })).toBe(false);
    expect(batcher.track({ customerId: 'a', experiment: 'f', variant: 'v' })).toBe(true);
    await batcher.flush();
    expect(batches.flat().map((e) => e.experiment)).toEqual(['e', 'f']);
  });

  it('splits a large flush into batches of maxBatchSize, in order', async () => {
    const { batcher, batches } = setup({ maxBatchSize: 4 });
    for (let i = 0; i < 10; i++)
      batcher.track({ customerId: `c${i}`, experiment: 'e', variant: 'v', occurredAt: 't' });
    await batcher.flush();
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().map((e) => e.customerId)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i}`));
  });

  it('keeps a failed batch and sends it on the next flush', async () => {
    let down = true;
    const { batcher, batches, errors } = setup({ fail: () => down });
    batcher.track({ customerId: 'a', experiment: 'e', variant: 'v' });
    await batcher.flush();
    expect(batches).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(batcher.pending).toBe(1);
    down = false;
    await batcher.flush();
    expect(batches.flat().map((e) => e.clientEventId)).toEqual(['id-1']);
  });

  it('drops the oldest exposures past maxQueueSize while the transport fails', async () => {
    const { batcher } = setup({ fail: () => true, maxBatchSize: 2, maxQueueSize: 3 });
    for (let i = 0; i < 6; i++) batcher.track({ customerId: `c${i}`, experiment: 'e', variant: 'v' });
    await batcher.flush();
    expect(batcher.pending).toBe(3);
  });

  it('flushes on close and ignores later exposures', async () => {
    const { batcher, batches, timer } = setup();
    batcher.track({ customerId: 'a', experiment: 'e', variant: 'v' });
    await batcher.close();
    expect(batches.flat()).toHaveLength(1);
    expect(timer.fns.size).toBe(0);
    expect(batcher.track({ customerId: 'b', experiment: 'e', variant: 'v' })).toBe(false);
  });

  it('refuses nonsensical options', () => {
    expect(() => new ExposureBatcher({ transport: async () => undefined, maxBatchSize: 0 })).toThrow(
      /maxBatchSize/,
    );
    expect(() => new ExposureBatcher({ transport: async () => undefined, flushIntervalMs: 0 })).toThrow(
      /flushIntervalMs/,
    );
  });
});
