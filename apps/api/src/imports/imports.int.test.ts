import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';

let t: TestApp;
let marketer: Agent;

async function upload(kind: string, csv: string, query = ''): Promise<ImportJob> {
  const res = await marketer.post(`/v1/imports/${kind}${query}`).set('Content-Type', 'text/csv').send(csv);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return res.body as ImportJob;
}

const customer = (externalId: string) =>
  t.prisma.customer.findUnique({
    where: { workspaceId_externalId: { workspaceId: t.workspaceId, externalId } },
  });

beforeAll(async () => {
  t = await createTestApp();
  marketer = await t.loginAs('marketer');
  await t.prisma.experiment.create({
    data: {
      workspaceId: t.workspaceId,
      key: 'spring-winback',
      name: 'Spring win-back mailing',
      kind: 'holdout',
      seed: 'spring-winback',
      status: 'running',
      variants: {
        create: [
          { key: 'holdout', name: 'Holdout', weight: 0.2, isControl: true, position: 0 },
          { key: 'treated', name: 'Treated', weight: 0.8, position: 1 },
        ],
      },
    },
  });
});

afterAll(() => t?.close());

describe('POST /v1/imports/customers', () => {
  it('stores valid rows, reports the others by row, column and rule, and keeps the report', async () => {
    const csv = [
      'External ID,Segment,acquisition_date,country,trait.ltv,trait.newsletter',
      'imp-1,vip,2024-03-01,DE,1200.50,true',
      'imp-2,,2024-02-30,FR,,',
      '"imp-3","regular, long-term",,US,80,false',
      'imp-4,vip,,Germany,,',
      'imp-5,too,many,cells,here,x,y',
      ',orphan,,,,',
    ].join('\n');
    const job = await upload('customers', csv, '?fileName=crm-export.csv');
    expect(job).toMatchObject({
      kind: 'customers',
      status: 'completed',
      fileName: 'crm-export.csv',
      total: 6,
      accepted: 2,
      rejected: 4,
      errors: [
        { row: 2, field: 'acquisitionDate', rule: 'format_date' },
        { row: 4, field: 'country', rule: 'format_country' },
        { row: 5, field: '(row)', rule: 'column_count' },
        { row: 6, field: 'externalId', rule: 'required' },
      ],
    });
    expect(job.finishedAt).toBe(t.clock.now().toISOString());
    expect(await customer('imp-1')).toMatchObject({
      segment: 'vip',
      country: 'DE',
      traits: { ltv: 1200.5, newsletter: true },
    });
    expect(await customer('imp-3')).toMatchObject({
      segment: 'regular, long-term',
      traits: { ltv: 80, newsletter: false },
    });
    expect(await customer('imp-2')).toBeNull();

    const again = await marketer.get(`/v1/imports/${job.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(job);
  });

  it('refuses a header that does not fit before storing anything', async () => {
    const res = await marketer
      .post('/v1/imports/customers')
      .set('Content-Type', 'text/csv')
      .send('id,segment,favourite_colour\nhdr-1,vip,blue\n');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: '(file).id', rule: 'unknown_column' },
      { path: '(file).favourite_colour', rule: 'unknown_column' },
      { path: '(file).externalId', rule: 'required_column' },
    ]);
    expect(await customer('hdr-1')).toBeNull();
    expect(await t.prisma.importJob.count({ where: { fileName: null, kind: 'customers', total: 0 } })).toBe(
      0,
    );
  });

  it('asks for a CSV body', async () => {
    const res = await marketer.post('/v1/imports/customers').send({ externalId: 'json-1' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '(body)', rule: 'content_type_csv' }]);
    const empty = await marketer.post('/v1/imports/customers').set('Content-Type', 'text/csv').send('');
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: '(file)', rule: 'empty_file' }]);
  });

  it('ends the job as failed when the file stops being CSV, keeping the rows before', async () => {
    const job = await upload('customers', 'externalId,segment\nbroken-1,vip\nbroken-2,"unterminated\n');
    expect(job).toMatchObject({ status: 'failed', total: 1, accepted: 1, rejected: 0 });
    expect(job.errors).toEqual([{ row: 2, field: '(file)', rule: 'csv_quote_not_closed' }]);
    expect(await customer('broken-1')).not.toBeNull();
  });
});

describe('POST /v1/imports/orders', () => {
  it('streams a large file in batches, with exact row numbers, and is idempotent per orderId', async () => {
    const lines = ['order_id,customer_id,amount,currency,occurred_at,revenue_stream'];
    const bad = new Set<number>();
    for (let row = 1; row <= 4_500; row++) {
      if (row % 1000 === 7) {
        bad.add(row);
        lines.push(`O-${row},c-${row % 300},12;50,EUR,2025-01-10T10:00:00Z,upsell`);
      } else {
        lines.push(
          `O-${row},c-${row % 300},${(row % 97) + 0.99},EUR,2025-01-10T10:00:00Z,${row % 2 ? 'upsell' : 'retention'}`,
        );
      }
    }
    const csv = lines.join('\n') + '\n';
    const first = await upload('orders', csv);
    expect(first).toMatchObject({
      status: 'completed',
      total: 4_500,
      accepted: 4_500 - bad.size,
      rejected: bad.size,
    });
    expect(first.errors).toEqual([...bad].map((row) => ({ row, field: 'amount', rule: 'type_number' })));
    const stored = await t.prisma.event.count({
      where: { type: 'order', clientEventId: { startsWith: 'order:O-' } },
    });
    expect(stored).toBe(4_500 - bad.size);
    const order = await t.prisma.event.findFirst({
      where: { clientEventId: 'order:O-98' },
      include: { customer: true },
    });
    expect(order?.amount?.toString()).toBe('1.99');
    expect(order?.revenueStream).toBe('retention');
    expect(order?.customer.externalId).toBe('c-98');

    const second = await upload('orders', csv);
    expect(second).toMatchObject({ accepted: 4_500 - bad.size, rejected: bad.size });
    expect(await t.prisma.event.count({ where: { clientEventId: { startsWith: 'order:O-' } } })).toBe(stored);
  }, 120_000);
});

describe('POST /v1/imports/experiment', () => {
  it('imports assignments, keeps existing ones, and rejects conflicting or unknown rows', async () => {
    const job = await upload(
      'experiment',
      [
        'customerId,experimentKey,variantKey,assignedAt',
        'exp-1,spring-winback,holdout,2025-01-02T00:00:00Z',
        'exp-2,spring-winback,treated,',
        'exp-1,spring-winback,treated,',
        'exp-3,spring-winback,control,',
        'exp-4,autumn,treated,',
        'exp-2,spring-winback,treated,',
      ].join('\n'),
    );
    expect(job).toMatchObject({
      status: 'completed',
      total: 6,
      accepted: 3,
      rejected: 3,
      errors: [
        { row: 3, field: 'variantKey', rule: 'assigned_to_other_variant' },
        { row: 4, field: 'variantKey', rule: 'unknown_variant' },
        { row: 5, field: 'experimentKey', rule: 'unknown_experiment' },
      ],
    });
    const assignments = await t.prisma.assignment.findMany({
      where: { experiment: { key: 'spring-winback' } },
      include: { customer: true, variant: true },
      orderBy: { customer: { externalId: 'asc' } },
    });
    expect(assignments.map((a) => [a.customer.externalId, a.variant.key, a.source])).toEqual([
      ['exp-1', 'holdout', 'import'],
      ['exp-2', 'treated', 'import'],
    ]);
    expect(assignments[0]?.assignedAt.toISOString()).toBe('2025-01-02T00:00:00.000Z');
  });

  it('stores a non-zero outcome as one conversion per customer, once however often the file comes', async () => {
    const csv = [
      'Customer,Variant,outcome,outcome_at,assignedAt',
      'out-1,treated,49.90,2025-01-05T10:00:00Z,2025-01-03T00:00:00Z',
      'out-2,holdout,0,,2025-01-03T00:00:00Z',
      'out-3,holdout,-12.5,,2025-01-04T00:00:00Z',
      'out-4,treated,,,',
      'out-5,treated,lots,,',
      'out-6,treated,1e999,,',
      'out-7,treated,,2025-01-05T10:00:00Z,',
      'out-8,treated,1,2025-01-20T10:00:00Z,',
    ].join('\n');
    const query = '?experimentKey=spring-winback&outcomeEvent=winback_revenue';
    const expected = {
      status: 'completed',
      total: 8,
      accepted: 4,
      rejected: 4,
      errors: [
        { row: 5, field: 'outcome', rule: 'type_number' },
        { row: 6, field: 'outcome', rule: 'type_number' },
        { row: 7, field: 'outcome', rule: 'required_with_outcome_at' },
        { row: 8, field: 'outcomeAt', rule: 'not_in_future' },
      ],
    };
    expect(await upload('experiment', csv, query)).toMatchObject(expected);
    expect(await upload('experiment', csv, query)).toMatchObject(expected);

    const events = await t.prisma.event.findMany({
      where: { workspaceId: t.workspaceId, name: 'winback_revenue' },
      include: { customer: true, variant: true },
      orderBy: { customer: { externalId: 'asc' } },
    });
    expect(
      events.map((e) => [e.customer.externalId, e.type, e.variant?.key, e.value, e.occurredAt.toISOString()]),
    ).toEqual([
      ['out-1', 'conversion', 'treated', 49.9, '2025-01-05T10:00:00.000Z'],
      // Without outcomeAt the outcome counts from the assignment.
      ['out-3', 'conversion', 'holdout', -12.5, '2025-01-04T00:00:00.000Z'],
    ]);
    const assigned = await t.prisma.assignment.count({
      where: { experiment: { key: 'spring-winback' }, customer: { externalId: { startsWith: 'out-' } } },
    });
    expect(assigned).toBe(4);
  });

  it('refuses a bad outcome event name and an experiment named both in the query and the file', async () => {
    const named = await marketer
      .post('/v1/imports/experiment?experimentKey=spring-winback&outcomeEvent=%20')
      .set('Content-Type', 'text/csv')
      .send('customer,variant,outcome\nq-1,treated,1\n');
    expect(named.status).toBe(400);
    expect(named.body.errors).toEqual([{ path: 'query.outcomeEvent', rule: 'required' }]);
    const both = await marketer
      .post('/v1/imports/experiment?experimentKey=spring-winback')
      .set('Content-Type', 'text/csv')
      .send('customer,experiment,variant\nq-1,spring-winback,treated\n');
    expect(both.status).toBe(400);
    expect(both.body.errors).toEqual([
      { path: '(file).experimentKey', rule: 'not_with_query_experiment_key' },
    ]);
    const orders = await marketer
      .post('/v1/imports/orders?outcomeEvent=x')
      .set('Content-Type', 'text/csv')
      .send('orderId\n');
    expect(orders.status).toBe(400);
    expect(await t.prisma.customer.count({ where: { externalId: 'q-1' } })).toBe(0);
  });

  it('is for marketers, admins and ingest keys, never read keys', async () => {
    const key = await t.keyAgent('read');
    const res = await key.post('/v1/imports/experiment').set('Content-Type', 'text/csv').send('customerId\n');
    expect(res.status).toBe(403);
    const missing = await marketer.get('/v1/imports/00000000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
  });
});
