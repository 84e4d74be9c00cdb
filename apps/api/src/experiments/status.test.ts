import { describe, expect, it } from 'vitest';
import { DomainError } from '../common/domain-error';
import {
  assertCanRamp,
  assertUpdateAllowed,
  transition,
  type ExperimentStatus,
  type TransitionAction,
} from './status';

const now = new Date('2025-02-01T10:00:00.000Z');

function failure(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('transition', () => {
  it('walks draft → running → stopped → concluded, stamping dates', () => {
    const started = transition('draft', 'start', now);
    expect(started).toEqual({ status: 'running', dates: { startedAt: now, frozenAt: now } });
    expect(transition('running', 'stop', now)).toEqual({ status: 'stopped', dates: { stoppedAt: now } });
    expect(transition('stopped', 'conclude', now)).toEqual({
      status: 'concluded',
      dates: { concludedAt: now },
    });
  });

  const invalid: [ExperimentStatus, TransitionAction, string][] = [
    ['draft', 'stop', 'stopped'],
    ['draft', 'conclude', 'concluded'],
    ['running', 'start', 'running'],
    ['running', 'conclude', 'concluded'],
    ['stopped', 'start', 'running'],
    ['stopped', 'stop', 'stopped'],
    ['concluded', 'start', 'running'],
    ['concluded', 'stop', 'stopped'],
    ['concluded', 'conclude', 'concluded'],
  ];
  it.each(invalid)('refuses %s → %s with invalid_transition', (from, action, to) => {
    const error = failure(() => transition(from, action, now));
    expect(error.code).toBe('invalid_transition');
    expect(error.details).toEqual({ from, to });
  });
});

describe('assertUpdateAllowed', () => {
  it('allows anything on a draft', () => {
    expect(() => assertUpdateAllowed('draft', ['variants', 'metrics', 'coverage', 'seed'])).not.toThrow();
  });

  it('freezes the design once started and names every frozen field', () => {
    for (const status of ['running', 'stopped'] as const) {
      const error = failure(() => assertUpdateAllowed(status, ['name', 'variants', 'metrics', 'coverage']));
      expect(error.code).toBe('conflict');
      expect(error.details).toEqual([
        { path: 'variants', rule: 'frozen_after_start' },
        { path: 'metrics', rule: 'frozen_after_start' },
        { path: 'coverage', rule: 'use_ramp' },
      ]);
      expect(() => assertUpdateAllowed(status, ['name', 'hypothesis', 'engine', 'targeting'])).not.toThrow();
    }
  });

  it('refuses every change to a concluded experiment', () => {
    expect(failure(() => assertUpdateAllowed('concluded', ['name'])).code).toBe('conflict');
  });
});

describe('assertCanRamp', () => {
  it('only ramps running experiments', () => {
    expect(() => assertCanRamp('running')).not.toThrow();
    for (const status of ['draft', 'stopped', 'concluded'] as const) {
      expect(failure(() => assertCanRamp(status)).code).toBe('invalid_transition');
    }
  });
});
