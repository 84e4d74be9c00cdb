import { InvalidArgumentError, Option, type Command } from 'commander';
import { CliInputError } from './errors';
import { parseNumber } from './numbers';

/** Commander value parser for a finite decimal number. */
export function numberArg(value: string): number {
  const parsed = parseNumber(value);
  if (parsed === undefined) throw new InvalidArgumentError('must be a number.');
  return parsed;
}

/** Commander value parser for a positive whole number. */
export function countArg(value: string): number {
  const parsed = parseNumber(value);
  if (parsed === undefined || !Number.isInteger(parsed) || parsed <= 0) {
    throw new InvalidArgumentError('must be a whole number greater than 0.');
  }
  return parsed;
}

/** Commander value parser for repeatable `variant=share` pairs. */
export function weightArg(
  value: string,
  previous: Record<string, number> | undefined,
): Record<string, number> {
  const at = value.lastIndexOf('=');
  const key = at > 0 ? value.slice(0, at) : '';
  const weight = at > 0 ? parseNumber(value.slice(at + 1)) : undefined;
  if (key === '' || weight === undefined || !(weight > 0)) {
    throw new InvalidArgumentError(
      'must look like VARIANT=SHARE with a share greater than 0, e.g. control=0.5.',
    );
  }
  return { ...previous, [key]: weight };
}

/** The analysis flags as commander hands them over; all optional so the JSON's options can fill the gaps. */
export interface AnalysisFlags {
  engine?: string;
  alpha?: number;
  alternative?: string;
  difference?: string;
  sequentialTuning?: number;
  priorMean?: number;
  priorVariance?: number;
  correction?: string;
  srmThreshold?: number;
  weight?: Record<string, number>;
}

/** Where each flag lands in the analysis input, so an error about that field can name the flag instead. */
export const FLAG_OF_FIELD: Record<string, { flag: string; key: keyof AnalysisFlags }> = {
  'options.engine': { flag: '--engine', key: 'engine' },
  'options.alpha': { flag: '--alpha', key: 'alpha' },
  'options.alternative': { flag: '--alternative', key: 'alternative' },
  'options.difference': { flag: '--difference', key: 'difference' },
  'options.sequentialTuning': { flag: '--sequential-tuning', key: 'sequentialTuning' },
  'options.prior.mean': { flag: '--prior-mean', key: 'priorMean' },
  'options.prior.variance': { flag: '--prior-variance', key: 'priorVariance' },
  'options.correction': { flag: '--correction', key: 'correction' },
  'options.srmThreshold': { flag: '--srm-threshold', key: 'srmThreshold' },
};

/** Adds the flags that choose and tune the inference, shared by `analyze` and `demo`. */
export function addAnalysisFlags(command: Command): Command {
  return command
    .addOption(
      new Option('--engine <engine>', 'inference engine (default: frequentist)').choices([
        'frequentist',
        'sequential',
        'bayesian',
      ]),
    )
    .addOption(
      new Option('--alpha <alpha>', 'significance level, 0 < α < 1 (default: 0.05)').argParser(numberArg),
    )
    .addOption(
      new Option('--alternative <alternative>', 'alternative hypothesis (default: two-sided)').choices([
        'two-sided',
        'greater',
        'less',
      ]),
    )
    .addOption(
      new Option(
        '--difference <difference>',
        'relative lift or absolute difference (default: relative)',
      ).choices(['relative', 'absolute']),
    )
    .addOption(
      new Option(
        '--sequential-tuning <units>',
        'planned sample size for the sequential engine (default: 5000)',
      ).argParser(numberArg),
    )
    .addOption(new Option('--prior-mean <mean>', 'Bayesian prior mean of the effect').argParser(numberArg))
    .addOption(
      new Option('--prior-variance <variance>', 'Bayesian prior variance of the effect').argParser(numberArg),
    )
    .addOption(
      new Option(
        '--correction <method>',
        'multiple-testing correction across variants (default: holm)',
      ).choices(['holm', 'bh', 'none']),
    )
    .addOption(
      new Option(
        '--srm-threshold <p>',
        'p-value below which a sample-ratio mismatch is flagged (default: 0.001)',
      ).argParser(numberArg),
    )
    .addOption(
      new Option(
        '--weight <variant=share>',
        'planned traffic share of a variant, repeat for each (default: equal)',
      ).argParser(weightArg),
    );
}

/** The analysis options the flags set (only those given). */
export function optionsFromFlags(flags: AnalysisFlags): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (flags.engine !== undefined) options.engine = flags.engine;
  if (flags.alpha !== undefined) options.alpha = flags.alpha;
  if (flags.alternative !== undefined) options.alternative = flags.alternative;
  if (flags.difference !== undefined) options.difference = flags.difference;
  if (flags.sequentialTuning !== undefined) options.sequentialTuning = flags.sequentialTuning;
  if (flags.correction !== undefined) options.correction = flags.correction;
  if (flags.srmThreshold !== undefined) options.srmThreshold = flags.srmThreshold;
  return options;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Lays the flags over a parsed JSON input: a flag wins over the same option in the file. Input that is not shaped
 * like an analysis is returned untouched so validation reports it.
 */
export function applyFlags(input: unknown, flags: AnalysisFlags): unknown {
  if (!isRecord(input)) return input;
  const fromFlags = optionsFromFlags(flags);
  const hasPrior = flags.priorMean !== undefined || flags.priorVariance !== undefined;
  if (Object.keys(fromFlags).length === 0 && !hasPrior && flags.weight === undefined) return input;
  const result: Record<string, unknown> = { ...input };
  if (Object.keys(fromFlags).length > 0 || hasPrior) {
    if (input.options !== undefined && !isRecord(input.options)) return input;
    const options: Record<string, unknown> = { ...(input.options ?? {}), ...fromFlags };
    if (hasPrior) {
      const prior = isRecord(options.prior) ? { ...options.prior } : {};
      if (flags.priorMean !== undefined) prior.mean = flags.priorMean;
      if (flags.priorVariance !== undefined) prior.variance = flags.priorVariance;
      options.prior = prior;
    }
    result.options = options;
  }
  if (flags.weight !== undefined && Array.isArray(input.variants)) {
    const weights = flags.weight;
    const keys = input.variants.map((v) => (isRecord(v) ? v.key : undefined));
    result.variants = input.variants.map((v) =>
      isRecord(v) && typeof v.key === 'string' && weights[v.key] !== undefined
        ? { ...v, weight: weights[v.key] }
        : v,
    );
    for (const key of Object.keys(weights)) {
      if (!keys.includes(key)) {
        throw new CliInputError(
          '--weight',
          `no variant has key "${key}" (variants: ${keys.map(String).join(', ')})`,
        );
      }
    }
  }
  return result;
}
