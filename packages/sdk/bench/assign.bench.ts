/**
 * Assignments per second in-process: Liftlab's SDK versus the @growthbook/growthbook SDK on the same workload
 * (same experiments, same customer ids), in the same run. Both hash with GrowthBook's v2 algorithm, so the
 * comparison is of evaluation overhead, not of different maths.
 */
import { GrowthBookClient, type Experiment } from '@growthbook/growthbook';
import { evaluateExperiment, type SdkExperiment } from '../src/index';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const experiments: SdkExperiment[] = Array.from({ length: 10 }, (_, i) => ({
  key: `bench-exp-${i}`,
  kind: 'ab',
  seed: `bench-exp-${i}`,
  hashVersion: 2,
  coverage: i % 2 === 0 ? 1 : 0.5,
  variants: [
    { key: 'control', weight: 0.34, isControl: true },
    { key: 'a', weight: 0.33, isControl: false },
    { key: 'b', weight: 0.33, isControl: false },
  ],
  namespace: i === 9 ? ['bench-ns', 0, 0.5] : null,
  targeting: [],
}));
const ids = Array.from({ length: CUSTOMERS }, (_, i) => `customer-${i}`);

function timeIt(run: () => number): { perSecond: number; checksum: number } {
  let best = Infinity;
  let checksum = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    checksum = run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, seconds);
  }
  return { perSecond: (ids.length * experiments.length) / best, checksum };
}

const liftlab = timeIt(() => {
  let sum = 0;
  for (const id of ids) for (const exp of experiments) sum += evaluateExperiment(exp, { id }).variantIndex;
  return sum;
});

const gb = new GrowthBookClient({});
const gbExperiments: Experiment<number>[] = experiments.map((e) => ({
  key: e.key,
  seed: e.seed,
  hashVersion: 2,
  coverage: e.coverage,
  weights: e.variants.map((v) => v.weight),
  variations: e.variants.map((_, i) => i) as [number, number, ...number[]],
  ...(e.namespace ? { namespace: e.namespace } : {}),
}));
const growthbook = timeIt(() => {
  let sum = 0;
  for (const id of ids) {
    const user = { attributes: { id } };
    for (const exp of gbExperiments) {
      const r = gb.runInlineExperiment(exp, user);
      sum += r.inExperiment ? r.variationId : -1;
    }
  }
  return sum;
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `workload: ${fmt(ids.length)} customers x ${experiments.length} experiments, best of ${ROUNDS} rounds`,
);
console.log(`liftlab sdk:            ${fmt(liftlab.perSecond)} assignments/s`);
console.log(`@growthbook/growthbook: ${fmt(growthbook.perSecond)} assignments/s`);
console.log(`ratio (liftlab / growthbook): ${(liftlab.perSecond / growthbook.perSecond).toFixed(2)}x`);
if (liftlab.checksum !== growthbook.checksum) {
  console.error(`assignments differ: checksum ${liftlab.checksum} vs ${growthbook.checksum}`);
  process.exitCode = 1;
}
