import { Command, InvalidArgumentError, Option } from 'commander';
import {
  minimumDetectableEffect,
  powerAnalysis,
  sampleSize,
  StatsInputError,
  type PowerDesign,
  type PowerMetric,
} from '@liftlab/stats';
import { CliInputError } from '../errors';
import { writeJson, type CliIO } from '../io';
import { parseNumber } from '../numbers';
import { countArg, numberArg } from '../options';

interface PowerFlags {
  baseline?: number;
  sd?: number;
  mde?: number;
  absolute?: boolean;
  units?: number;
  share?: number;
  holdout?: number;
  armWeights?: number[];
  alpha?: number;
  power?: number;
  alternative?: 'two-sided' | 'greater' | 'less';
  correction?: 'none' | 'bonferroni';
  dailyTraffic?: number;
  sequential?: boolean;
  sequentialTuning?: number;
}

function weightsArg(value: string): number[] {
  const weights = value.split(',').map((part) => parseNumber(part));
  if (weights.length < 2 || weights.some((w) => w === undefined)) {
    throw new InvalidArgumentError('must be comma-separated numbers, the holdout first, e.g. 0.1,0.45,0.45.');
  }
  return weights as number[];
}

/** Power-module fields and the flags that set them, so errors name what the user typed. */
function flagFor(field: string, flags: PowerFlags): string {
  if (field === 'treatmentShare') return flags.holdout !== undefined ? '--holdout' : '--share';
  if (field.startsWith('armWeights')) return '--arm-weights';
  const map: Record<string, string> = {
    'metric.baselineRate': '--baseline',
    'metric.baselineMean': '--baseline',
    'metric.standardDeviation': '--sd',
    lift: '--mde',
    totalUnits: '--units',
    alpha: '--alpha',
    power: '--power',
    dailyTraffic: '--daily-traffic',
    'sequential.tuning': '--sequential-tuning',
  };
  return map[field] ?? field;
}

function design(flags: PowerFlags): PowerDesign {
  if (flags.baseline === undefined) {
    throw new CliInputError('--baseline', 'is required (the control conversion rate, or its mean with --sd)');
  }
  if (flags.share !== undefined && flags.holdout !== undefined) {
    throw new CliInputError('--holdout', 'give either --share or --holdout, not both');
  }
  if (flags.armWeights !== undefined && (flags.share !== undefined || flags.holdout !== undefined)) {
    throw new CliInputError('--arm-weights', 'give either --arm-weights or --share/--holdout, not both');
  }
  if (flags.sequentialTuning !== undefined && !flags.sequential) {
    throw new CliInputError('--sequential-tuning', 'only applies with --sequential');
  }
  const metric: PowerMetric =
    flags.sd === undefined
      ? { type: 'proportion', baselineRate: flags.baseline }
      : { type: 'mean', baselineMean: flags.baseline, standardDeviation: flags.sd };
  const result: PowerDesign = { metric };
  if (flags.share !== undefined) result.treatmentShare = flags.share;
  if (flags.holdout !== undefined) {
    if (!(flags.holdout > 0 && flags.holdout < 1)) {
      throw new CliInputError('--holdout', 'must lie strictly between 0 and 1');
    }
    result.treatmentShare = 1 - flags.holdout;
  }
  if (flags.armWeights !== undefined) result.armWeights = flags.armWeights;
  if (flags.alpha !== undefined) result.alpha = flags.alpha;
  if (flags.alternative !== undefined) result.alternative = flags.alternative;
  if (flags.correction !== undefined) result.correction = flags.correction;
  if (flags.dailyTraffic !== undefined) result.dailyTraffic = flags.dailyTraffic;
  if (flags.sequential) result.sequential = { tuning: flags.sequentialTuning ?? 5000 };
  return result;
}

/** Which question the flags ask: units for a lift, the lift for some units, or the power of both. */
export function plan(flags: PowerFlags): Record<string, unknown> {
  const base = design(flags);
  const difference = flags.absolute ? 'absolute' : 'relative';
  try {
    if (flags.mde !== undefined && flags.units !== undefined) {
      if (flags.power !== undefined)
        throw new CliInputError('--power', 'give --power only without --units or --mde');
      return {
        plan: 'power',
        ...powerAnalysis({ ...base, lift: flags.mde, difference, totalUnits: flags.units }),
      };
    }
    if (flags.mde !== undefined) {
      const target = flags.power !== undefined ? { power: flags.power } : {};
      return { plan: 'sample-size', ...sampleSize({ ...base, ...target, lift: flags.mde, difference }) };
    }
    if (flags.units !== undefined) {
      if (flags.absolute) throw new CliInputError('--absolute', 'only applies with --mde');
      const target = flags.power !== undefined ? { power: flags.power } : {};
      return {
        plan: 'minimum-detectable-effect',
        ...minimumDetectableEffect({ ...base, ...target, totalUnits: flags.units }),
      };
    }
  } catch (error) {
    if (error instanceof StatsInputError) throw new CliInputError(flagFor(error.field, flags), error.rule);
    throw error;
  }
  throw new CliInputError(
    '--mde',
    'give --mde (for the units needed), --units (for the detectable lift), or both (for the power)',
  );
}

export function powerCommand(io: CliIO): Command {
  return new Command('power')
    .summary('plan an experiment: sample size, minimum detectable lift or power')
    .description(
      'Plan a holdout test. With --mde: the units needed to detect that lift. With --units: the smallest lift\n' +
        'those units detect. With both: the power. A proportion metric by default (--baseline is the conversion\n' +
        'rate); give --sd for a mean metric (--baseline is then the mean per customer).',
    )
    .addOption(
      new Option('--baseline <value>', 'control conversion rate, or control mean with --sd').argParser(
        numberArg,
      ),
    )
    .addOption(
      new Option('--sd <value>', 'per-customer standard deviation of a mean metric').argParser(numberArg),
    )
    .addOption(
      new Option('--mde <lift>', 'lift to detect, relative (0.05 = +5%) unless --absolute').argParser(
        numberArg,
      ),
    )
    .option('--absolute', 'read --mde in metric units instead of relative to the baseline')
    .addOption(new Option('--units <count>', 'customers available in all arms together').argParser(countArg))
    .addOption(
      new Option('--share <share>', 'share of customers who get the campaign (default: 0.5)').argParser(
        numberArg,
      ),
    )
    .addOption(
      new Option('--holdout <share>', 'share of customers held out as control (1 − share)').argParser(
        numberArg,
      ),
    )
    .addOption(
      new Option(
        '--arm-weights <weights>',
        'traffic weights for several variants, holdout first: 0.1,0.45,0.45',
      ).argParser(weightsArg),
    )
    .addOption(new Option('--alpha <alpha>', 'false-positive rate (default: 0.05)').argParser(numberArg))
    .addOption(new Option('--power <power>', 'target power (default: 0.8)').argParser(numberArg))
    .addOption(
      new Option('--alternative <alternative>', 'alternative hypothesis (default: two-sided)').choices([
        'two-sided',
        'greater',
        'less',
      ]),
    )
    .addOption(
      new Option('--correction <method>', 'split alpha across variants (default: none)').choices([
        'none',
        'bonferroni',
      ]),
    )
    .addOption(
      new Option('--daily-traffic <units>', 'customers entering per day, for a duration in days').argParser(
        numberArg,
      ),
    )
    .option('--sequential', 'plan for an always-valid analysis that may be read at any time')
    .addOption(
      new Option(
        '--sequential-tuning <units>',
        'planned sample size of the sequential analysis (default: 5000)',
      ).argParser(numberArg),
    )
    .action((flags: PowerFlags) => {
      writeJson(io, plan(flags));
    });
}
