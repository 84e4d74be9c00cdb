import { DomainError } from '../common/domain-error';

/**
 * The experiment lifecycle as pure rules: draft → running → stopped → concluded, nothing else.
 * Starting freezes the design (variants, metrics, kind, seed, namespace) because results are only valid for the
 * design customers were assigned under; coverage and weights then change only through a ramp.
 */
export type ExperimentStatus = 'draft' | 'running' | 'stopped' | 'concluded';
export type TransitionAction = 'start' | 'stop' | 'conclude';

const TRANSITIONS: Record<TransitionAction, { from: ExperimentStatus; to: ExperimentStatus }> = {
  start: { from: 'draft', to: 'running' },
  stop: { from: 'running', to: 'stopped' },
  conclude: { from: 'stopped', to: 'concluded' },
};

export interface StatusDates {
  startedAt?: Date;
  stoppedAt?: Date;
  concludedAt?: Date;
  frozenAt?: Date;
}

/** New status and the dates to stamp, or DomainError('invalid_transition') naming both ends. */
export function transition(
  current: ExperimentStatus,
  action: TransitionAction,
  now: Date,
): { status: ExperimentStatus; dates: StatusDates } {
  const rule = TRANSITIONS[action];
  if (current !== rule.from) throw DomainError.invalidTransition('Experiment', current, rule.to);
  switch (action) {
    case 'start':
      return { status: rule.to, dates: { startedAt: now, frozenAt: now } };
    case 'stop':
      return { status: rule.to, dates: { stoppedAt: now } };
    case 'conclude':
      return { status: rule.to, dates: { concludedAt: now } };
  }
}

/** Fields that define the experiment's design and freeze once it has started. */
export const FROZEN_FIELDS = ['variants', 'metrics', 'kind', 'seed', 'namespace'] as const;

/**
 * Checks a PATCH against the status. Draft: anything. Running/stopped: name, hypothesis, engine and targeting
 * only (coverage through a ramp). Concluded: nothing — the record is final.
 */
export function assertUpdateAllowed(status: ExperimentStatus, fields: readonly string[]): void {
  if (status === 'draft') return;
  if (status === 'concluded') {
    throw new DomainError('conflict', 'A concluded experiment can no longer be changed.', { status });
  }
  const errors = fields.flatMap((field) => {
    if ((FROZEN_FIELDS as readonly string[]).includes(field))
      return [{ path: field, rule: 'frozen_after_start' }];
    if (field === 'coverage') return [{ path: field, rule: 'use_ramp' }];
    return [];
  });
  if (errors.length > 0) {
    throw new DomainError('conflict', 'The experiment has started: its design is frozen.', errors);
  }
}

/** Ramping changes who may still enter, so it only makes sense while the experiment runs. */
export function assertCanRamp(status: ExperimentStatus): void {
  if (status !== 'running') {
    throw new DomainError(
      'invalid_transition',
      `Only a running experiment can be ramped (it is ${status}).`,
      {
        from: status,
        to: 'running',
      },
    );
  }
}

/** Only running experiments enrol customers. */
export function isEnrolling(status: ExperimentStatus): boolean {
  return status === 'running';
}
