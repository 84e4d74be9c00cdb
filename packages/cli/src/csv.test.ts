import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { accumulateCsv, CompensatedSum, MAX_VARIANTS, REJECTED_EXAMPLES, toAnalysisInput } from './csv';
import { CliInputError } from './errors';

const columns = { variantColumn: 'group', metricColumn: 'spend', type: 'mean' as const };

function csv(text: string): Readable {
  return Readable.from([text]);
}

/** Deterministic pseudo-random generator (mulberry32) so the reference rows are reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('CompensatedSum', () => {
  it('keeps the small term that plain addition loses (Neumaier 1974 example)', () => {
    const sum = new CompensatedSum();
    for (const x of [1, 1e100, 1, -1e100]) sum.add(x);
    expect(sum.value).toBe(2);
    expect([1, 1e100, 1, -1e100].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('matches exact integer arithmetic over a million cents amounts', () => {
    const next = random(7);
    const sum = new CompensatedSum();
    const squares = new CompensatedSum();
    let exact = 0n;
    let exactSquares = 0n;
    for (let i = 0; i < 1_000_000; i++) {
      const cents = BigInt(Math.floor(next() * 10_000_000)) + 100_000_000n; // 1,000,000.00 – 1,100,000.00
      const x = Number(cents) / 100;
      sum.add(x);
      squares.add(x * x);
      exact += cents;
      exactSquares += cents * cents;
    }
    // The reference is exact; the compensated sum may differ by the rounding of each input and of the result.
    expect(Math.abs(sum.value - Number(exact) / 100) / (Number(exact) / 100)).toBeLessThan(4e-16);
    expect(Math.abs(squares.value - Number(exactSquares) / 1e4) / (Number(exactSquares) / 1e4)).toBeLessThan(
      4e-16,
    );
  });
});

describe('accumulateCsv', () => {
  it('sums each arm against sums computed row by row with exact integers', async () => {
    const next = random(42);
    const arms = ['control', 'a', 'b'];
    const exact = new Map(arms.map((k) => [k, { n: 0, x: 0n, xx: 0n, y: 0n, yy: 0n, xy: 0n }]));
    const lines = ['id,group,spend,history'];
    for (let i = 0; i < 5000; i++) {
      const key = arms[Math.floor(next() * 3)] as string;
      const xCents = BigInt(Math.floor(next() * 50_000));
      const yCents = BigInt(Math.floor(next() * 90_000));
      lines.push(`${i},${key},${Number(xCents) / 100},${Number(yCents) / 100}`);
      const e = exact.get(key)!;
      e.n += 1;
      e.x += xCents;
      e.xx += xCents * xCents;
      e.y += yCents;
      e.yy += yCents * yCents;
      e.xy += xCents * yCents;
    }
    const result = await accumulateCsv(csv(lines.join('\n')), { ...columns, covariateColumn: 'history' });
    expect(result.rowsRead).toBe(5000);
    expect(result.rejectedRows.count).toBe(0);
    for (const arm of result.arms) {
      const e = exact.get(arm.key)!;
      expect(arm.n).toBe(e.n);
      const close = (actual: number, reference: number) =>
        expect(Math.abs(actual - reference)).toBeLessThanOrEqual(1e-15 * Math.abs(reference));
      close(arm.sumX.value, Number(e.x) / 100);
      close(arm.sumXX.value, Number(e.xx) / 1e4);
      close(arm.sumY.value, Number(e.y) / 100);
      close(arm.sumYY.value, Number(e.yy) / 1e4);
      close(arm.sumXY.value, Number(e.xy) / 1e4);
    }
    expect(result.arms.map((a) => a.key).sort()).toEqual([...arms].sort());
  });

  it('counts and explains rows it cannot use instead of dropping them', async () => {
    const text = [
      'group,spend',
      'control,1',
      'control,', // missing
      'treatment,abc', // not a number
      'treatment,0x10', // hexadecimal is not a decimal amount
      ',3', // no variant
      'treatment', // short row
      'treatment,2.5',
      'control,4',
    ].join('\n');
    const result = await accumulateCsv(csv(text), columns);
    expect(result.rowsRead).toBe(8);
    expect(result.rejectedRows.count).toBe(5);
    expect(result.rejectedRows.examples).toEqual([
      { row: 2, reason: 'spend: missing ("")' },
      { row: 3, reason: 'spend: not a number ("abc")' },
      { row: 4, reason: 'spend: not a number ("0x10")' },
      { row: 5, reason: 'group: missing' },
      { row: 6, reason: 'has 1 columns, the header has 2' },
    ]);
    const [control, treatment] = result.arms;
    expect(control).toMatchObject({ key: 'control', n: 2 });
    expect(control?.sumX.value).toBe(5);
    expect(control?.sumXX.value).toBe(17);
    expect(treatment).toMatchObject({ key: 'treatment', n: 1 });
    expect(treatment?.sumX.value).toBe(2.5);
  });

  it('lists only the first few rejected rows but counts them all', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `control,x${i}`);
    const result = await accumulateCsv(csv(['group,spend', ...rows, 'control,1'].join('\n')), columns);
    expect(result.rejectedRows.count).toBe(20);
    expect(result.rejectedRows.examples).toHaveLength(REJECTED_EXAMPLES);
  });

  it('accepts only 0 and 1 for a proportion', async () => {
    const text = 'group,converted\nc,1\nc,0\nt,2\nt,1\nt,0.5\n';
    const result = await accumulateCsv(csv(text), {
      variantColumn: 'group',
      metricColumn: 'converted',
      type: 'proportion',
    });
    expect(result.rejectedRows.count).toBe(2);
    expect(result.rejectedRows.examples[0]).toEqual({
      row: 3,
      reason: 'converted: must be 0 or 1 for a proportion metric ("2")',
    });
    expect(result.arms.map((a) => [a.key, a.n, a.sumX.value])).toEqual([
      ['c', 2, 1],
      ['t', 1, 1],
    ]);
  });

  it('rejects a row whose covariate is missing', async () => {
    const text = 'group,spend,history\nc,1,2\nc,3,\n';
    const result = await accumulateCsv(csv(text), { ...columns, covariateColumn: 'history' });
    expect(result.rejectedRows.examples).toEqual([{ row: 2, reason: 'history: missing ("")' }]);
  });

  it('handles quotes, a byte-order mark, CRLF line ends and blank lines', async () => {
    const text = '\uFEFF"group","spend"\r\n"Mens E-Mail","1.5"\r\n\r\n"No E-Mail",2\r\n';
    const result = await accumulateCsv(csv(text), columns);
    expect(result.arms.map((a) => [a.key, a.n, a.sumX.value])).toEqual([
      ['Mens E-Mail', 1, 1.5],
      ['No E-Mail', 1, 2],
    ]);
  });

  it('reads rows split across many small chunks', async () => {
    const text =
      'group,spend\n' + Array.from({ length: 1000 }, (_, i) => `${i % 2 ? 't' : 'c'},${i}`).join('\n');
    const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
    const result = await accumulateCsv(Readable.from(chunks), columns);
    expect(result.rowsRead).toBe(1000);
    const c = result.arms.find((a) => a.key === 'c');
    expect(c?.n).toBe(500);
    expect(c?.sumX.value).toBe(249_500); // 0 + 2 + … + 998
  });

  it('names the flag when a column is not in the header', async () => {
    const error = await accumulateCsv(csv('group,spend\nc,1\n'), {
      ...columns,
      metricColumn: 'revenue',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliInputError);
    expect((error as CliInputError).field).toBe('--metric-column');
    expect((error as CliInputError).rule).toContain(
      'column "revenue" is not in the header (columns: group, spend)',
    );
  });

  it('stops when the variant column looks like an identifier', async () => {
    const rows = Array.from({ length: MAX_VARIANTS + 1 }, (_, i) => `${i},1`);
    await expect(accumulateCsv(csv(['group,spend', ...rows].join('\n')), columns)).rejects.toThrow(
      /more than 100 distinct values/,
    );
  });

  it('reports an empty file and malformed quoting as bad input', async () => {
    await expect(accumulateCsv(csv(''), columns)).rejects.toThrow(/empty/);
    await expect(accumulateCsv(csv('group,spend\n"c,1\n'), columns)).rejects.toBeInstanceOf(CliInputError);
  });
});

describe('toAnalysisInput', () => {
  const text = 'group,spend,history\nt,1,2\nc,3,4\nc,5,6\nt,7,8\nx,1,1\nx,2,2\n';

  it('puts the control first: the named one, else the first seen', async () => {
    const acc = await accumulateCsv(csv(text), { ...columns, covariateColumn: 'history' });
    const firstSeen = toAnalysisInput(acc, { ...columns, covariateColumn: 'history' });
    expect(firstSeen.variants.map((v) => v.key)).toEqual(['t', 'c', 'x']);
    const named = toAnalysisInput(acc, { ...columns, covariateColumn: 'history', control: 'c' });
    expect(named.metric).toEqual({ type: 'mean', cuped: true });
    expect(named.variants[0]).toEqual({
      key: 'c',
      n: 2,
      sum: 8,
      sumSquares: 34,
      preSum: 10,
      preSumSquares: 52,
      sumProducts: 42,
    });
    expect(named.variants.map((v) => v.key)).toEqual(['c', 't', 'x']);
  });

  it('leaves out CUPED sums without a covariate and applies weights', async () => {
    const acc = await accumulateCsv(csv(text), columns);
    const input = toAnalysisInput(acc, { ...columns, weights: { t: 1, c: 1, x: 2 } });
    expect(input.metric.cuped).toBe(false);
    expect(input.variants[2]).toEqual({ key: 'x', n: 2, sum: 3, sumSquares: 5, weight: 2 });
  });

  it('rejects an unknown control, missing weights and a single arm', async () => {
    const acc = await accumulateCsv(csv(text), columns);
    expect(() => toAnalysisInput(acc, { ...columns, control: 'holdout' })).toThrow(
      '--control: no row has variant "holdout" (variants seen: t, c, x)',
    );
    expect(() => toAnalysisInput(acc, { ...columns, weights: { t: 1, c: 1 } })).toThrow(/missing "x"/);
    const single = await accumulateCsv(csv('group,spend\nc,1\nc,2\n'), columns);
    expect(() => toAnalysisInput(single, columns)).toThrow(/only one variant/);
  });
});
