import { can } from '../auth/permissions';
import type { ExperimentStatus, Role } from '../api/types';

export type TransitionAction = 'start' | 'ramp' | 'stop' | 'conclude';

/** The lifecycle only moves forward: draft → running → stopped → concluded; ramp keeps a test running. */
const ACTIONS_BY_STATUS: Record<ExperimentStatus, readonly TransitionAction[]> = {
  draft: ['start'],
  running: ['ramp', 'stop'],
  stopped: ['conclude'],
  concluded: [],
};

export const ACTION_LABEL: Record<TransitionAction, string> = {
  start: 'Start',
  ramp: 'Ramp',
  stop: 'Stop',
  conclude: 'Conclude',
};

/** Why a step matters, shown in the confirmation so nobody stops a test by accident. */
export const ACTION_CONFIRM: Record<TransitionAction, string> = {
  start: 'Start the experiment? Customers will begin to be assigned and variants and metrics are locked.',
  ramp: 'Apply the new coverage and weights? Existing assignments stay where they are.',
  stop: 'Stop the experiment? No new customers will be assigned; results freeze at this point.',
  conclude: 'Conclude the experiment? It becomes read-only and its result is final.',
};

export function availableActions(
  status: ExperimentStatus,
  role: Role | undefined | null,
): TransitionAction[] {
  if (!can(role, 'experiments.transition')) return [];
  return [...ACTIONS_BY_STATUS[status]];
}

/** Draft experiments are fully editable; a running one only in its description; stopped ones not at all. */
export function canEdit(status: ExperimentStatus, role: Role | undefined | null): boolean {
  return can(role, 'experiments.write') && (status === 'draft' || status === 'running');
}

/**
 * Fields that define who gets what and how it is judged; changing them after start would corrupt the
 * comparison. Coverage and weights still move, but only through a ramp.
 */
export const LOCKED_AFTER_START = [
  'key',
  'kind',
  'variants',
  'holdoutPercent',
  'metrics',
  'namespace',
  'targeting',
  'engine',
  'coverage',
] as const;

export function isLocked(field: string, status: ExperimentStatus): boolean {
  return status !== 'draft' && (LOCKED_AFTER_START as readonly string[]).includes(field);
}

export const STATUS_LABEL: Record<ExperimentStatus, string> = {
  draft: 'Draft',
  running: 'Running',
  stopped: 'Stopped',
  concluded: 'Concluded',
};
