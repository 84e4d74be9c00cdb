import type { AttributionComparison, AttributionCredit, AttributionModelKey } from '@liftlab/contracts';
import {
  firstTouchAttribution,
  lastTouchAttribution,
  linearAttribution,
  markovAttribution,
  positionBasedAttribution,
  shapleyAttribution,
  type AttributionResult,
  type ConversionPath,
} from '@liftlab/stats';

/**
 * The six attribution models side by side on the same aggregated journeys. Pure. Conversions are credited by
 * @liftlab/stats. Revenue is credited the way each model credits a conversion: the rule-based models split each
 * path's revenue with the same position weights as its conversions (so a 300 upsell after email → call gives
 * 150/150 under linear); the data-driven models (Markov, Shapley) credit channels, not paths, so revenue is
 * shared out in proportion to their conversion shares.
 */

export interface RevenuePath extends ConversionPath {
  /** Σ revenue of the path's conversions. */
  revenue: number;
}

export const MODEL_LABELS: Record<AttributionModelKey, string> = {
  first_touch: 'First touch',
  last_touch: 'Last touch',
  linear: 'Linear',
  position_based: 'Position-based',
  markov: 'Markov (removal effect)',
  shapley: 'Shapley',
};

export interface ModelOptions {
  positionFirst: number;
  positionLast: number;
  markovOrder: number;
}

type Models = AttributionComparison['models'];

export function compareModels(
  paths: readonly RevenuePath[],
  options: ModelOptions,
): { models: Models; markov: AttributionComparison['markov']; channels: string[] } {
  const plain = paths.map((p) => ({ path: p.path, conversions: p.conversions, nulls: p.nulls }));
  const position = { first: options.positionFirst, last: options.positionLast };
  const rules: [AttributionModelKey, (ps: ConversionPath[]) => AttributionResult][] = [
    ['first_touch', firstTouchAttribution],
    ['last_touch', lastTouchAttribution],
    ['linear', linearAttribution],
    ['position_based', (ps) => positionBasedAttribution(ps, position)],
  ];
  const totalRevenue = paths.reduce((s, p) => s + p.revenue, 0);
  const models: Models = [];
  for (const [model, run] of rules) {
    const result = run(plain);
    const revenue = new Map<string, number>();
    for (const p of paths) {
      if (p.conversions === 0 || p.revenue === 0) continue;
      // One conversion on the path alone gives the path's position weights per channel.
      for (const c of run([{ path: p.path, conversions: 1, nulls: 0 }]).channels) {
        revenue.set(c.channel, (revenue.get(c.channel) ?? 0) + c.conversions * p.revenue);
      }
    }
    models.push({ model, label: MODEL_LABELS[model], credits: credits(result, (c) => revenue.get(c) ?? 0) });
  }
  const markov = markovAttribution(plain, { order: options.markovOrder });
  const shapley = shapleyAttribution(plain);
  for (const [model, result] of [
    ['markov', markov],
    ['shapley', shapley],
  ] as const) {
    models.push({
      model,
      label: MODEL_LABELS[model],
      credits: credits(result, (c) => {
        const share = result.channels.find((x) => x.channel === c)?.share ?? 0;
        return share * totalRevenue;
      }),
    });
  }
  return {
    models,
    channels: markov.channels.map((c) => c.channel),
    markov: {
      order: markov.order,
      conversionProbability: markov.conversionProbability,
      removalEffects: markov.channels.map((c) => ({ channel: c.channel, removalEffect: c.removalEffect })),
    },
  };
}

function credits(result: AttributionResult, revenueOf: (channel: string) => number): AttributionCredit[] {
  return result.channels.map((c) => ({
    channel: c.channel,
    conversions: c.conversions,
    share: c.share,
    revenue: revenueOf(c.channel),
  }));
}
