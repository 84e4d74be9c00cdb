import type { Recommendation, RoiVerdict } from '../api/types';
import { RECOMMENDATION_VIEW, VERDICT_VIEW } from './money';

/** A verdict as symbol + words on a tinted badge: the colour repeats what the text says, never replaces it. */
export function VerdictBadge({
  verdict,
  small = false,
  testId,
}: {
  verdict: RoiVerdict;
  small?: boolean;
  testId?: string;
}) {
  const view = VERDICT_VIEW[verdict];
  return (
    <span
      className={`verdict-badge verdict-badge--${view.tone}${small ? ' verdict-badge--small' : ''}`}
      data-verdict={verdict}
      data-testid={testId}
    >
      <span aria-hidden="true">{view.symbol}</span> {view.label}
    </span>
  );
}

export function RecommendationBadge({ recommendation }: { recommendation: Recommendation }) {
  const view = RECOMMENDATION_VIEW[recommendation];
  return (
    <span
      className={`verdict-badge verdict-badge--${view.tone} verdict-badge--small`}
      data-recommendation={recommendation}
    >
      <span aria-hidden="true">{view.symbol}</span> {view.label}
    </span>
  );
}
