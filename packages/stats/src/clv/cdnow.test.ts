/**
 * The CDNOW sample (2,357 customers, ../shared/datasets/cdnow/ next to the project root) fitted end to end:
 * the published BG/NBD, Pareto/NBD and Gamma-Gamma estimates, and an independent scipy maximum-likelihood fit
 * of the same data (fixtures/gen_clv.py).
 */
// The package code is I/O-free; only this test reads the public benchmark data from disk.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import reference from '../../fixtures/clv_cdnow.json';
import { bgNbdExpectedPurchases, bgNbdLogLikelihood, fitBgNbd } from './bgnbd';
import { fitGammaGamma, gammaGammaLogLikelihood } from './gamma-gamma';
import { fitParetoNbd, paretoNbdLogLikelihood } from './pareto-nbd';

/** ../shared/datasets/cdnow seen from the project root, the first ancestor holding turbo.json. */
function cdnowDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'turbo.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('CDNOW tests: project root (the folder with turbo.json) not found');
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'datasets', 'cdnow');
}

const DATA = cdnowDirectory();

function readCsv(file: string): Array<Record<string, number>> {
  const path = join(DATA, file);
  if (!existsSync(path)) {
    throw new Error(`CDNOW tests need the public data set at ${path} (see ../shared/datasets/README.md)`);
  }
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const names = (header as string).split(',');
  return lines.map((line) => {
    const values = line.split(',').map(Number);
    return Object.fromEntries(names.map((name, i) => [name, values[i] as number]));
  });
}

const summary = readCsv('cdnow_customers_summary_with_transactions.csv');
const exact = readCsv('cdnow_cbs_exact_weeks.csv');
const customers = summary.map((row) => ({ x: row.x as number, tx: row.t_x as number, T: row.T as number }));
const relError = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('CDNOW sample', () => {
  it('has the 2,357 customers of the published analyses', () => {
    expect(existsSync(DATA), `${DATA}: the shared CDNOW data set`).toBe(true);
    expect(customers).toHaveLength(reference.customers);
    expect(exact).toHaveLength(reference.customers);
  });

  describe('BG/NBD', () => {
    const ref = reference.bgnbd;
    const fit = fitBgNbd(customers);

    it('reproduces Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4', () => {
      expect(fit.converged).toBe(true);
      expect(Math.abs(fit.r - ref.published.r)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.alpha - ref.published.alpha)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.a - ref.published.a)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.b - ref.published.b)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.logLikelihood - ref.published.logLikelihood)).toBeLessThanOrEqual(0.05);
    });

    it('matches the scipy maximum-likelihood fit', () => {
      expect(relError(fit.r, ref.scipy.r)).toBeLessThan(1e-5);
      expect(relError(fit.alpha, ref.scipy.alpha)).toBeLessThan(1e-5);
      expect(relError(fit.a, ref.scipy.a)).toBeLessThan(1e-5);
      expect(relError(fit.b, ref.scipy.b)).toBeLessThan(1e-5);
      expect(fit.logLikelihood).toBeGreaterThanOrEqual(ref.scipy.logLikelihood - 1e-7);
      expect(Math.abs(fit.logLikelihood - ref.scipy.logLikelihood)).toBeLessThan(1e-6);
    });

    it('computes the log-likelihood at the published estimates', () => {
      expect(
        relError(bgNbdLogLikelihood(ref.published, customers), ref.logLikelihoodAtPublished),
      ).toBeLessThan(1e-13);
    });

    it('gives the same fit from typed-array columns', () => {
      const columns = fitBgNbd({
        x: Float64Array.from(customers, (c) => c.x),
        tx: Float64Array.from(customers, (c) => c.tx),
        T: Float64Array.from(customers, (c) => c.T),
      });
      expect(columns.logLikelihood).toBe(fit.logLikelihood);
      expect(columns.r).toBe(fit.r);
    });

    it('forecasts the 39-week holdout of the whole cohort', () => {
      let forecast = 0;
      for (const c of customers)
        forecast += bgNbdExpectedPurchases(ref.scipy, ref.holdout.weeks, c.x, c.tx, c.T);
      expect(relError(forecast, ref.holdout.forecast)).toBeLessThan(1e-12);
      // the model undershoots the actual repeat purchases by about 12% on this sample
      expect(forecast / ref.holdout.actual).toBeGreaterThan(0.8);
      expect(forecast / ref.holdout.actual).toBeLessThan(1);
    });
  });

  describe('Pareto/NBD', () => {
    const ref = reference.paretoNbd;
    const fit = fitParetoNbd(customers);

    it('reproduces r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = −9595.0', () => {
      expect(fit.converged).toBe(true);
      expect(Math.abs(fit.r - ref.published.r)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.alpha - ref.published.alpha)).toBeLessThanOrEqual(0.0005);
      expect(Math.abs(fit.s - ref.published.s)).toBeLessThanOrEqual(0.0005);
      // the likelihood is flat along β: 11.668 and 11.669 differ by 1e-4 in LL
      expect(Math.abs(fit.beta - ref.published.beta)).toBeLessThanOrEqual(0.002);
      expect(Math.abs(fit.logLikelihood - ref.published.logLikelihood)).toBeLessThanOrEqual(0.05);
    });

    it('matches the scipy maximum-likelihood fit', () => {
      expect(relError(fit.r, ref.scipy.r)).toBeLessThan(1e-4);
      expect(relError(fit.alpha, ref.scipy.alpha)).toBeLessThan(1e-4);
      expect(relError(fit.s, ref.scipy.s)).toBeLessThan(1e-4);
      expect(relError(fit.beta, ref.scipy.beta)).toBeLessThan(1e-4);
      expect(Math.abs(fit.logLikelihood - ref.scipy.logLikelihood)).toBeLessThan(1e-6);
    });

    it.each(ref.branches.map((c) => [JSON.stringify(c.params), c] as const))(
      'computes the log-likelihood at %s (both orderings of α and β)',
      (_name, c) => {
        const [r, alpha, s, beta] = c.params as [number, number, number, number];
        expect(
          relError(paretoNbdLogLikelihood({ r, alpha, s, beta }, customers), c.logLikelihood),
        ).toBeLessThan(1e-12);
      },
    );
  });

  describe('Gamma-Gamma', () => {
    const ref = reference.gammaGamma;
    const spend = exact.map((row) => ({ x: row.x as number, mean: row.zbar_repeat as number }));
    const fit = fitGammaGamma(spend);

    it('reproduces Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44 on the 946 repeat buyers', () => {
      expect(fit.converged).toBe(true);
      expect(fit.customers).toBe(ref.customers);
      expect(Math.abs(fit.p - ref.published.p)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(fit.q - ref.published.q)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(fit.gamma - ref.published.gamma)).toBeLessThanOrEqual(0.005);
      expect(fit.logLikelihood).toBeCloseTo(ref.logLikelihoodReference.value, 4);
      // spend and frequency are nearly independent here, as the model assumes
      expect(Math.abs(fit.frequencySpendCorrelation)).toBeLessThan(0.2);
    });

    it('matches the scipy maximum-likelihood fit, on unrounded and on rounded means', () => {
      expect(relError(fit.p, ref.scipy.p)).toBeLessThan(1e-5);
      expect(relError(fit.q, ref.scipy.q)).toBeLessThan(1e-5);
      expect(relError(fit.gamma, ref.scipy.gamma)).toBeLessThan(1e-5);
      expect(Math.abs(fit.logLikelihood - ref.scipy.logLikelihood)).toBeLessThan(1e-6);
      expect(
        relError(gammaGammaLogLikelihood(ref.published, spend), ref.logLikelihoodAtPublished),
      ).toBeLessThan(1e-13);
      const rounded = fitGammaGamma(summary.map((row) => ({ x: row.x as number, mean: row.zbar as number })));
      expect(relError(rounded.gamma, ref.scipyOnRoundedMeans.gamma)).toBeLessThan(1e-5);
      expect(Math.abs(rounded.logLikelihood - ref.scipyOnRoundedMeans.logLikelihood)).toBeLessThan(1e-6);
    });
  });
});
