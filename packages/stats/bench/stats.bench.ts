/**
 * Analyses per second on sufficient statistics: the cost of one `analyzeExperiment` call (validation, CUPED arm
 * summaries, effects, inference, correction, SRM) for a three-arm experiment, per engine.
 * Run with `npm run bench` in packages/stats.
 */
import { analyzeExperiment, type AnalysisEngine, type AnalysisInput } from '../src/index';

const base: AnalysisInput = {
  metric: { type: 'mean', cuped: true },
  variants: [
    {
      key: 'holdout',
      weight: 0.2,
      n: 20_113,
      sum: 8_211.4,
      sumSquares: 306_652.1,
      preSum: 7_950.2,
      preSumSquares: 280_117.9,
      sumProducts: 199_450.3,
    },
    {
      key: 'upsell-a',
      weight: 0.4,
      n: 40_087,
      sum: 17_402.9,
      sumSquares: 640_330.8,
      preSum: 15_890.7,
      preSumSquares: 561_004.2,
      sumProducts: 410_220.6,
    },
    {
      key: 'upsell-b',
      weight: 0.4,
      n: 39_950,
      sum: 16_980.1,
      sumSquares: 622_870.5,
      preSum: 15_801.3,
      preSumSquares: 557_310.4,
      sumProducts: 401_882.9,
    },
  ],
};

function rate(engine: AnalysisEngine, millis: number): number {
  const input: AnalysisInput = {
    ...base,
    options: { engine, correction: 'holm', prior: { mean: 0, variance: 0.09 } },
  };
  for (let i = 0; i < 2_000; i++) analyzeExperiment(input); // warm up the JIT
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < millis) {
    for (let i = 0; i < 500; i++) analyzeExperiment(input);
    count += 500;
    elapsed = performance.now() - start;
  }
  return (count / elapsed) * 1000;
}

const format = (x: number): string => Math.round(x).toLocaleString('en-US');
const engines: AnalysisEngine[] = ['frequentist', 'sequential', 'bayesian'];
const rates = engines.map((engine) => `${format(rate(engine, 1500))}/s ${engine}`);
console.log(
  `stats bench: analyzeExperiment on sufficient statistics (3 arms, CUPED): ${rates.join(', ')} analyses`,
);
