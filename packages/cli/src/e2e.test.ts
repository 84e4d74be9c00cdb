/**
 * End-to-end: spawns the built bin (`node dist/bin.js`) as an analyst would run it. Build first (`npx tsup`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeExperiment,
  campaignRoi,
  sampleSize,
  type AnalysisInput,
  type CampaignRoiInput,
} from '@liftlab/stats';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(packageDir, 'dist', 'bin.js');
const fixture = (name: string): string => join(packageDir, 'fixtures', name);
const example = JSON.parse(readFileSync(fixture('example.json'), 'utf8')) as AnalysisInput;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function liftlab(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: packageDir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** JSON.parse of our output, with the nulls that stand for infinite bounds left as null. */
const json = (run: Run): Record<string, unknown> => JSON.parse(run.stdout) as Record<string, unknown>;
/** What the library returns, as it looks after a JSON round trip (Infinity → null). */
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

let dir: string;
beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (npx tsup in packages/cli)`);
  dir = await mkdtemp(join(tmpdir(), 'liftlab-e2e-'));
});

/** Sets (or, for undefined, deletes) the value at a dotted path such as `variants.1.n`. */
function edit(target: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.reduce((node, key) => (node as Record<string, unknown>)[key], target) as Record<
    string,
    unknown
  >;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

/** The parts of a CSV analysis the tests read. */
interface CsvOutput {
  input: AnalysisInput;
  control: { key: string };
  metric: unknown;
  results: Array<{ key: string }>;
  rowsRead: number;
  rejectedRows: unknown;
}

async function writeInput(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('liftlab analyze (JSON)', () => {
  it('analyses a JSON file and prints the library result', async () => {
    const run = await liftlab(['analyze', fixture('example.json')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const output = json(run);
    expect(output).toEqual(roundTrip(analyzeExperiment(example)));
    const [result] = output.results as Array<Record<string, unknown>>;
    expect(Object.keys(result ?? {})).toEqual(
      expect.arrayContaining(['key', 'estimate', 'se', 'ci', 'pValue']),
    );
    expect(output.srm).toEqual({
      chiSquare: expect.any(Number),
      dof: 1,
      pValue: expect.any(Number),
      flagged: false,
    });
  });

  it('reads standard input with "-" and when no file is given', async () => {
    const text = readFileSync(fixture('example.json'), 'utf8');
    const [dash, none, file] = await Promise.all([
      liftlab(['analyze', '-'], text),
      liftlab(['analyze'], text),
      liftlab(['analyze', fixture('example.json')]),
    ]);
    expect(dash.code).toBe(0);
    expect(dash.stdout).toBe(file.stdout);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(file.stdout);
  });

  it('lets flags override the options of the file', async () => {
    const run = await liftlab([
      'analyze',
      fixture('example.json'),
      '--engine',
      'bayesian',
      '--prior-variance',
      '0.04',
    ]);
    expect(run.code).toBe(0);
    const expected = analyzeExperiment({
      ...example,
      options: { ...example.options, engine: 'bayesian', prior: { mean: 0, variance: 0.04 } },
    });
    expect(json(run)).toEqual(roundTrip(expected));
    const [result] = expected.results;
    expect(result?.chanceToWin).toBeGreaterThan(0);
    expect(result?.risk).toBeDefined();
    expect(result?.pValue).toBeUndefined();
  });

  it('prints one-sided bounds as null', async () => {
    const run = await liftlab(['analyze', fixture('example.json'), '--alternative', 'greater']);
    expect(run.code).toBe(0);
    const [result] = json(run).results as Array<{ ci: [number, number | null] }>;
    expect(result?.ci[1]).toBeNull();
    expect(typeof result?.ci[0]).toBe('number');
  });

  it('warns on stderr about a sample ratio mismatch', async () => {
    const input = structuredClone(example);
    input.variants[1]!.n = 4200;
    input.variants[1]!.sumSquares = 160_000;
    const run = await liftlab(['analyze', await writeInput('srm.json', input)]);
    expect(run.code).toBe(0);
    expect((json(run).srm as { flagged: boolean }).flagged).toBe(true);
    expect(run.stderr).toMatch(/^warning: sample ratio mismatch/);
  });

  it.each<[string, string, unknown, string]>([
    ['a missing field', 'variants.1.sumSquares', undefined, 'error: variants[1].sumSquares: is required'],
    ['a negative n', 'variants.0.n', -3407, 'error: variants[0].n: must not be negative'],
    [
      'sumSquares inconsistent with sum and n',
      'variants.1.sumSquares',
      1000,
      'error: variants[1].sumSquares: inconsistent with sum and n',
    ],
    ['an unknown engine', 'options.engine', 'magic', 'error: options.engine: must be one of'],
    ['an unknown option in the file', 'options.alpah', 0.1, 'error: options.alpah: unknown field'],
  ])('exits 2 on %s', async (_name, path, value, message) => {
    const input = structuredClone(example);
    edit(input, path, value);
    const run = await liftlab(['analyze', '-'], JSON.stringify(input));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toContain(message);
  });

  it.each<[string, string[], string, RegExp]>([
    ['an unknown option', ['--engin', 'bayesian'], '', /^error: unknown option '--engin'/],
    [
      'a bad choice',
      ['--engine', 'magic'],
      '',
      /^error: option '--engine <engine>' argument 'magic' is invalid/,
    ],
    [
      'a non-numeric alpha',
      ['--alpha', 'five'],
      '',
      /^error: option '--alpha <alpha>' argument 'five' is invalid/,
    ],
    ['an out-of-range alpha', ['--alpha', '5'], '', /^error: --alpha: must be between 0 and 1/],
    ['a CSV-only flag', ['--control', 'a'], '', /^error: --control: only applies with --csv/],
    [
      'a weight for an unknown variant',
      ['--weight', 'holdout=0.5'],
      '',
      /^error: --weight: no variant has key "holdout"/,
    ],
  ])('exits 2 on %s', async (_name, flags, _stdin, message) => {
    const run = await liftlab(['analyze', fixture('example.json'), ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 on unreadable or malformed input', async () => {
    const missing = await liftlab(['analyze', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: file: cannot read ".*nope\.json": no such file/);
    const broken = await liftlab(['analyze', '-'], '{"metric": ');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error: stdin: is not valid JSON/);
    const unknownCommand = await liftlab(['analyse']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command 'analyse'/);
  });
});

describe('liftlab analyze --csv', () => {
  const rows = [
    'customer,group,spend,pre_spend',
    '1,b,10,8',
    '2,holdout,0,3',
    '3,a,12.5,10',
    '4,holdout,4,4',
    '5,a,,2',
    '6,b,7,5',
    '7,a,3,1',
    '8,holdout,6,5',
    '9,b,n/a,1',
    '10,b,2,2',
  ].join('\n');
  const args = ['--variant-column', 'group', '--metric-column', 'spend'];

  it('streams rows into per-arm sums, one result per non-control arm, and reports rejected rows', async () => {
    const path = await writeInput('rows.csv', rows);
    const run = await liftlab([
      'analyze',
      '--csv',
      path,
      ...args,
      '--control',
      'holdout',
      '--difference',
      'absolute',
    ]);
    expect(run.code).toBe(0);
    const output = json(run) as unknown as CsvOutput;
    expect(output.input.variants).toEqual([
      { key: 'holdout', n: 3, sum: 10, sumSquares: 52 },
      { key: 'b', n: 3, sum: 19, sumSquares: 153 },
      { key: 'a', n: 2, sum: 15.5, sumSquares: 165.25 },
    ]);
    expect(output.results.map((r) => r.key)).toEqual(['b', 'a']);
    expect(output.rowsRead).toBe(10);
    expect(output.rejectedRows).toEqual({
      count: 2,
      examples: [
        { row: 5, reason: 'spend: missing ("")' },
        { row: 9, reason: 'spend: not a number ("n/a")' },
      ],
    });
    expect(run.stderr).toMatch(/^warning: 2 of 10 rows were not used/);
    const { rowsRead: _r, rejectedRows: _j, input, ...result } = output;
    expect(result).toEqual(roundTrip(analyzeExperiment(input)));
  });

  it('takes the first variant seen as control, reads standard input and adds CUPED with a covariate', async () => {
    const run = await liftlab(['analyze', '--csv', '-', ...args, '--covariate-column', 'pre_spend'], rows);
    expect(run.code).toBe(0);
    const output = json(run) as unknown as CsvOutput;
    expect(output.control.key).toBe('b');
    expect(output.metric).toEqual({ type: 'mean', cuped: true });
    expect(output.input.variants[0]).toEqual({
      key: 'b',
      n: 3,
      sum: 19,
      sumSquares: 153,
      preSum: 15,
      preSumSquares: 93,
      sumProducts: 119,
    });
  });

  it.each<[string, string[], RegExp]>([
    [
      'a missing metric column flag',
      ['--variant-column', 'group'],
      /^error: --metric-column: is required with --csv/,
    ],
    [
      'a column not in the header',
      [...args.slice(0, 2), '--metric-column', 'revenue'],
      /^error: --metric-column: column "revenue" is not in the header/,
    ],
    [
      'a control never seen',
      [...args, '--control', 'holdout2'],
      /^error: --control: no row has variant "holdout2"/,
    ],
    [
      'an unknown type',
      [...args, '--type', 'ratio'],
      /^error: option '--type <type>' argument 'ratio' is invalid/,
    ],
    ['a missing file', [...args], /^error: --csv: cannot read ".*missing\.csv": no such file/],
  ])('exits 2 on %s', async (name, flags, message) => {
    const path = name === 'a missing file' ? join(dir, 'missing.csv') : await writeInput('rows.csv', rows);
    const run = await liftlab(['analyze', '--csv', path, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe('liftlab power, roi, demo, help', () => {
  it('plans a sample size with the library', async () => {
    const run = await liftlab([
      'power',
      '--baseline',
      '0.05',
      '--mde',
      '0.1',
      '--holdout',
      '0.2',
      '--daily-traffic',
      '2000',
    ]);
    expect(run.code).toBe(0);
    expect(json(run)).toEqual({
      plan: 'sample-size',
      ...(roundTrip(
        sampleSize({
          metric: { type: 'proportion', baselineRate: 0.05 },
          lift: 0.1,
          treatmentShare: 0.8,
          dailyTraffic: 2000,
        }),
      ) as object),
    });
  });

  it('answers the minimum detectable lift and the power', async () => {
    const mde = await liftlab(['power', '--baseline', '12', '--sd', '30', '--units', '20000']);
    expect(mde.code).toBe(0);
    expect(json(mde).plan).toBe('minimum-detectable-effect');
    const power = await liftlab([
      'power',
      '--baseline',
      '0.05',
      '--mde',
      '0.1',
      '--units',
      '20000',
      '--sequential',
    ]);
    expect(power.code).toBe(0);
    expect(json(power).plan).toBe('power');
  });

  it('names the flag of a bad power input', async () => {
    const run = await liftlab(['power', '--baseline', '1.5', '--mde', '0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --baseline: must lie strictly between 0 and 1/);
    const none = await liftlab(['power', '--baseline', '0.1']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: --mde: give --mde/);
  });

  it('computes the ROI of a campaign file with the library', async () => {
    const run = await liftlab(['roi', fixture('roi.json')]);
    expect(run.code).toBe(0);
    const input = JSON.parse(readFileSync(fixture('roi.json'), 'utf8')) as CampaignRoiInput;
    expect(json(run)).toEqual({ kind: 'roi', ...(roundTrip(campaignRoi(input)) as object) });
  });

  it('computes the break-even lift without a measured value, and rejects misspelt fields', async () => {
    const input = JSON.parse(readFileSync(fixture('roi.json'), 'utf8')) as Record<string, unknown>;
    delete input.incrementalValue;
    const run = await liftlab(
      ['roi', '-'],
      JSON.stringify({ ...input, baselineValuePerCustomerPerMonth: 9.5 }),
    );
    expect(run.code).toBe(0);
    expect(json(run).kind).toBe('break-even');
    const typo = await liftlab(['roi', '-'], JSON.stringify({ ...input, horizonMonth: 12 }));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: horizonMonth: unknown field/);
    const bad = await liftlab(['roi', '-'], JSON.stringify({ ...input, treatedCustomers: -1 }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: treatedCustomers: must be positive/);
  });

  it('analyses the built-in example', async () => {
    const run = await liftlab(['demo']);
    expect(run.code).toBe(0);
    const output = json(run);
    expect(output.input).toEqual(example);
    expect(output.results).toEqual(roundTrip(analyzeExperiment(example).results));
  });

  it('prints help and the version with exit code 0', async () => {
    const help = await liftlab(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['analyze', 'power', 'roi', 'demo']) expect(help.stdout).toContain(command);
    const analyzeHelp = await liftlab(['analyze', '--help']);
    expect(analyzeHelp.code).toBe(0);
    expect(analyzeHelp.stdout).toContain('--variant-column');
    const version = await liftlab(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version,
    );
  });
});
