import type { ExperimentStatus } from '../api/types';
import { STATUS_LABEL } from '../experiments/status';

export function StatusBadge({ status }: { status: ExperimentStatus }) {
  return <span className={`badge badge--${status}`}>{STATUS_LABEL[status]}</span>;
}
