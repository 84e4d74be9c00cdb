import { describe, expect, it } from 'vitest';
import { compareModels } from './attribution-models';

describe('compareModels', () => {
  const paths = [
    { path: ['email', 'call', 'search'], conversions: 2, nulls: 0, revenue: 500 },
    { path: ['search'], conversions: 1, nulls: 1, revenue: 100 },
  ];
  const { models } = compareModels(paths, { positionFirst: 0.4, positionLast: 0.4, markovOrder: 1 });
  const revenue = (model: string) =>
    Object.fromEntries(models.find((m) => m.model === model)!.credits.map((c) => [c.channel, c.revenue]));

  it('splits each path’s revenue with the rule’s position weights', () => {
    expect(revenue('first_touch')).toEqual({ call: 0, email: 500, search: 100 });
    expect(revenue('last_touch')).toEqual({ call: 0, email: 0, search: 600 });
    const linear = revenue('linear');
    expect(linear.email).toBeCloseTo(500 / 3, 9);
    expect(linear.search).toBeCloseTo(500 / 3 + 100, 9);
    const position = revenue('position_based');
    expect(position.email).toBeCloseTo(200, 9);
    expect(position.call).toBeCloseTo(100, 9);
    expect(position.search).toBeCloseTo(300, 9);
  });

  it('shares revenue by conversion share under the data-driven models', () => {
    for (const model of ['markov', 'shapley']) {
      const m = models.find((x) => x.model === model)!;
      const total = m.credits.reduce((s, c) => s + c.revenue, 0);
      expect(total).toBeCloseTo(600, 9);
      for (const c of m.credits) expect(c.revenue).toBeCloseTo(c.share * 600, 9);
    }
  });
});
