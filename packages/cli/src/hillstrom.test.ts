/**
 * The Hillstrom e-mail test (64,000 customers, ../shared/datasets/hillstrom/) analysed end to end with
 * `liftlab analyze --csv`, against reference values computed from the raw rows by fixtures/gen_hillstrom.py
 * (scipy / statsmodels). Spawns the built bin: build first (`npx tsup`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(packageDir, 'dist', 'bin.js');
const data = join(packageDir, '..', '..', '..', 'shared', 'datasets', 'hillstrom', 'hillstrom.csv');
const fixture = JSON.parse(readFileSync(join(packageDir, 'fixtures', 'hillstrom.json'), 'utf8')) as {
  rows: number;
  scenarios: Array<{ name: string; args: string[]; control: unknown; results: unknown[]; srm: unknown }>;
};

const RELATIVE = 1e-9;

/** Every number in `expected` must match `actual` to 1e-9 relative; every other value exactly. */
function expectClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const error = Math.abs((actual as number) - expected);
    expect(error, `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(RELATIVE * Math.abs(expected));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((item, i) => expectClose((actual as unknown[])[i], item, `${path}[${i}]`));
  } else if (typeof expected === 'object' && expected !== null) {
    for (const [key, value] of Object.entries(expected)) {
      expectClose((actual as Record<string, unknown>)[key], value, path ? `${path}.${key}` : key);
    }
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('Hillstrom e-mail test through liftlab analyze --csv', () => {
  it('has the built bin and the data set', () => {
    expect(existsSync(bin), `${bin}: build the CLI first`).toBe(true);
    expect(existsSync(data), `${data}: the shared Hillstrom data set`).toBe(true);
  });

  it.each(fixture.scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      bin,
      'analyze',
      '--csv',
      data,
      ...scenario.args,
    ]);
    expect(stderr).toBe('');
    const output = JSON.parse(stdout) as Record<string, unknown>;
    expect(output.rowsRead).toBe(fixture.rows);
    expect(output.rejectedRows).toEqual({ count: 0, examples: [] });
    expectClose(output.control, scenario.control, 'control');
    expectClose(output.results, scenario.results, 'results');
    expectClose(output.srm, scenario.srm, 'srm');
  });
});
