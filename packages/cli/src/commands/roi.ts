import { Command } from 'commander';
import { breakEvenLift, campaignRoi, type BreakEvenInput, type CampaignRoiInput } from '@liftlab/stats';
import { CliInputError } from '../errors';
import { parseJson, readText, warn, writeJson, type CliIO } from '../io';

const ECONOMICS = [
  'treatedCustomers',
  'horizonMonths',
  'annualDiscountRate',
  'timing',
  'costTiming',
  'costs',
];
const ROI_ONLY = ['incrementalValue', 'srmFlagged'];
const BREAK_EVEN_ONLY = ['grossMargin', 'baselineValuePerCustomerPerMonth'];
const COST_FIELDS: Record<string, string[]> = {
  technology: ['monthlyCost', 'totalCustomers', 'touchedCustomers', 'months', 'startMonth'],
  people: ['hours', 'loadedRate', 'month'],
  content: ['cost', 'usefulLifeMonths', 'monthsUsed', 'startMonth'],
  media: ['amount', 'month'],
  incentives: ['amount', 'month'],
};
const VALUE_FIELDS = ['stream', 'estimate', 'lower', 'upper', 'grossMargin'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isRecord(value)) throw new CliInputError(field, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new CliInputError(
        field ? `${field}.${key}` : key,
        `unknown field (allowed: ${allowed.join(', ')})`,
      );
    }
  }
  return value;
}

function list(value: unknown, field: string, allowed: readonly string[]): void {
  if (!Array.isArray(value)) throw new CliInputError(field, 'must be an array');
  value.forEach((item, i) => object(item, `${field}[${i}]`, allowed));
}

/**
 * Checks the shape of a ROI file (objects, arrays, no unknown or misspelt fields) and leaves the values to the
 * money functions, which name the offending field themselves.
 */
export function checkRoiShape(
  input: unknown,
): { mode: 'roi'; input: CampaignRoiInput } | { mode: 'break-even'; input: BreakEvenInput } {
  const value = object(input, '', [...ECONOMICS, ...ROI_ONLY, ...BREAK_EVEN_ONLY]);
  for (const field of ['treatedCustomers', 'horizonMonths', 'costs']) {
    if (value[field] === undefined) throw new CliInputError(field, 'is required');
  }
  const costs = object(value.costs, 'costs', Object.keys(COST_FIELDS));
  for (const [category, fields] of Object.entries(COST_FIELDS)) {
    if (costs[category] !== undefined) list(costs[category], `costs.${category}`, fields);
  }
  if (value.incrementalValue === undefined) {
    if (value.srmFlagged !== undefined) {
      throw new CliInputError('srmFlagged', 'only applies with incrementalValue (a measured lift)');
    }
    return { mode: 'break-even', input: value as unknown as BreakEvenInput };
  }
  for (const field of BREAK_EVEN_ONLY) {
    if (value[field] !== undefined) {
      throw new CliInputError(
        field,
        'only applies without incrementalValue (break-even mode); give grossMargin per stream',
      );
    }
  }
  if (Array.isArray(value.incrementalValue)) list(value.incrementalValue, 'incrementalValue', VALUE_FIELDS);
  else object(value.incrementalValue, 'incrementalValue', VALUE_FIELDS);
  if (value.srmFlagged !== undefined && typeof value.srmFlagged !== 'boolean') {
    throw new CliInputError('srmFlagged', 'must be true or false');
  }
  return { mode: 'roi', input: value as unknown as CampaignRoiInput };
}

export function roiCommand(io: CliIO): Command {
  return new Command('roi')
    .summary('incremental, discounted return of a campaign, or the lift it needs to break even')
    .description(
      'Read campaign economics (customers treated, horizon, discount rate, costs) as JSON from FILE or "-" for\n' +
        'standard input. With incrementalValue (the measured lift and its interval): the incremental ROI with its\n' +
        'interval, payback month and verdict. Without it: the break-even lift. See docs/cli.md for the fields.',
    )
    .argument('[file]', 'JSON input, or "-" for standard input')
    .action(async (file: string | undefined) => {
      const path = file ?? '-';
      if (path === '-' && io.stdin.isTTY) {
        throw new CliInputError('file', 'give a JSON file or "-" to read standard input');
      }
      const checked = checkRoiShape(
        parseJson(await readText(path, io, 'file'), path === '-' ? 'stdin' : path),
      );
      if (checked.mode === 'roi') {
        const result = campaignRoi(checked.input);
        writeJson(io, { kind: 'roi', ...result });
        if (result.verdict === 'blocked_by_srm') warn(io, result.reason);
      } else {
        writeJson(io, { kind: 'break-even', ...breakEvenLift(checked.input) });
      }
    });
}
