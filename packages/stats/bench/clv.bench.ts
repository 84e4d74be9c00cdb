/**
 * Fit times of the customer-lifetime-value models: the CDNOW sample (2,357 customers, from
 * ../shared/datasets/cdnow next to the project root) and a million customers simulated from the BG/NBD
 * process with a seeded generator, once with purchase dates on whole days (as real data arrive) and once in
 * continuous time (every customer distinct: the worst case for grouping).
 * Run with `npm run bench` in packages/stats.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitBgNbd, fitGammaGamma, fitParetoNbd, type CustomerRfm } from '../src/index';
import { groupCustomers } from '../src/clv/customers';
import { simulateBgNbd } from '../src/clv/simulate';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cdnow = join(root, '..', 'shared', 'datasets', 'cdnow');

function readCsv(file: string): number[][] {
  const path = join(cdnow, file);
  if (!existsSync(path)) throw new Error(`clv bench needs the CDNOW data set at ${path}`);
  return readFileSync(path, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(',').map(Number));
}

/**
 * Median wall time in milliseconds of `runs` calls after `warmup` untimed ones, with the CPU time of that
 * call (on a shared machine the wall time includes waiting for a core).
 */
function time<T>(fn: () => T, runs: number, warmup = 2): { ms: number; cpuMs: number; result: T } {
  let result = warmup > 0 ? fn() : (undefined as T);
  for (let i = 1; i < warmup; i++) result = fn();
  const times: Array<[number, number]> = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = fn();
    const used = process.cpuUsage(cpu);
    times.push([performance.now() - start, (used.user + used.system) / 1000]);
  }
  times.sort((a, b) => a[0] - b[0]);
  const [ms, cpuMs] = times[Math.floor(times.length / 2)] as [number, number];
  return { ms, cpuMs, result };
}

const ms = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;

const summary = readCsv('cdnow_customers_summary_with_transactions.csv');
const customers: CustomerRfm[] = summary.map((r) => ({
  x: r[1] as number,
  tx: r[2] as number,
  T: r[3] as number,
}));
const spend = readCsv('cdnow_cbs_exact_weeks.csv').map((r) => ({ x: r[1] as number, mean: r[5] as number }));

const cold = performance.now();
fitBgNbd(customers);
const coldMs = performance.now() - cold;
const bg = time(() => fitBgNbd(customers), 15);
const pn = time(() => fitParetoNbd(customers), 5, 1);
const gg = time(() => fitGammaGamma(spend), 15);
console.log(
  `clv bench: CDNOW (2,357 customers): BG/NBD ${ms(bg.ms)} (first call ${ms(coldMs)}, ${bg.result.iterations} ` +
    `iterations, LL ${bg.result.logLikelihood.toFixed(1)}), Pareto/NBD ${ms(pn.ms)}, Gamma-Gamma ${ms(gg.ms)}`,
);

const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
for (const [label, resolution] of [
  ['whole days', 1 / 7],
  ['continuous time', 0],
] as const) {
  const simStart = performance.now();
  const data = simulateBgNbd(truth, 1_000_000, { seed: 7, minT: 0.5, maxT: 78, resolution });
  const simMs = performance.now() - simStart;
  const group = time(() => groupCustomers(data), 1, 1);
  const fit = time(() => fitBgNbd(data), 1, 0);
  const f = fit.result;
  console.log(
    `clv bench: 1,000,000 simulated customers (${label}, ${group.result.groups.toLocaleString('en-US')} distinct ` +
      `(x, tx, T)): BG/NBD fit ${ms(fit.ms)} (CPU ${ms(fit.cpuMs)}) incl. grouping ${ms(group.ms)}; ` +
      `simulation ${ms(simMs)}; ` +
      `r=${f.r.toFixed(3)} α=${f.alpha.toFixed(3)} a=${f.a.toFixed(3)} b=${f.b.toFixed(3)} ` +
      `(truth 0.243, 4.414, 0.793, 2.426), ${f.iterations} iterations, converged ${f.converged}`,
  );
}
