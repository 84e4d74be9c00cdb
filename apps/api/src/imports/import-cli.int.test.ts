/**
 * `liftlab import` end to end: the built CLI (packages/cli/dist/bin.js, rebuilt here when older than its
 * sources) streams generated CSV files to the real app listening on a random port, authenticated with an ingest
 * key. Rows are sent in small chunks so that rejected rows fall on both sides of chunk boundaries.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app';
import { repoRoot } from '../database/paths';

const cliDir = join(repoRoot(), 'packages', 'cli');
const bin = join(cliDir, 'dist', 'bin.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Report {
  file: string;
  kind: string;
  status: string;
  total: number;
  accepted: number;
  rejected: number;
  errors: { row: number; field: string; rule: string }[];
  imports: { id: string; firstRow: number; lastRow: number }[];
}

let t: TestApp;
let url: string;
let ingestKey: string;
let dir: string;

/** Newest modification time of the files under `path` (0 when it does not exist). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** Builds the CLI when dist/bin.js is missing or older than the CLI's sources or the statistics it bundles. */
async function ensureCliBuilt(): Promise<void> {
  const sources = Math.max(
    newest(join(cliDir, 'src')),
    newest(join(cliDir, 'tsup.config.ts')),
    newest(join(cliDir, 'package.json')),
    newest(join(repoRoot(), 'packages', 'stats', 'dist')),
  );
  if (existsSync(bin) && statSync(bin).mtimeMs >= sources) return;
  await promisify(execFile)('npx', ['tsup'], { cwd: cliDir });
}

/** Runs `liftlab <args>` as a separate process (the app keeps answering in this one). */
function liftlab(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { LIFTLAB_API_KEY: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [bin, ...args], { env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function importRun(kind: string, file: string, extra: string[] = []): Promise<Run> {
  return liftlab(['import', kind, file, '--url', url, '--key', ingestKey, ...extra]);
}

function report(run: Run): Report {
  expect(run.stdout, run.stderr).not.toBe('');
  return JSON.parse(run.stdout) as Report;
}

async function csvFile(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const customerCount = (prefix: string) =>
  t.prisma.customer.count({ where: { workspaceId: t.workspaceId, externalId: { startsWith: prefix } } });

beforeAll(async () => {
  const [app] = await Promise.all([createTestApp(), ensureCliBuilt()]);
  t = app;
  await t.app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  ingestKey = await t.createApiKey('ingest', 'warehouse loader');
  dir = await mkdtemp(join(tmpdir(), 'liftlab-import-cli-'));
  await t.prisma.experiment.create({
    data: {
      workspaceId: t.workspaceId,
      key: 'winter-winback',
      name: 'Winter win-back run in the e-mail tool',
      kind: 'holdout',
      seed: 'winter-winback',
      status: 'concluded',
      variants: {
        create: [
          { key: 'holdout', name: 'Holdout', weight: 0.1, isControl: true, position: 0 },
          { key: 'mailed', name: 'Mailed', weight: 0.9, position: 1 },
        ],
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('liftlab import (built CLI against the running app)', () => {
  it('imports customers in chunks and numbers rejected rows across the whole file', async () => {
    // 250 data rows sent 100 per request. Rejected: 100 and 101 (either side of the first boundary), 200 and
    // 201 (the second), 250 (the very last row). The file has a byte order mark, CRLF line endings, a blank
    // line (not a row) and a quoted cell holding a comma, a quote and a line break.
    const rows: string[] = [];
    for (let i = 1; i <= 250; i++) {
      if (i === 100 || i === 201) rows.push(`cli-c${i},vip,2024-02-30,DE,${i}`);
      else if (i === 101 || i === 250) rows.push(`cli-c${i},vip,2024-03-01,Germany,${i}`);
      else if (i === 200) rows.push(`cli-c${i},vip,2024-03-01,DE,${i},one-cell-too-many`);
      else if (i === 150) rows.push(`cli-c${i},"regular, ""loyal""\r\nsince 2019",2024-03-01,FR,${i}`);
      else rows.push(`cli-c${i},regular,2024-03-01,FR,${i}`);
      if (i === 42) rows.push('');
    }
    const file = await csvFile(
      'customers.csv',
      '\uFEFF' + ['External ID,segment,acquisition_date,country,trait.ltv', ...rows].join('\r\n') + '\r\n',
    );

    const run = await importRun('customers', file, ['--chunk-rows', '100']);
    expect(run.code, run.stderr).toBe(0);
    const r = report(run);
    expect(r).toMatchObject({
      kind: 'customers',
      status: 'completed',
      total: 250,
      accepted: 245,
      rejected: 5,
    });
    expect(r.errors).toEqual([
      { row: 100, field: 'acquisitionDate', rule: 'format_date' },
      { row: 101, field: 'country', rule: 'format_country' },
      { row: 200, field: '(row)', rule: 'column_count' },
      { row: 201, field: 'acquisitionDate', rule: 'format_date' },
      { row: 250, field: 'country', rule: 'format_country' },
    ]);
    expect(r.imports.map((i) => [i.firstRow, i.lastRow])).toEqual([
      [1, 100],
      [101, 200],
      [201, 250],
    ]);
    expect(run.stderr).toContain(
      '5 of 250 rows were rejected (first: row 100, acquisitionDate: format_date)',
    );
    // stderr is not a terminal here: no progress bar.
    expect(run.stderr).not.toContain('importing');

    expect(await customerCount('cli-c')).toBe(245);
    for (const rejected of [100, 101, 200, 201, 250]) {
      expect(await t.prisma.customer.findFirst({ where: { externalId: `cli-c${rejected}` } })).toBeNull();
    }
    const quoted = await t.prisma.customer.findFirst({ where: { externalId: 'cli-c150' } });
    expect(quoted).toMatchObject({ segment: 'regular, "loyal"\r\nsince 2019', traits: { ltv: 150 } });

    // Each request is an import of its own, kept with the rows it covered.
    const jobs = await t.prisma.importJob.findMany({ where: { id: { in: r.imports.map((i) => i.id) } } });
    expect(jobs.map((j) => [j.fileName, j.total, j.rejected]).sort()).toEqual([
      ['customers.csv (rows 1-100)', 100, 1],
      ['customers.csv (rows 101-200)', 100, 2],
      ['customers.csv (rows 201-250)', 50, 2],
    ]);
  });

  it('imports orders once per orderId, also when a file repeats an order in another chunk', async () => {
    // 300 rows, 120 per request; row 300 repeats the order of row 1 (counted as accepted, stored once).
    const rows: string[] = [];
    for (let i = 1; i <= 300; i++) {
      const order = i === 300 ? 'cli-o1' : `cli-o${i}`;
      const amount = i === 120 || i === 241 ? '-5' : (10 + (i % 7)).toFixed(2);
      const currency = i === 121 || i === 240 ? 'eur' : 'EUR';
      rows.push(`${order},cli-oc${i % 40},${amount},${currency},2025-01-0${1 + (i % 9)}T10:00:00Z,upsell`);
    }
    const file = await csvFile(
      'orders.csv',
      ['orderId,customerId,amount,currency,occurredAt,revenueStream', ...rows].join('\n'),
    );

    const run = await importRun('orders', file, ['--chunk-rows', '120']);
    expect(run.code, run.stderr).toBe(0);
    const r = report(run);
    expect(r).toMatchObject({ status: 'completed', total: 300, accepted: 296, rejected: 4 });
    expect(r.errors).toEqual([
      { row: 120, field: 'amount', rule: 'min_0' },
      { row: 121, field: 'currency', rule: 'format_currency' },
      { row: 240, field: 'currency', rule: 'format_currency' },
      { row: 241, field: 'amount', rule: 'min_0' },
    ]);
    const stored = await t.prisma.event.count({
      where: { workspaceId: t.workspaceId, type: 'order', clientEventId: { startsWith: 'order:cli-o' } },
    });
    expect(stored).toBe(295);
    const seventh = await t.prisma.event.findFirst({ where: { clientEventId: 'order:cli-o7' } });
    expect(Number(seventh?.amount)).toBe(10);
    expect(seventh?.revenueStream).toBe('upsell');
  });

  it('imports the assignments of an experiment run elsewhere, the API key taken from the environment', async () => {
    // 150 rows, 60 per request. Rows 60 and 61 name an unknown variant; row 121 puts the customer of row 1
    // into the other variant (refused: a customer keeps one variant), in a later request than row 1.
    const rows: string[] = [];
    for (let i = 1; i <= 150; i++) {
      const customer = i === 121 ? 'cli-a1' : `cli-a${i}`;
      const variant = i === 60 || i === 61 ? 'mailed-twice' : i % 10 === 0 ? 'holdout' : 'mailed';
      rows.push(`${customer},winter-winback,${i === 121 ? 'holdout' : variant},2024-12-01T08:00:00Z`);
    }
    const file = await csvFile(
      'winter.csv',
      ['customer_id,experiment_key,variant_key,assigned_at', ...rows].join('\n') + '\n',
    );

    const run = await liftlab(['import', 'experiment', file, '--url', url, '--chunk-rows', '60'], {
      LIFTLAB_API_KEY: ingestKey,
    });
    expect(run.code, run.stderr).toBe(0);
    const r = report(run);
    expect(r).toMatchObject({ kind: 'experiment', total: 150, accepted: 147, rejected: 3 });
    expect(r.errors).toEqual([
      { row: 60, field: 'variantKey', rule: 'unknown_variant' },
      { row: 61, field: 'variantKey', rule: 'unknown_variant' },
      { row: 121, field: 'variantKey', rule: 'assigned_to_other_variant' },
    ]);
    const assignments = await t.prisma.assignment.findMany({
      where: { experiment: { key: 'winter-winback' }, source: 'import' },
      include: { variant: true, customer: true },
    });
    expect(assignments).toHaveLength(147);
    const byCustomer = new Map(assignments.map((a) => [a.customer.externalId, a.variant.key]));
    expect(byCustomer.get('cli-a1')).toBe('mailed');
    expect(byCustomer.get('cli-a10')).toBe('holdout');
    expect(byCustomer.has('cli-a60')).toBe(false);
  });

  it('keeps the rows before the point where a file stops being CSV and says where it broke', async () => {
    // Row 130 opens a quote that never closes: rows 1-129 go in (two requests), the rest cannot be read.
    const rows: string[] = [];
    for (let i = 1; i <= 160; i++) rows.push(i === 130 ? `cli-b${i},"vip,DE` : `cli-b${i},vip,DE`);
    const file = await csvFile('broken.csv', ['externalId,segment,country', ...rows].join('\n') + '\n');

    const run = await importRun('customers', file, ['--chunk-rows', '100']);
    expect(run.code).toBe(2);
    const r = report(run);
    expect(r).toMatchObject({ status: 'failed', total: 129, accepted: 129, rejected: 0 });
    expect(r.errors).toEqual([{ row: 130, field: '(file)', rule: 'csv_quote_not_closed' }]);
    expect(run.stderr).toMatch(/not valid CSV from data row 130/);
    expect(await customerCount('cli-b')).toBe(129);
  });

  it('refuses a header the import does not know before storing anything (exit 2, the column and rule)', async () => {
    const file = await csvFile('typo.csv', 'externalId,segmnt\ncli-h1,vip\n');
    const run = await importRun('customers', file);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error: POST /v1/imports/customers: 400 Validation failed: The header line does not match the import. ' +
        '[(file).segmnt: unknown_column]\n',
    );
    expect(await customerCount('cli-h')).toBe(0);
  });

  it('refuses a key without the ingest scope with the server’s reason (exit 2)', async () => {
    const readKey = await t.createApiKey('read', 'dashboard');
    const file = await csvFile('one.csv', 'externalId\ncli-r1\n');
    const run = await liftlab(['import', 'customers', file, '--url', url, '--key', readKey]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: POST /v1/imports/customers: 403 Forbidden: An API key with the read scope cannot do this.\n',
    );
    expect(await customerCount('cli-r')).toBe(0);
  });
});
