import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../io';
import { run } from '../program';

/**
 * The journeys of docs/statistics.md's worked example, one row per touch:
 *   p1 email → search, converted, value 300     p2 email, not converted
 *   p3 search, converted, value 100              p4 search, not converted
 * By hand: first touch email 1, search 1; last touch search 2; linear email 0.5, search 1.5; position-based
 * with 0.6/0.2 splits p1 0.75/0.25; Markov start → email ½, search ½, email → search ½, null ½, search →
 * conversion ⅔: P = ½, without email ⅓ (RE ⅓), without search 0 (RE 1): email 0.5, search 1.5; Shapley
 * v({search}) = 1, v(all) = 2: email ½·(2 − 1) = 0.5, search 1.5. Values: linear email 150, search 250.
 */
const TOUCHES =
  'path_id,channel,converted,value\n' +
  'p1,email,0,\np2,email,0,\np1,search,1,300\np3,search,1,100\np4,search,no,\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'liftlab-attribution-'));
});

function capture(isTTY = false): Writable & { text: string; isTTY?: boolean } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & { text: string; isTTY?: boolean; columns?: number };
  stream.text = '';
  if (isTTY) {
    stream.isTTY = true;
    stream.columns = 100;
  }
  return stream;
}

function io(stdin = '', stderrIsTTY = false) {
  return { stdin: Readable.from([stdin]), stdout: capture(), stderr: capture(stderrIsTTY) } satisfies CliIO;
}

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

interface JsonOut {
  journeys: number;
  distinctPaths: number;
  conversions: number;
  revenue: number;
  models: { model: string; channels: { channel: string; conversions: number; revenue: number }[] }[];
}

const credit = (out: JsonOut, model: string) =>
  Object.fromEntries(
    out.models
      .find((m) => m.model === model)!
      .channels.map((c) => [
        c.channel,
        [Math.round(c.conversions * 1e9) / 1e9, Math.round(c.revenue * 1e6) / 1e6],
      ]),
  );

describe('liftlab attribution', () => {
  it('credits the hand-solved example under the six models (JSON)', async () => {
    const path = await file('touches.csv', TOUCHES);
    const out = io();
    const code = await run(
      [
        'attribution',
        path,
        '--value-column',
        'value',
        '--position-first',
        '0.6',
        '--position-last',
        '0.2',
        '--format',
        'json',
      ],
      out,
    );
    expect(code, out.stderr.text).toBe(0);
    const body = JSON.parse(out.stdout.text) as JsonOut;
    expect(body).toMatchObject({ journeys: 4, distinctPaths: 3, conversions: 2, revenue: 400 });
    expect(credit(body, 'first_touch')).toEqual({ email: [1, 300], search: [1, 100] });
    expect(credit(body, 'last_touch')).toEqual({ email: [0, 0], search: [2, 400] });
    expect(credit(body, 'linear')).toEqual({ email: [0.5, 150], search: [1.5, 250] });
    expect(credit(body, 'position_based')).toEqual({ email: [0.75, 225], search: [1.25, 175] });
    expect(credit(body, 'markov')).toEqual({ email: [0.5, 100], search: [1.5, 300] });
    expect(credit(body, 'shapley')).toEqual({ email: [0.5, 100], search: [1.5, 300] });
  });

  it('prints a table by default and CSV on request, reading standard input', async () => {
    const table = io(TOUCHES);
    expect(await run(['attribution', '-'], table)).toBe(0);
    const lines = table.stdout.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^channel\s+first\s+last\s+linear\s+position\s+markov\s+shapley\s+first value/);
    expect(lines[2]!.split(/\s+/).slice(0, 7)).toEqual([
      'email',
      '1.000',
      '0.000',
      '0.500',
      '0.500',
      '0.500',
      '0.500',
    ]);
    expect(lines[3]!.split(/\s+/).slice(0, 7)).toEqual([
      'search',
      '1.000',
      '2.000',
      '1.500',
      '1.500',
      '1.500',
      '1.500',
    ]);

    const csv = io(TOUCHES);
    expect(await run(['attribution', '-', '--format', 'csv'], csv)).toBe(0);
    const rows = parse(csv.stdout.text) as string[][];
    expect(rows[0]).toEqual(['model', 'channel', 'conversions', 'share', 'revenue']);
    expect(rows).toContainEqual(['last_touch', 'search', '2', '1', '0']);
    expect(rows).toHaveLength(1 + 6 * 2);
  });

  it('orders touches by --order-column and takes custom column names', async () => {
    const path = await file(
      'ordered.csv',
      'customer,touch,won,at\nc1,search,1,2025-03-02\nc1,email,0,2025-03-01\nc2,email,0,2025-03-01\n',
    );
    const out = io();
    const code = await run(
      [
        'attribution',
        path,
        '--path-column',
        'customer',
        '--channel-column',
        'touch',
        '--converted-column',
        'won',
        '--order-column',
        'at',
        '--format',
        'json',
      ],
      out,
    );
    expect(code, out.stderr.text).toBe(0);
    const body = JSON.parse(out.stdout.text) as JsonOut;
    expect(credit(body, 'first_touch')).toEqual({ email: [1, 0], search: [0, 0] });
  });

  it('shows a progress bar on a terminal and warns about rejected rows', async () => {
    const path = await file('rejects.csv', `${TOUCHES}p5,,1,\np6,email,maybe,\n`);
    const out = io('', true);
    expect(await run(['attribution', path], out)).toBe(0);
    expect(out.stderr.text).toContain('reading');
    expect(out.stderr.text).toContain('warning: 2 of 7 rows were not used (first: row 6, empty channel)');
  });

  it('refuses bad input naming the flag or column', async () => {
    const path = await file('t.csv', TOUCHES);
    const missing = io();
    expect(await run(['attribution', path, '--path-column', 'customer'], missing)).toBe(2);
    expect(missing.stderr.text).toContain('error: --path-column: column "customer" is not in the header');
    const share = io();
    expect(await run(['attribution', path, '--position-first', '1.5'], share)).toBe(2);
    expect(share.stderr.text).toContain('must be a share between 0 and 1');
    const sum = io();
    expect(await run(['attribution', path, '--position-first', '0.7', '--position-last', '0.7'], sum)).toBe(
      2,
    );
    expect(sum.stderr.text).toContain('error: --position-first:');
    const order = io();
    expect(await run(['attribution', path, '--markov-order', '9'], order)).toBe(2);
    expect(order.stderr.text).toContain('error: --markov-order:');
    const none = io();
    expect(await run(['attribution', join(dir, 'nope.csv')], none)).toBe(2);
    expect(none.stderr.text).toContain('error: file: cannot read');
  });
});
