/** One "customer saw variant V of experiment E" record, as sent to POST /v1/events. */
export interface Exposure {
  /** Unique per exposure so that a retried batch is not counted twice by the server. */
  clientEventId: string;
  /** The customer's external id. */
  customerId: string;
  experiment: string;
  variant: string;
  occurredAt: string;
}

/** Sends one batch; rejects when the batch was not accepted (it is then kept and retried). */
export type ExposureTransport = (batch: Exposure[]) => Promise<void>;

/** The timer functions the batcher needs; injectable so tests control time. */
export interface Timer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemTimer: Timer = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    // Never keep a Node process alive just to flush exposures.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface ExposureBatcherOptions {
  transport: ExposureTransport;
  /** Flush as soon as this many exposures wait (default 100). */
  maxBatchSize?: number;
  /** Flush at least this often while exposures wait (default 10 s). */
  flushIntervalMs?: number;
  /** Oldest exposures are dropped past this many waiting (default 10 000), so a dead network cannot eat memory. */
  maxQueueSize?: number;
  timer?: Timer;
  now?: () => Date;
  newId?: () => string;
  onError?: (error: unknown) => void;
}

function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

/** How many distinct (customer, experiment, variant) triples are remembered for de-duplication. */
const DEDUPE_LIMIT = 50_000;

/**
 * Queues exposures and sends them in batches: when `maxBatchSize` are waiting, on every interval tick, and on
 * `flush()`/`close()`. The same customer seeing the same variant again is reported once per batcher, which is
 * all the analysis needs (first exposure) and keeps traffic proportional to customers, not page views.
 * Batches are sent one at a time; a failed batch goes back to the front of the queue.
 */
export class ExposureBatcher {
  private queue: Exposure[] = [];
  private readonly seen = new Set<string>();
  private inFlight: Promise<void> | null = null;
  private handle: unknown = null;
  private closed = false;
  private readonly transport: ExposureTransport;
  private readonly maxBatchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueueSize: number;
  private readonly timer: Timer;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly onError: (error: unknown) => void;

  constructor(options: ExposureBatcherOptions) {
    this.transport = options.transport;
    this.maxBatchSize = options.maxBatchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 10_000;
    this.maxQueueSize = options.maxQueueSize ?? 10_000;
    this.timer = options.timer ?? systemTimer;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomId;
    this.onError = options.onError ?? (() => undefined);
    if (!(this.maxBatchSize >= 1)) throw new RangeError('maxBatchSize must be at least 1');
    if (!(this.flushIntervalMs > 0)) throw new RangeError('flushIntervalMs must be positive');
    if (!(this.maxQueueSize >= this.maxBatchSize))
      throw new RangeError('maxQueueSize must be at least maxBatchSize');
  }

  /** Exposures waiting to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  /** Records an exposure; returns false when it was a repeat (or the batcher is closed) and nothing was queued. */
  track(exposure: { customerId: string; experiment: string; variant: string; occurredAt?: string }): boolean {
    if (this.closed) return false;
    const dedupeKey = `${exposure.customerId}\u0000${exposure.experiment}\u0000${exposure.variant}`;
    if (this.seen.has(dedupeKey)) return false;
    if (this.seen.size >= DEDUPE_LIMIT) this.seen.clear();
    this.seen.add(dedupeKey);

    this.queue.push({
      clientEventId: this.newId(),
      customerId: exposure.customerId,
      experiment: exposure.experiment,
      variant: exposure.variant,
      occurredAt: exposure.occurredAt ?? this.now().toISOString(),
    });
    if (this.queue.length > this.maxQueueSize) this.queue.splice(0, this.queue.length - this.maxQueueSize);
    this.ensureTimer();
    if (this.queue.length >= this.maxBatchSize) void this.flush();
    return true;
  }

  /** Sends everything waiting; resolves when the queue is empty or a batch failed. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.queue.length === 0) return Promise.resolve();
    this.inFlight = this.drain().finally(() => {
      this.inFlight = null;
      if (this.queue.length === 0) this.stopTimer();
    });
    return this.inFlight;
  }

  /** Stops the timer and sends what is left. Later `track` calls are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      try {
        await this.transport(batch);
      } catch (error) {
        this.queue.unshift(...batch);
        if (this.queue.length > this.maxQueueSize)
          this.queue.splice(0, this.queue.length - this.maxQueueSize);
        this.onError(error);
        return;
      }
    }
  }

  private ensureTimer(): void {
    if (this.handle !== null || this.closed) return;
    this.handle = this.timer.setInterval(() => void this.flush(), this.flushIntervalMs);
  }

  private stopTimer(): void {
    if (this.handle === null) return;
    this.timer.clearInterval(this.handle);
    this.handle = null;
  }
}
