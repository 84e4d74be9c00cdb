import { Global, Module } from '@nestjs/common';

/**
 * Time is injected so expiry, windows and status dates are testable.
 * Use: `constructor(@Inject(CLOCK) private readonly clock: Clock)`.
 */
export const CLOCK = Symbol.for('liftlab.clock');

export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to; for tests. */
export class FixedClock implements Clock {
  private current: number;

  constructor(start: Date | string | number = '2025-01-15T09:00:00.000Z') {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new Error(`FixedClock: invalid start time ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(time: Date | string | number): void {
    this.current = new Date(time).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  advanceMinutes(minutes: number): Date {
    return this.advance(minutes * 60_000);
  }
}

/** Global: provides CLOCK (SystemClock). Tests override it with `overrideProvider(CLOCK).useValue(new FixedClock())`. */
@Global()
@Module({
  providers: [{ provide: CLOCK, useClass: SystemClock }],
  exports: [CLOCK],
})
export class ClockModule {}
