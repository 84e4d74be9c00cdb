import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import {
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  discountedClv,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  StatsInputError,
  type BgNbdFit,
  type GammaGammaFit,
} from '@liftlab/stats';
import { dayNumber, dayToIso, readRfm, readTransactions, summarize, type RfmRow } from '../clv';
import { CliInputError } from '../errors';
import { openInput, warn, writeJson, type CliIO } from '../io';
import { countArg, numberArg } from '../options';
import { csvLine } from './import';

interface ClvFlags {
  input: 'transactions' | 'rfm';
  customerColumn: string;
  dateColumn: string;
  amountColumn: string;
  frequencyColumn: string;
  recencyColumn: string;
  ageColumn: string;
  monetaryColumn: string;
  calibrationEnd?: string;
  holdoutEnd?: string;
  timeUnit: 'day' | 'week';
  horizon: number;
  discountRate: number;
  margin: number;
  format: 'table' | 'csv' | 'json';
  progress: boolean;
}

interface Prediction extends RfmRow {
  predictedPurchases: number;
  probabilityAlive: number;
  expectedSpend: number;
  clv: number;
}

const UNIT_DAYS = { day: 1, week: 7 } as const;
/** Last holdout bin: customers with this many calibration repeat purchases or more. */
const LAST_BIN = 7;

function progressBar(io: CliIO, enabled: boolean, format: string): cliProgress.SingleBar | undefined {
  if (!enabled || io.stderr.isTTY !== true) return undefined;
  return new cliProgress.SingleBar(
    { stream: io.stderr, format, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}

async function readInput(
  file: string,
  flags: ClvFlags,
  io: CliIO,
): Promise<{ rows: RfmRow[]; rowsRead: number; calibrationEnd: string | null; holdoutEnd: string | null }> {
  const { stream, size } = await openInput(file, io, 'file');
  const bar =
    size !== undefined && size > 0
      ? progressBar(io, flags.progress, 'reading [{bar}] {percentage}% | {rows} rows')
      : undefined;
  let rows = 0;
  if (bar) {
    let bytes = 0;
    bar.start(size as number, 0, { rows: 0 });
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      bar.update(bytes, { rows });
    });
  }
  const onRow = (n: number) => {
    rows = n;
  };
  try {
    if (flags.input === 'rfm') {
      if (flags.calibrationEnd !== undefined || flags.holdoutEnd !== undefined) {
        throw new CliInputError('--calibration-end', 'applies to transactions only (--input transactions)');
      }
      const read = await readRfm(
        stream,
        {
          idColumn: flags.customerColumn,
          frequencyColumn: flags.frequencyColumn,
          recencyColumn: flags.recencyColumn,
          ageColumn: flags.ageColumn,
          monetaryColumn: flags.monetaryColumn,
        },
        onRow,
      );
      reportRejected(io, read.rejected, read.rowsRead);
      return { rows: read.rows, rowsRead: read.rowsRead, calibrationEnd: null, holdoutEnd: null };
    }
    const read = await readTransactions(
      stream,
      {
        customerColumn: flags.customerColumn,
        dateColumn: flags.dateColumn,
        amountColumn: flags.amountColumn,
      },
      onRow,
    );
    reportRejected(io, read.rejected, read.rowsRead);
    if (read.customers.length === 0) throw new CliInputError('file', 'has no usable transaction rows');
    const lastDay = Math.max(...read.customers.map((c) => c.days.at(-1) as number));
    const end =
      flags.calibrationEnd !== undefined ? parseDay(flags.calibrationEnd, '--calibration-end') : lastDay;
    const holdout = flags.holdoutEnd !== undefined ? parseDay(flags.holdoutEnd, '--holdout-end') : undefined;
    if (holdout !== undefined && holdout <= end) {
      throw new CliInputError('--holdout-end', 'must come after --calibration-end');
    }
    const summary = summarize(read.customers, end, UNIT_DAYS[flags.timeUnit], holdout);
    if (summary.notYetCustomers > 0) {
      warn(
        io,
        `${summary.notYetCustomers} customers first bought after the calibration end and are left out`,
      );
    }
    if (summary.sameDayCustomers > 0) {
      warn(
        io,
        `${summary.sameDayCustomers} customers first bought on the calibration end day (T = 0) and are left out`,
      );
    }
    return {
      rows: summary.rows,
      rowsRead: read.rowsRead,
      calibrationEnd: dayToIso(end),
      holdoutEnd: holdout !== undefined ? dayToIso(holdout) : null,
    };
  } finally {
    bar?.stop();
  }
}

function parseDay(text: string, flag: string): number {
  const day = dayNumber(text);
  if (day === undefined) throw new CliInputError(flag, 'must be a date (YYYY-MM-DD)');
  return day;
}

function reportRejected(
  io: CliIO,
  rejected: { count: number; examples: { row: number; reason: string }[] },
  rows: number,
) {
  if (rejected.count === 0) return;
  const first = rejected.examples[0];
  warn(
    io,
    `${rejected.count} of ${rows} rows were not used${first ? ` (first: row ${first.row}, ${first.reason})` : ''}`,
  );
}

/**
 * Largest a + b kept from a BG/NBD fit: when customers drop out with practically the same probability, the
 * likelihood keeps rising as a, b → ∞ at a fixed mean a/(a + b), and the forecast series would need ~a terms.
 * At a + b = 100 the drop-out Beta’s standard deviation is at most 0.05 (same rule as the platform's fit).
 */
const MAX_DROPOUT_CONCENTRATION = 100;

function fit(rows: readonly RfmRow[], io: CliIO): { bg: BgNbdFit; gg: GammaGammaFit } {
  if (rows.length === 0) throw new CliInputError('file', 'has no customer to fit');
  const columns = { x: rows.map((r) => r.x), tx: rows.map((r) => r.tx), T: rows.map((r) => r.T) };
  let bg = fitBgNbd(columns);
  if (bg.a + bg.b > MAX_DROPOUT_CONCENTRATION) {
    const k = MAX_DROPOUT_CONCENTRATION / (bg.a + bg.b);
    const capped = { r: bg.r, alpha: bg.alpha, a: bg.a * k, b: bg.b * k };
    warn(
      io,
      `drop-out probabilities hardly vary (a + b = ${(bg.a + bg.b).toExponential(2)}): kept at a + b = ` +
        `${MAX_DROPOUT_CONCENTRATION} with the same mean`,
    );
    bg = { ...bg, ...capped, logLikelihood: bgNbdLogLikelihood(capped, columns), converged: true };
  }
  const spenders = rows.filter((r) => r.x > 0 && r.monetary > 0);
  const gg = fitGammaGamma({ x: spenders.map((r) => r.x), mean: spenders.map((r) => r.monetary) });
  return { bg, gg };
}

function predict(
  rows: readonly RfmRow[],
  model: { bg: BgNbdFit; gg: GammaGammaFit },
  flags: ClvFlags,
  io: CliIO,
): Prediction[] {
  const bar = progressBar(io, flags.progress, 'predicting [{bar}] {percentage}% | {value}/{total} customers');
  bar?.start(rows.length, 0);
  const out: Prediction[] = [];
  // Customers sharing (x, t_x, T) share the purchase forecast; only the spend differs.
  const cache = new Map<string, { purchases: number; alive: number; perSpend: number }>();
  try {
    rows.forEach((r, i) => {
      const key = `${r.x}|${r.tx}|${r.T}`;
      let hit = cache.get(key);
      if (!hit) {
        const unit = discountedClv({
          bgnbd: model.bg,
          gg: model.gg,
          x: r.x,
          tx: r.tx,
          T: r.T,
          mean: 1,
          timeUnit: flags.timeUnit,
          horizonMonths: flags.horizon,
          annualRate: flags.discountRate,
          margin: flags.margin,
        });
        hit = {
          purchases: unit.expectedPurchases,
          alive: unit.probabilityAlive,
          perSpend: unit.clv / unit.expectedSpend,
        };
        cache.set(key, hit);
      }
      // A repeat customer whose repeat purchases were all free gets the model's spend for a mean → 0.
      const value = gammaGammaExpectedSpend(model.gg, r.x, r.x > 0 ? Math.max(r.monetary, 1e-12) : 0);
      out.push({
        ...r,
        predictedPurchases: hit.purchases,
        probabilityAlive: hit.alive,
        expectedSpend: value,
        clv: value * hit.perSpend,
      });
      if (bar && i % 500 === 0) bar.update(i);
    });
  } finally {
    bar?.update(rows.length);
    bar?.stop();
  }
  return out;
}

/** Mean holdout purchases per customer, actual and forecast, by calibration repeat purchases (0 … 7+). */
function holdoutCheck(predictions: readonly Prediction[], bg: BgNbdFit, holdoutUnits: number) {
  const bins = Array.from({ length: LAST_BIN + 1 }, (_, x) => ({
    x,
    andMore: x === LAST_BIN,
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  let actual = 0;
  let predicted = 0;
  for (const p of predictions) {
    const forecast = bgNbdExpectedPurchases(bg, holdoutUnits, p.x, p.tx, p.T);
    const bin = bins[Math.min(p.x, LAST_BIN)] as (typeof bins)[number];
    bin.customers++;
    bin.actual += p.holdoutPurchases ?? 0;
    bin.predicted += forecast;
    actual += p.holdoutPurchases ?? 0;
    predicted += forecast;
  }
  return {
    totals: { actual, predicted },
    bins: bins
      .filter((b) => b.customers > 0)
      .map((b) => ({ ...b, actual: b.actual / b.customers, predicted: b.predicted / b.customers })),
  };
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

async function clv(file: string, flags: ClvFlags, io: CliIO): Promise<void> {
  if (file === '-' && io.stdin.isTTY)
    throw new CliInputError('file', 'give a CSV file or "-" for standard input');
  if (!(flags.discountRate >= 0)) throw new CliInputError('--discount-rate', 'must be an annual rate ≥ 0');
  if (!(flags.margin >= 0 && flags.margin <= 1))
    throw new CliInputError('--margin', 'must be between 0 and 1');
  if (flags.holdoutEnd !== undefined && flags.input === 'rfm') {
    throw new CliInputError('--holdout-end', 'applies to transactions only (--input transactions)');
  }
  const input = await readInput(file, flags, io);
  let model: { bg: BgNbdFit; gg: GammaGammaFit };
  try {
    model = fit(input.rows, io);
  } catch (error) {
    if (error instanceof StatsInputError)
      throw new CliInputError('file', `cannot be fitted: ${error.field} ${error.rule}`);
    throw error;
  }
  const predictions = predict(input.rows, model, flags, io);
  const holdout =
    input.holdoutEnd !== null && input.calibrationEnd !== null
      ? holdoutCheck(
          predictions,
          model.bg,
          ((dayNumber(input.holdoutEnd) as number) - (dayNumber(input.calibrationEnd) as number)) /
            UNIT_DAYS[flags.timeUnit],
        )
      : null;
  const { bg, gg } = model;
  const params = {
    timeUnit: flags.timeUnit,
    bgnbd: {
      r: bg.r,
      alpha: bg.alpha,
      a: bg.a,
      b: bg.b,
      logLikelihood: bg.logLikelihood,
      converged: bg.converged,
    },
    gammaGamma: {
      p: gg.p,
      q: gg.q,
      gamma: gg.gamma,
      logLikelihood: gg.logLikelihood,
      converged: gg.converged,
      customers: gg.customers,
      frequencySpendCorrelation: gg.frequencySpendCorrelation,
    },
  };
  if (!bg.converged || !gg.converged)
    warn(io, 'the fit did not fully converge; the estimates are the best point found');
  const total = predictions.reduce((s, p) => s + p.clv, 0);

  if (flags.format === 'json') {
    writeJson(io, {
      rowsRead: input.rowsRead,
      customers: predictions.length,
      calibrationEnd: input.calibrationEnd,
      holdoutEnd: input.holdoutEnd,
      horizonMonths: flags.horizon,
      annualDiscountRate: flags.discountRate,
      margin: flags.margin,
      params,
      totalClv: total,
      holdout,
      predictions: predictions.map((p) => ({
        id: p.id,
        x: p.x,
        tx: p.tx,
        T: p.T,
        monetary: p.monetary,
        predictedPurchases: p.predictedPurchases,
        probabilityAlive: p.probabilityAlive,
        expectedSpend: p.expectedSpend,
        clv: p.clv,
        ...(p.holdoutPurchases !== undefined ? { holdoutPurchases: p.holdoutPurchases } : {}),
      })),
    });
    return;
  }
  if (flags.format === 'csv') {
    const lines = [
      csvLine([
        'customer_id',
        'x',
        't_x',
        'T',
        'monetary',
        'predicted_purchases',
        'p_alive',
        'expected_spend',
        'clv',
      ]),
    ];
    for (const p of predictions) {
      lines.push(
        csvLine([
          p.id,
          String(p.x),
          String(p.tx),
          String(p.T),
          String(p.monetary),
          String(p.predictedPurchases),
          String(p.probabilityAlive),
          String(p.expectedSpend),
          String(p.clv),
        ]),
      );
    }
    io.stdout.write(lines.join('\n') + '\n');
    io.stderr.write(summaryText(params, predictions.length, total, holdout, flags));
    return;
  }
  io.stdout.write(summaryText(params, predictions.length, total, holdout, flags));
  const top = [...predictions].sort((a, b) => b.clv - a.clv).slice(0, 10);
  io.stdout.write('\ntop customers by CLV\n');
  for (const p of top) {
    io.stdout.write(
      `  ${p.id.padEnd(12)} x=${String(p.x).padStart(3)}  P(alive)=${p.probabilityAlive.toFixed(3)}  ` +
        `purchases=${p.predictedPurchases.toFixed(2)}  clv=${p.clv.toFixed(2)}\n`,
    );
  }
}

function summaryText(
  params: {
    bgnbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number };
    gammaGamma: { p: number; q: number; gamma: number; logLikelihood: number };
  },
  customers: number,
  total: number,
  holdout: ReturnType<typeof holdoutCheck> | null,
  flags: ClvFlags,
): string {
  const b = params.bgnbd;
  const g = params.gammaGamma;
  const lines = [
    `customers        ${customers}`,
    `BG/NBD (${flags.timeUnit}s)   r=${round(b.r, 4)} alpha=${round(b.alpha, 4)} a=${round(b.a, 4)} b=${round(b.b, 4)}  LL=${b.logLikelihood.toFixed(2)}`,
    `Gamma-Gamma      p=${round(g.p, 4)} q=${round(g.q, 4)} gamma=${round(g.gamma, 4)}  LL=${g.logLikelihood.toFixed(2)}`,
    `CLV over ${flags.horizon} months at ${(flags.discountRate * 100).toFixed(1)}%/year: total ${total.toFixed(2)}, ` +
      `mean ${(customers > 0 ? total / customers : 0).toFixed(2)}`,
  ];
  if (holdout) {
    lines.push(
      `holdout purchases: actual ${holdout.totals.actual}, predicted ${holdout.totals.predicted.toFixed(1)}`,
      '  x    customers  actual  predicted',
      ...holdout.bins.map(
        (bin) =>
          `  ${`${bin.x}${bin.andMore ? '+' : ''}`.padEnd(4)} ${String(bin.customers).padStart(9)}  ${bin.actual.toFixed(3).padStart(6)}  ${bin.predicted.toFixed(3).padStart(9)}`,
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function rateArg(value: string): number {
  const n = numberArg(value);
  if (!(n >= 0)) throw new InvalidArgumentError('must be a rate ≥ 0 (0.1 = 10% a year).');
  return n;
}

export function clvCommand(io: CliIO): Command {
  return new Command('clv')
    .summary('fit BG/NBD + Gamma-Gamma and predict each customer’s purchases, P(alive) and discounted CLV')
    .description(
      'Reads transactions (customer, date, amount; same-day purchases merged) or an RFM summary (x, t_x, T, ' +
        'mean repeat value) from FILE ("-" for standard input), fits the BG/NBD purchase model and the ' +
        'Gamma-Gamma spend model by maximum likelihood, and prints the parameters and per-customer predictions; ' +
        'with --holdout-end, also predicted vs actual purchases after the calibration end. See docs/customer-value.md.',
    )
    .argument('<file>', 'CSV file, or "-" for standard input')
    .addOption(
      new Option('--input <kind>', 'what the rows are')
        .choices(['transactions', 'rfm'])
        .default('transactions'),
    )
    .option('--customer-column <column>', 'column with the customer id', 'customer_id')
    .option('--date-column <column>', 'transactions: column with the date (YYYY-MM-DD or YYYYMMDD)', 'date')
    .option('--amount-column <column>', 'transactions: column with the amount', 'amount')
    .option('--frequency-column <column>', 'rfm: repeat purchases', 'x')
    .option('--recency-column <column>', 'rfm: time of the last repeat purchase since the first', 't_x')
    .option('--age-column <column>', 'rfm: time since the first purchase (T)', 'T')
    .option('--monetary-column <column>', 'rfm: mean value of the repeat purchases', 'monetary')
    .option(
      '--calibration-end <date>',
      'transactions: last day of the calibration period (default: last date)',
    )
    .option(
      '--holdout-end <date>',
      'transactions: last day of a holdout period to check the forecast against',
    )
    .addOption(
      new Option('--time-unit <unit>', 'time unit of the fit').choices(['day', 'week']).default('week'),
    )
    .option('--horizon <months>', 'months of future purchases to value', countArg, 12)
    .option('--discount-rate <rate>', 'annual discount rate (0.1 = 10%)', rateArg, 0.1)
    .option('--margin <share>', 'gross margin applied to the spend (1 = revenue)', numberArg, 1)
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'),
    )
    .option('--no-progress', 'no progress bars on stderr')
    .action(async (file: string, flags: ClvFlags) => {
      await clv(file, flags, io);
    });
}
