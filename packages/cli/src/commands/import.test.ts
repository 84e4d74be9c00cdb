import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../io';
import { run } from '../program';
import { csvLine } from './import';

/** The options the Liftlab server parses uploads with. */
const SERVER_CSV = { bom: true, relax_column_count: true, skip_empty_lines: true } as const;

interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rows: string[][];
}

type Handler = (req: Received, index: number) => { status: number; body: unknown };

/**
 * Stands in for POST /v1/imports/{kind}: parses each upload like the server and rejects data rows whose second
 * cell is "bad", numbering them within the request as the server does.
 */
const importLikeServer: Handler = (req, index) => {
  const data = req.rows.slice(1);
  const errors = data.flatMap((cells, i) =>
    cells[1] === 'bad' ? [{ row: i + 1, field: 'segment', rule: 'not_bad' }] : [],
  );
  return {
    status: 200,
    body: {
      id: `job-${index + 1}`,
      kind: 'customers',
      status: 'completed',
      fileName: req.query.get('fileName'),
      total: data.length,
      accepted: data.length - errors.length,
      rejected: errors.length,
      errors,
      createdAt: '2025-01-15T09:00:00.000Z',
      finishedAt: '2025-01-15T09:00:00.000Z',
    },
  };
};

let server: Server;
let url: string;
let handler: Handler = importLikeServer;
let received: Received[] = [];
let dir: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = new URL(req.url ?? '/', 'http://localhost');
      const entry: Received = {
        path: target.pathname,
        query: target.searchParams,
        headers: req.headers,
        rows: parse(Buffer.concat(chunks).toString('utf8'), SERVER_CSV) as string[][],
      };
      const answer = handler(entry, received.length);
      received.push(entry);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'liftlab-import-'));
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

afterEach(() => {
  handler = importLikeServer;
  received = [];
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

function io(stderrIsTTY = false) {
  return { stdin: Readable.from(['']), stdout: capture(), stderr: capture(stderrIsTTY) } satisfies CliIO;
}

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const customers = (n: number, bad: number[] = []) =>
  'externalId,segment\n' +
  Array.from({ length: n }, (_, i) => `c${i + 1},${bad.includes(i + 1) ? 'bad' : 'vip'}`).join('\n') +
  '\n';

describe('csvLine', () => {
  it('writes cells the server parses back unchanged', () => {
    const cases = [
      ['plain', 'two words', ' padded '],
      ['comma, inside', 'quote " inside', 'line\nbreak', 'carriage\r\nreturn'],
      ['', '', ''],
      [''],
      ['"already quoted"'],
    ];
    for (const cells of cases) {
      expect(parse(`h\n${csvLine(cells)}\n`, SERVER_CSV).slice(1)).toEqual([cells]);
    }
  });
});

describe('liftlab import', () => {
  it('sends the header and at most --chunk-rows rows per request and numbers rejected rows in the file', async () => {
    const path = await file('crm.csv', customers(7, [3, 4, 7]));
    const streams = io();
    const code = await run(
      ['import', 'customers', path, '--url', url, '--key', 'secret', '--chunk-rows', '3'],
      streams,
    );
    expect(code, streams.stderr.text).toBe(0);

    expect(received.map((r) => r.rows.length - 1)).toEqual([3, 3, 1]);
    for (const r of received) {
      expect(r.path).toBe('/v1/imports/customers');
      expect(r.rows[0]).toEqual(['externalId', 'segment']);
      expect(r.headers.authorization).toBe('Bearer secret');
      expect(r.headers['content-type']).toMatch(/^text\/csv/);
    }
    expect(received.flatMap((r) => r.rows.slice(1).map((cells) => cells[0]))).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
    ]);
    expect(received.map((r) => r.query.get('fileName'))).toEqual([
      'crm.csv (rows 1-3)',
      'crm.csv (rows 4-6)',
      'crm.csv (rows 7-7)',
    ]);

    expect(JSON.parse(streams.stdout.text)).toEqual({
      file: path,
      kind: 'customers',
      status: 'completed',
      total: 7,
      accepted: 4,
      rejected: 3,
      errors: [
        { row: 3, field: 'segment', rule: 'not_bad' },
        { row: 4, field: 'segment', rule: 'not_bad' },
        { row: 7, field: 'segment', rule: 'not_bad' },
      ],
      imports: [
        { id: 'job-1', firstRow: 1, lastRow: 3 },
        { id: 'job-2', firstRow: 4, lastRow: 6 },
        { id: 'job-3', firstRow: 7, lastRow: 7 },
      ],
    });
    expect(streams.stderr.text).toBe(
      'warning: 3 of 7 rows were rejected (first: row 3, segment: not_bad); see errors\n',
    );
  });

  it('names a file sent in one request by its own name, and keeps a path prefix of --url', async () => {
    const path = await file('small.csv', customers(2));
    const streams = io();
    expect(await run(['import', 'orders', path, '--url', `${url}/liftlab`, '--key', 'k'], streams)).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe('/liftlab/v1/imports/orders');
    expect(received[0]?.query.get('fileName')).toBe('small.csv');
  });

  it('passes --experiment and --outcome-event to experiment imports, on every request', async () => {
    const path = await file(
      'results.csv',
      'customer,variant,outcome\nc1,treated,1\nc2,holdout,0\nc3,treated,1\n',
    );
    const streams = io();
    const args = ['import', 'experiment', path, '--url', url, '--key', 'k', '--chunk-rows', '2'];
    expect(
      await run([...args, '--experiment', 'spring-reactivation', '--outcome-event', 'reactivated'], streams),
    ).toBe(0);
    expect(received.map((r) => [r.query.get('experimentKey'), r.query.get('outcomeEvent')])).toEqual([
      ['spring-reactivation', 'reactivated'],
      ['spring-reactivation', 'reactivated'],
    ]);
  });

  it('refuses --experiment and --outcome-event on other kinds, and empty values (exit 2)', async () => {
    const rows = await file('rows.csv', customers(1));
    const cases: [string[], string][] = [
      [['--experiment', 'x'], 'error: --experiment: applies only to experiment imports'],
      [['--outcome-event', 'x'], 'error: --outcome-event: applies only to experiment imports'],
    ];
    for (const [extra, message] of cases) {
      const streams = io();
      expect(await run(['import', 'orders', rows, '--url', url, '--key', 'k', ...extra], streams)).toBe(2);
      expect(streams.stderr.text).toContain(message);
    }
    const streams = io();
    expect(
      await run(['import', 'experiment', rows, '--url', url, '--key', 'k', '--experiment', ' '], streams),
    ).toBe(2);
    expect(streams.stderr.text).toContain('error: --experiment: must not be empty');
    expect(received).toEqual([]);
  });

  it('reads standard input for "-", but does not wait on a terminal', async () => {
    const piped = { ...io(), stdin: Readable.from([customers(3, [2])]) };
    expect(await run(['import', 'customers', '-', '--url', url, '--key', 'k'], piped)).toBe(0);
    expect(received[0]?.query.get('fileName')).toBe('stdin.csv');
    expect(JSON.parse(piped.stdout.text)).toMatchObject({ file: 'stdin', total: 3, errors: [{ row: 2 }] });

    const terminal = { ...io(), stdin: Object.assign(Readable.from(['']), { isTTY: true }) };
    expect(await run(['import', 'customers', '-', '--url', url, '--key', 'k'], terminal)).toBe(2);
    expect(terminal.stderr.text).toMatch(/^error: file: give a CSV file/);
    expect(received).toHaveLength(1);
  });

  it('sends a header-only file once so the server checks its columns', async () => {
    const path = await file('header.csv', 'externalId,segment\n');
    const streams = io();
    expect(await run(['import', 'customers', path, '--url', url, '--key', 'k'], streams)).toBe(0);
    expect(received.map((r) => r.rows)).toEqual([[['externalId', 'segment']]]);
    expect(JSON.parse(streams.stdout.text)).toMatchObject({ total: 0, accepted: 0, rejected: 0 });
  });

  it('refuses an empty file, a missing key and a bad --url without calling the server (exit 2)', async () => {
    const empty = await file('empty.csv', '');
    const rows = await file('rows.csv', customers(1));
    const saved = process.env.LIFTLAB_API_KEY;
    delete process.env.LIFTLAB_API_KEY;
    try {
      const cases: [string[], string][] = [
        [['import', 'customers', empty, '--url', url, '--key', 'k'], `error: ${empty}: is empty`],
        [['import', 'customers', rows, '--url', url], 'error: --key: is required (or set LIFTLAB_API_KEY)'],
        [['import', 'customers', rows, '--url', 'ftp://x', '--key', 'k'], 'error: --url: must start with'],
        [['import', 'customers', join(dir, 'missing.csv'), '--url', url, '--key', 'k'], 'no such file'],
        [['import', 'people', rows, '--key', 'k'], "value 'people' is invalid for argument 'kind'"],
        [['import', 'customers', rows, '--key', 'k', '--chunk-rows', '0'], 'greater than 0'],
      ];
      for (const [args, message] of cases) {
        const streams = io();
        expect(await run(args, streams), args.join(' ')).toBe(2);
        expect(streams.stderr.text).toContain(message);
        expect(streams.stdout.text).toBe('');
      }
    } finally {
      if (saved !== undefined) process.env.LIFTLAB_API_KEY = saved;
    }
    expect(received).toEqual([]);
  });

  it('turns a 4xx problem into one line naming the detail and fields (exit 2)', async () => {
    handler = () => ({
      status: 400,
      body: {
        type: 'about:blank',
        title: 'Validation failed',
        status: 400,
        detail: 'The header line does not match the import.',
        errors: [{ path: '(file).segmnt', rule: 'unknown_column' }],
      },
    });
    const path = await file('typo.csv', customers(1));
    const streams = io();
    expect(await run(['import', 'customers', path, '--url', url, '--key', 'k'], streams)).toBe(2);
    expect(streams.stdout.text).toBe('');
    expect(streams.stderr.text).toBe(
      'error: POST /v1/imports/customers: 400 Validation failed: The header line does not match the import. ' +
        '[(file).segmnt: unknown_column]\n',
    );
  });

  it('prints what was stored when a later request is refused, then the error', async () => {
    handler = (req, index) =>
      index === 0
        ? importLikeServer(req, index)
        : {
            status: 401,
            body: { title: 'Unauthorized', status: 401, detail: 'The API key is unknown or revoked.' },
          };
    const path = await file('revoked.csv', customers(5, [2]));
    const streams = io();
    expect(
      await run(['import', 'customers', path, '--url', url, '--key', 'k', '--chunk-rows', '2'], streams),
    ).toBe(2);
    expect(JSON.parse(streams.stdout.text)).toMatchObject({
      status: 'failed',
      total: 2,
      accepted: 1,
      rejected: 1,
      errors: [{ row: 2 }],
      imports: [{ id: 'job-1', firstRow: 1, lastRow: 2 }],
    });
    expect(streams.stderr.text).toContain(
      'warning: rows 1-2 were sent before the import stopped (see the report)\n',
    );
    expect(streams.stderr.text).toContain(
      'error: POST /v1/imports/customers: 401 Unauthorized: The API key is unknown or revoked.',
    );
  });

  it('exits 1 on a server error, naming its error id, and when the server cannot be reached', async () => {
    handler = () => ({ status: 500, body: { errorId: 'e-42' } });
    const path = await file('five.csv', customers(1));
    const failing = io();
    expect(await run(['import', 'customers', path, '--url', url, '--key', 'k'], failing)).toBe(1);
    expect(failing.stderr.text).toBe(
      'error: POST /v1/imports/customers: 500 Internal Server Error (error id e-42 in the server log)\n',
    );

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = io();
    const args = ['import', 'customers', path, '--url', `http://127.0.0.1:${port}`, '--key', 'k'];
    expect(await run(args, unreachable)).toBe(1);
    expect(unreachable.stderr.text).toContain(`error: cannot reach http://127.0.0.1:${port}: `);
    expect(unreachable.stderr.text).toContain('ECONNREFUSED');
  });

  it('shows a progress bar on a terminal only, and keeps stdout pure JSON', async () => {
    const path = await file('bar.csv', customers(50));
    const tty = io(true);
    expect(
      await run(['import', 'customers', path, '--url', url, '--key', 'k', '--chunk-rows', '10'], tty),
    ).toBe(0);
    expect(tty.stderr.text).toContain('importing');
    expect(JSON.parse(tty.stdout.text)).toMatchObject({ total: 50, accepted: 50 });

    const quiet = io(true);
    const args = ['import', 'customers', path, '--url', url, '--key', 'k', '--no-progress'];
    expect(await run(args, quiet)).toBe(0);
    expect(quiet.stderr.text).toBe('');

    const piped = io(false);
    expect(await run(['import', 'customers', path, '--url', url, '--key', 'k'], piped)).toBe(0);
    expect(piped.stderr.text).toBe('');
  });
});
