import { Readable, Writable } from 'node:stream';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatsInputError } from '@liftlab/stats';
import { describe, expect, it } from 'vitest';
import { describeError, CliInputError } from './errors';
import type { CliIO } from './io';
import { run } from './program';

function capture(
  options: { isTTY?: boolean; failOnWrite?: boolean } = {},
): Writable & { text: string; isTTY?: boolean } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (options.failOnWrite) throw new Error('EPIPE: broken pipe');
      stream.text += chunk.toString();
      callback();
    },
  }) as Writable & {
    text: string;
    isTTY?: boolean;
    columns?: number;
    cursorTo?: unknown;
    clearLine?: unknown;
  };
  stream.text = '';
  if (options.isTTY) {
    stream.isTTY = true;
    stream.columns = 100;
  }
  return stream;
}

function io(
  stdin = '',
  extra: Partial<CliIO> = {},
): CliIO & { stdout: ReturnType<typeof capture>; stderr: ReturnType<typeof capture> } {
  return { stdin: Readable.from([stdin]), stdout: capture(), stderr: capture(), ...extra } as never;
}

describe('describeError', () => {
  it('gives exit code 2 and field: rule for bad input, 1 for anything else', () => {
    expect(describeError(new StatsInputError('variants[1].n', 'must not be negative'))).toEqual({
      message: 'error: variants[1].n: must not be negative',
      exitCode: 2,
    });
    expect(describeError(new CliInputError('--csv', 'no usable rows'))).toEqual({
      message: 'error: --csv: no usable rows',
      exitCode: 2,
    });
    expect(describeError(new Error('disk full'))).toEqual({ message: 'error: disk full', exitCode: 1 });
  });
});

describe('run', () => {
  it('exits 1 when output cannot be written', async () => {
    const streams = io('', { stdout: capture({ failOnWrite: true }) });
    expect(await run(['demo'], streams)).toBe(1);
    expect(streams.stderr.text).toBe('error: EPIPE: broken pipe\n');
  });

  it('asks for input rather than waiting on a terminal', async () => {
    const stdin = Object.assign(Readable.from(['']), { isTTY: true });
    const streams = io('', { stdin });
    expect(await run(['analyze'], streams)).toBe(2);
    expect(streams.stderr.text).toMatch(
      /^error: file: give a JSON file, "-" to read standard input, or --csv FILE/,
    );
  });

  it('shows a progress bar on a terminal while reading a CSV file, and keeps stdout pure JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'liftlab-progress-'));
    const path = join(dir, 'rows.csv');
    await writeFile(
      path,
      'group,spend\n' + Array.from({ length: 2000 }, (_, i) => `${i % 2 ? 'a' : 'b'},${i % 7}`).join('\n'),
    );
    const tty = io('', { stderr: capture({ isTTY: true }) });
    expect(
      await run(['analyze', '--csv', path, '--variant-column', 'group', '--metric-column', 'spend'], tty),
    ).toBe(0);
    expect(tty.stderr.text).toContain('reading');
    expect(JSON.parse(tty.stdout.text).rowsRead).toBe(2000);

    const quiet = io('', { stderr: capture({ isTTY: true }) });
    const args = [
      'analyze',
      '--csv',
      path,
      '--variant-column',
      'group',
      '--metric-column',
      'spend',
      '--no-progress',
    ];
    expect(await run(args, quiet)).toBe(0);
    expect(quiet.stderr.text).toBe('');
    expect(quiet.stdout.text).toBe(tty.stdout.text);
  });

  it('rejects a prior half given on the command line', async () => {
    const streams = io('group,spend\na,1\na,2\nb,3\nb,5\n');
    const code = await run(
      ['analyze', '--csv', '-', '--variant-column', 'group', '--metric-column', 'spend', '--prior-mean', '0'],
      streams,
    );
    expect(code).toBe(2);
    expect(streams.stderr.text).toBe('error: --prior-variance: is required together with --prior-mean\n');
  });
});
