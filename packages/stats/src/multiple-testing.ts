import { StatsInputError } from './types';

/**
 * How p-values of several comparisons in one experiment (variants × metrics) are corrected:
 * 'holm' controls the family-wise error rate, 'bh' the false discovery rate, 'none' leaves them as they are.
 */
export type MultipleTestingMethod = 'holm' | 'bh' | 'none';

const METHODS: readonly MultipleTestingMethod[] = ['holm', 'bh', 'none'];

function validate(pValues: number[], method: MultipleTestingMethod): void {
  if (!Array.isArray(pValues)) throw new StatsInputError('pValues', 'must be an array of p-values');
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new StatsInputError(`pValues[${i}]`, 'must be a number between 0 and 1');
  });
  if (!METHODS.includes(method)) throw new StatsInputError('method', "must be 'holm', 'bh' or 'none'");
}

/** Indices of `pValues` in ascending order of p (ties keep their input order). */
function ascendingOrder(pValues: number[]): number[] {
  return pValues.map((_, i) => i).sort((a, b) => (pValues[a] as number) - (pValues[b] as number) || a - b);
}

/**
 * Adjusted p-values, returned in input order; compare each with the unadjusted alpha.
 *
 * With m p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎:
 *   holm  p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)    (Holm 1979, "A simple sequentially rejective multiple
 *         test procedure", Scand. J. Statist. 6:65–70; strong family-wise error control)
 *   bh    p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎/j)          (Benjamini & Hochberg 1995, "Controlling the false
 *         discovery rate", JRSS B 57:289–300; false discovery rate control for independent or positively
 *         dependent tests)
 *   none  p̃ᵢ = pᵢ
 * Matches statsmodels.stats.multitest.multipletests with method 'holm' and 'fdr_bh'.
 *
 * @throws StatsInputError for a p-value outside [0, 1] (or NaN) or an unknown method.
 */
export function adjustPValues(pValues: number[], method: MultipleTestingMethod): number[] {
  validate(pValues, method);
  const m = pValues.length;
  if (method === 'none') return [...pValues];
  const order = ascendingOrder(pValues);
  const adjusted = new Array<number>(m);
  if (method === 'holm') {
    let running = 0;
    order.forEach((index, rank) => {
      running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
      adjusted[index] = running;
    });
  } else {
    let running = 1;
    for (let rank = m - 1; rank >= 0; rank--) {
      const index = order[rank] as number;
      running = Math.min(running, (m * (pValues[index] as number)) / (rank + 1));
      adjusted[index] = running;
    }
  }
  return adjusted;
}

/**
 * Significance level to build each comparison's confidence interval with, so the intervals agree with the
 * corrected decisions (returned in input order):
 *   holm  α/m for every interval: Bonferroni intervals, simultaneous coverage 1 − α. Holm's step-down has no
 *         exact interval counterpart; Bonferroni intervals are its conservative, standard companion
 *         (Strassburger & Bretz 2008, "Compatible simultaneous lower confidence bounds for the Holm
 *         procedure", Stat. Med. 27:4914–4927).
 *   bh    α·max(R, 1)/m for every interval, R = number of comparisons Benjamini–Hochberg rejects at level α:
 *         the false coverage-statement rate (FCR) adjusted intervals of Benjamini & Yekutieli 2005,
 *         "False discovery rate–adjusted multiple confidence intervals for selected parameters", JASA
 *         100:71–81 (FCR ≤ α over the selected comparisons; R = 0 falls back to Bonferroni's α/m).
 *   none  α.
 *
 * @throws StatsInputError for a p-value outside [0, 1], an unknown method or alpha outside (0, 1).
 */
export function adjustedAlphas(pValues: number[], method: MultipleTestingMethod, alpha = 0.05): number[] {
  validate(pValues, method);
  if (!(alpha > 0 && alpha < 1)) throw new StatsInputError('alpha', 'must be between 0 and 1 (exclusive)');
  const m = pValues.length;
  if (method === 'none') return pValues.map(() => alpha);
  if (method === 'holm') return pValues.map(() => alpha / m);
  const rejections = adjustPValues(pValues, 'bh').filter((p) => p <= alpha).length;
  return pValues.map(() => (alpha * Math.max(rejections, 1)) / m);
}
