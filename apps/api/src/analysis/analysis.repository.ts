import { Injectable } from '@nestjs/common';
import { MAX_DIMENSION_VALUES } from '@liftlab/contracts';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { MeanFamilyRow, MonthRow, RatioFamilyRow, StatsGrouping } from './sufficient-stats';

/**
 * The only place the analysis touches the database. Every statistic is computed by PostgreSQL (or PGlite, the
 * same dialect): customer rows never leave the database; what comes back are sufficient statistics per metric ×
 * arm × grouping (all customers, each enrollment day, each value of each dimension).
 *
 * Unit of analysis: the customer. A customer enters an experiment at their first exposure: the earlier of their
 * stored assignment and their first exposure event (SDK evaluations only send exposures); the assignment's variant
 * wins over the exposure's. The global holdout's customers enter when their membership was decided.
 */

/** Length of a "month since exposure" in the revenue split. */
export const MONTH_DAYS = 30;
/** Months since exposure reported at most. */
export const MAX_MONTHS = 24;

export type UnitSource =
  | { kind: 'experiment'; workspaceId: string; experimentId: string }
  | { kind: 'global_holdout'; workspaceId: string };

/** What the SQL needs to know about a metric. */
export interface MetricSql {
  kind: 'proportion' | 'mean' | 'ratio';
  eventName: string;
  valueProperty: string | null;
  denominatorEventName: string | null;
  denominatorValueProperty: string | null;
  windowDays: number;
  capping: 'none' | 'absolute' | 'percentile';
  capValue: number | null;
}

export interface FamilyQuery {
  source: UnitSource;
  /** Events that occurred at or after this instant are not counted. */
  until: Date;
  /** Metrics of one family (mean and proportion, or ratio); the `metric` column of the rows indexes this list. */
  metrics: MetricSql[];
  /** Dimension keys (segment, acquisitionChannel, acquisitionCohort, plan, country, trait.<name>). */
  dimensions: string[];
  /** Also compute the pre-period covariates (CUPED). */
  withPrePeriod: boolean;
  /** Also group by enrollment day (UTC), for the cumulative series. */
  byDay: boolean;
}

export interface MonthQuery {
  source: UnitSource;
  until: Date;
  /** Mean metrics whose value is split by month since exposure; `caps[i]` caps each customer-month value. */
  metrics: MetricSql[];
  caps: (number | null)[];
}

export interface ExperimentDefinition {
  id: string;
  workspaceId: string;
  key: string;
  name: string;
  status: 'draft' | 'running' | 'stopped' | 'concluded';
  engine: 'frequentist' | 'sequential' | 'bayesian';
  variants: { id: string; key: string; name: string; weight: number; isControl: boolean; position: number }[];
  metrics: (MetricDefinition & { role: 'primary' | 'secondary' | 'guardrail' })[];
}

export interface MetricDefinition extends MetricSql {
  id: string;
  key: string;
  name: string;
  revenueStream: 'upsell' | 'cross_sell' | 'retention' | 'other' | null;
  higherIsBetter: boolean;
}

export interface SettingsRecord {
  correction: 'holm' | 'bh';
  alpha: number;
  cuped: boolean;
  dimensions: string[];
}

export interface StoredSnapshot {
  id: string;
  result: unknown;
}

/** Snapshots kept per experiment (and per workspace for the global holdout); older ones are deleted. */
export const SNAPSHOTS_KEPT = 50;

@Injectable()
export class AnalysisRepository {
  constructor(private readonly prisma: PrismaService) {}

  // ------------------------------------------------------------------ definitions

  async experiment(experimentId: string, workspaceId?: string): Promise<ExperimentDefinition | null> {
    const row = await this.prisma.experiment.findFirst({
      where: { id: experimentId, ...(workspaceId ? { workspaceId } : {}) },
      include: { variants: { orderBy: { position: 'asc' } }, metrics: { include: { metric: true } } },
    });
    if (!row) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      key: row.key,
      name: row.name,
      status: row.status,
      engine: row.engine,
      variants: row.variants.map((v) => ({
        id: v.id,
        key: v.key,
        name: v.name,
        weight: v.weight,
        isControl: v.isControl,
        position: v.position,
      })),
      metrics: row.metrics
        .map((m) => ({ ...toMetric(m.metric), role: m.role }))
        .sort((a, b) => roleOrder(a.role) - roleOrder(b.role) || a.key.localeCompare(b.key)),
    };
  }

  /** Experiments whose results are refreshed on schedule. */
  async refreshableExperiments(): Promise<{ id: string; workspaceId: string }[]> {
    return this.prisma.experiment.findMany({
      where: { status: { in: ['running', 'stopped'] } },
      select: { id: true, workspaceId: true },
      orderBy: { id: 'asc' },
    });
  }

  /** Workspaces with at least one customer decided for the global holdout, and their holdout percent. */
  async holdoutWorkspaces(workspaceId?: string): Promise<{ id: string; percent: number }[]> {
    const rows = await this.prisma.workspace.findMany({
      where: { ...(workspaceId ? { id: workspaceId } : {}), globalHoldoutMember: { some: {} } },
      select: { id: true, globalHoldoutPercent: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({ id: r.id, percent: r.globalHoldoutPercent }));
  }

  async workspaceMetrics(workspaceId: string): Promise<MetricDefinition[]> {
    const rows = await this.prisma.metric.findMany({ where: { workspaceId }, orderBy: { key: 'asc' } });
    return rows.map(toMetric);
  }

  async settings(experimentId: string): Promise<SettingsRecord | null> {
    const row = await this.prisma.resultSettings.findUnique({ where: { experimentId } });
    return row
      ? { correction: row.correction, alpha: row.alpha, cuped: row.cuped, dimensions: row.dimensions }
      : null;
  }

  async saveSettings(
    workspaceId: string,
    experimentId: string,
    settings: SettingsRecord,
    now: Date,
  ): Promise<SettingsRecord> {
    const row = await this.prisma.resultSettings.upsert({
      where: { experimentId },
      create: { experimentId, workspaceId, ...settings, updatedAt: now },
      update: { ...settings, updatedAt: now },
    });
    return { correction: row.correction, alpha: row.alpha, cuped: row.cuped, dimensions: row.dimensions };
  }

  // ------------------------------------------------------------------ snapshots

  async saveSnapshot(row: {
    id: string;
    workspaceId: string;
    kind: 'experiment' | 'global_holdout';
    experimentId: string | null;
    trigger: 'schedule' | 'manual';
    dataUntil: Date;
    computedAt: Date;
    durationMs: number;
    result: unknown;
  }): Promise<void> {
    const scope = { workspaceId: row.workspaceId, kind: row.kind, experimentId: row.experimentId };
    await this.prisma.$transaction(async (tx) => {
      await tx.resultSnapshot.create({ data: { ...row, result: row.result as Prisma.InputJsonValue } });
      const stale = await tx.resultSnapshot.findMany({
        where: scope,
        orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
        skip: SNAPSHOTS_KEPT,
        select: { id: true },
      });
      if (stale.length > 0) {
        await tx.resultSnapshot.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } });
      }
    });
  }

  async latestSnapshot(
    scope: { kind: 'experiment'; experimentId: string } | { kind: 'global_holdout'; workspaceId: string },
  ): Promise<StoredSnapshot | null> {
    const where =
      scope.kind === 'experiment'
        ? { kind: scope.kind, experimentId: scope.experimentId }
        : { kind: scope.kind, workspaceId: scope.workspaceId, experimentId: null };
    const row = await this.prisma.resultSnapshot.findFirst({
      where,
      orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
      select: { id: true, result: true },
    });
    return row;
  }

  // ------------------------------------------------------------------ sufficient statistics

  /** Customers per arm (for the sample-ratio-mismatch check, whatever the metrics). */
  async armCounts(source: UnitSource, until: Date): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ arm: string; n: number }[]>`
      WITH ${unitsCte(source, until)}
      SELECT arm, count(*)::int AS n FROM units GROUP BY arm`;
    return new Map(rows.map((r) => [r.arm, Number(r.n)]));
  }

  /**
   * Mean and proportion metrics in one query: per customer x = Σ value (mean) or 1 if the event happened
   * (proportion) during [exposure, exposure + window), the covariate y the same over the window before exposure;
   * both capped; then n, Σx, Σx², Σy, Σy², Σxy per metric × arm × grouping.
   */
  async meanFamily(q: FamilyQuery): Promise<MeanFamilyRow[]> {
    if (q.metrics.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>(familySql(q, 'mean'));
    return rows.map((r) => ({
      ...groupingOf(r),
      metric: Number(r.metric),
      arm: String(r.arm),
      n: Number(r.n),
      cap: r.cap === null ? null : Number(r.cap),
      sum: Number(r.sum),
      sumSquares: Number(r.sum_squares),
      preSum: Number(r.pre_sum),
      preSumSquares: Number(r.pre_sum_squares),
      sumProducts: Number(r.sum_products),
    }));
  }

  /**
   * Ratio metrics in one query: per customer the numerator m and denominator d over the window after exposure
   * and m′, d′ over the window before it, then every sum, sum of squares and cross-product of (m, d, m′, d′).
   */
  async ratioFamily(q: FamilyQuery): Promise<RatioFamilyRow[]> {
    if (q.metrics.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>(familySql(q, 'ratio'));
    return rows.map((r) => ({
      ...groupingOf(r),
      metric: Number(r.metric),
      arm: String(r.arm),
      n: Number(r.n),
      cap: r.cap === null ? null : Number(r.cap),
      sum: Number(r.sum),
      sumSquares: Number(r.sum_squares),
      denSum: Number(r.den_sum),
      denSumSquares: Number(r.den_sum_squares),
      sumNumDen: Number(r.sum_num_den),
      preSum: Number(r.pre_sum),
      preSumSquares: Number(r.pre_sum_squares),
      preDenSum: Number(r.pre_den_sum),
      preDenSumSquares: Number(r.pre_den_sum_squares),
      sumProducts: Number(r.sum_products),
      sumNumPreDen: Number(r.sum_num_pre_den),
      sumDenPreNum: Number(r.sum_den_pre_num),
      sumDenPreDen: Number(r.sum_den_pre_den),
      sumPreNumPreDen: Number(r.sum_pre_num_pre_den),
    }));
  }

  /**
   * Revenue by month since exposure: for month k, the customers whose month k ended before `until`, and Σx, Σx²
   * of their (capped) value in that month. Customers with no event in a month count as 0.
   */
  async monthly(q: MonthQuery): Promise<MonthRow[]> {
    if (q.metrics.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>(monthSql(q));
    return rows.map((r) => ({
      metric: Number(r.metric),
      arm: String(r.arm),
      month: Number(r.month),
      n: Number(r.n),
      sum: Number(r.sum),
      sumSquares: Number(r.sum_squares),
    }));
  }
}

// ------------------------------------------------------------------ SQL building blocks

function roleOrder(role: 'primary' | 'secondary' | 'guardrail'): number {
  return role === 'primary' ? 0 : role === 'secondary' ? 1 : 2;
}

function toMetric(m: {
  id: string;
  key: string;
  name: string;
  kind: 'proportion' | 'mean' | 'ratio';
  eventName: string;
  valueProperty: string | null;
  denominatorEventName: string | null;
  denominatorValueProperty: string | null;
  windowDays: number;
  capping: 'none' | 'absolute' | 'percentile';
  capValue: number | null;
  revenueStream: 'upsell' | 'cross_sell' | 'retention' | 'other' | null;
  higherIsBetter: boolean;
}): MetricDefinition {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    kind: m.kind,
    eventName: m.eventName,
    valueProperty: m.valueProperty,
    denominatorEventName: m.denominatorEventName,
    denominatorValueProperty: m.denominatorValueProperty,
    windowDays: m.windowDays,
    capping: m.capping,
    capValue: m.capValue,
    revenueStream: m.revenueStream,
    higherIsBetter: m.higherIsBetter,
  };
}

function groupingOf(r: Record<string, unknown>): StatsGrouping {
  const g = String(r.grouping);
  if (g === 'all') return { grouping: 'all', dimension: null, value: null };
  if (g === 'day') return { grouping: 'day', dimension: null, value: String(r.value) };
  return { grouping: 'dimension', dimension: g, value: String(r.value) };
}

/** `units(customer_id, arm, enrolled_at)`: who is analysed, in which arm, from when. */
function unitsCte(source: UnitSource, until: Date): Prisma.Sql {
  const untilTs = Prisma.sql`${until.toISOString()}::timestamptz`;
  if (source.kind === 'global_holdout') {
    return Prisma.sql`units AS (
      SELECT customer_id, CASE WHEN in_holdout THEN 'holdout' ELSE 'treated' END AS arm, decided_at AS enrolled_at
        FROM global_holdout_members
       WHERE workspace_id = ${source.workspaceId}::uuid AND decided_at < ${untilTs})`;
  }
  const exp = Prisma.sql`${source.experimentId}::uuid`;
  return Prisma.sql`first_exposure AS (
      SELECT DISTINCT ON (customer_id) customer_id, variant_id, occurred_at
        FROM events
       WHERE experiment_id = ${exp} AND type = 'exposure' AND variant_id IS NOT NULL AND occurred_at < ${untilTs}
       ORDER BY customer_id, occurred_at, id),
    assigned AS (
      SELECT customer_id, variant_id, assigned_at FROM assignments
       WHERE experiment_id = ${exp} AND assigned_at < ${untilTs}),
    units AS (
      SELECT coalesce(a.customer_id, x.customer_id) AS customer_id,
             coalesce(a.variant_id, x.variant_id)::text AS arm,
             least(a.assigned_at, x.occurred_at) AS enrolled_at
        FROM assigned a FULL JOIN first_exposure x ON x.customer_id = a.customer_id)`;
}

/** A dimension key → its expression on `customers c` (keys are validated; trait names are parameters). */
function dimensionExpr(key: string): Prisma.Sql {
  switch (key) {
    case 'segment':
      return Prisma.sql`c.segment`;
    case 'acquisitionChannel':
      return Prisma.sql`c.acquisition_channel`;
    case 'acquisitionCohort':
      return Prisma.sql`to_char(c.acquisition_date, 'YYYY-MM')`;
    case 'plan':
      return Prisma.sql`c.plan`;
    case 'country':
      return Prisma.sql`c.country`;
    default:
      if (!key.startsWith('trait.')) throw new Error(`unknown dimension ${key}`);
      return Prisma.sql`(c.traits ->> ${key.slice('trait.'.length)}::text)`;
  }
}

/** The value an event contributes: its `value`, or a numeric property (non-numbers count as missing). */
function valueExpr(property: string | null): Prisma.Sql {
  if (property === null) return Prisma.sql`e.value`;
  return Prisma.sql`(CASE WHEN jsonb_typeof(e.properties -> ${property}::text) = 'number'
                          THEN (e.properties ->> ${property}::text)::float8 END)`;
}

// Windows are exact multiples of 24 hours, whatever the session's time zone and its daylight-saving changes.
const days = (n: number) => Prisma.sql`make_interval(secs => ${n * 86_400}::float8)`;
const raw = (s: string) => Prisma.raw(s);
/** Prisma.join refuses an empty list; an absent optional part is simply nothing. */
const list = (parts: Prisma.Sql[], separator = ' ') =>
  parts.length === 0 ? Prisma.empty : Prisma.join(parts, separator);

/**
 * Per-customer aggregation over the customer's events, then capping, then one pass of GROUPING SETS. The
 * events join is bounded by the widest window (and its pre-period), so one scan serves every metric.
 */
function familySql(q: FamilyQuery, family: 'mean' | 'ratio'): Prisma.Sql {
  const untilTs = Prisma.sql`${q.until.toISOString()}::timestamptz`;
  const dims = q.dimensions.map((_, i) => `d${i}`);
  const maxWindow = Math.max(...q.metrics.map((m) => m.windowDays));
  const names = [
    ...new Set(
      q.metrics.flatMap((m) => [m.eventName, ...(m.denominatorEventName ? [m.denominatorEventName] : [])]),
    ),
  ];

  const dimSelect = q.dimensions.map(
    (key, i) => Prisma.sql`, coalesce(${dimensionExpr(key)}, '(none)') AS ${raw(dims[i] as string)}`,
  );
  const topCtes = dims.map(
    (d) => Prisma.sql`, top_${raw(d)} AS (
      SELECT ${raw(d)} AS v FROM unit_dims GROUP BY ${raw(d)} ORDER BY count(*) DESC, ${raw(d)}
       LIMIT ${MAX_DIMENSION_VALUES}::int)`,
  );
  const dimBase = dims.map(
    (d) =>
      Prisma.sql`, CASE WHEN ${raw(d)} IN (SELECT v FROM top_${raw(d)}) THEN ${raw(d)} ELSE '(other)' END AS ${raw(d)}`,
  );
  const dimCols = dims.map((d) => raw(`, ${d}`));

  const post = (m: MetricSql, name: string) =>
    Prisma.sql`e.name = ${name} AND e.occurred_at >= b.enrolled_at AND e.occurred_at < b.enrolled_at + ${days(m.windowDays)}`;
  const pre = (m: MetricSql, name: string) =>
    Prisma.sql`e.name = ${name} AND e.occurred_at >= b.enrolled_at - ${days(m.windowDays)} AND e.occurred_at < b.enrolled_at`;
  const sumWhere = (expr: Prisma.Sql, cond: Prisma.Sql) =>
    Prisma.sql`coalesce(sum(${expr}) FILTER (WHERE ${cond}), 0)::float8`;
  const anyWhere = (cond: Prisma.Sql) => Prisma.sql`(count(*) FILTER (WHERE ${cond}) > 0)::int::float8`;

  // Per-customer columns: x (numerator), y (pre numerator), and for ratios d, pd (denominators).
  const perUnit = q.metrics.map((m, i) => {
    const value = valueExpr(m.valueProperty);
    const x =
      m.kind === 'proportion' ? anyWhere(post(m, m.eventName)) : sumWhere(value, post(m, m.eventName));
    const y = !q.withPrePeriod
      ? Prisma.sql`0::float8`
      : m.kind === 'proportion'
        ? anyWhere(pre(m, m.eventName))
        : sumWhere(value, pre(m, m.eventName));
    const cols = [Prisma.sql`, ${x} AS ${raw(`x${i}`)}`, Prisma.sql`, ${y} AS ${raw(`y${i}`)}`];
    if (family === 'ratio') {
      const den = m.denominatorEventName ?? m.eventName;
      const denValue =
        m.denominatorValueProperty === null ? Prisma.sql`1::float8` : valueExpr(m.denominatorValueProperty);
      cols.push(Prisma.sql`, ${sumWhere(denValue, post(m, den))} AS ${raw(`d${i}_den`)}`);
      cols.push(
        q.withPrePeriod
          ? Prisma.sql`, ${sumWhere(denValue, pre(m, den))} AS ${raw(`pd${i}_den`)}`
          : Prisma.sql`, 0::float8 AS ${raw(`pd${i}_den`)}`,
      );
    }
    return Prisma.join(cols, '');
  });

  // Caps: absolute → the configured value; percentile → percentile_cont over every customer's value (all arms).
  const caps = q.metrics.map((m, i) => {
    if (m.capping === 'absolute' && m.capValue !== null)
      return Prisma.sql`${m.capValue}::float8 AS ${raw(`c${i}`)}`;
    if (m.capping === 'percentile' && m.capValue !== null) {
      return Prisma.sql`(SELECT percentile_cont(${m.capValue}::float8) WITHIN GROUP (ORDER BY ${raw(`x${i}`)})
                           FROM unit_values) AS ${raw(`c${i}`)}`;
    }
    return Prisma.sql`NULL::float8 AS ${raw(`c${i}`)}`;
  });

  const longRows = q.metrics.map((_, i) => {
    const c = raw(`k.c${i}`);
    const base = Prisma.sql`${i}::int, ${c}, least(v.${raw(`x${i}`)}, ${c}), least(v.${raw(`y${i}`)}, ${c})`;
    return family === 'ratio'
      ? Prisma.sql`(${base}, v.${raw(`d${i}_den`)}, v.${raw(`pd${i}_den`)})`
      : Prisma.sql`(${base})`;
  });
  const longColumns = family === 'ratio' ? raw('metric, cap, x, y, d, pd') : raw('metric, cap, x, y');

  const sums =
    family === 'mean'
      ? raw(`sum(x)::float8 AS sum, sum(x * x)::float8 AS sum_squares,
             sum(y)::float8 AS pre_sum, sum(y * y)::float8 AS pre_sum_squares, sum(x * y)::float8 AS sum_products`)
      : raw(`sum(x)::float8 AS sum, sum(x * x)::float8 AS sum_squares,
             sum(d)::float8 AS den_sum, sum(d * d)::float8 AS den_sum_squares, sum(x * d)::float8 AS sum_num_den,
             sum(y)::float8 AS pre_sum, sum(y * y)::float8 AS pre_sum_squares,
             sum(pd)::float8 AS pre_den_sum, sum(pd * pd)::float8 AS pre_den_sum_squares,
             sum(x * y)::float8 AS sum_products, sum(x * pd)::float8 AS sum_num_pre_den,
             sum(d * y)::float8 AS sum_den_pre_num, sum(d * pd)::float8 AS sum_den_pre_den,
             sum(y * pd)::float8 AS sum_pre_num_pre_den`);

  const groupingSets = [
    raw('(metric, arm)'),
    ...(q.byDay ? [raw('(metric, arm, day)')] : []),
    ...dims.map((d) => raw(`(metric, arm, ${d})`)),
  ];
  // GROUPING(col) = 0 when col is grouped: which set a row belongs to, and its value.
  const groupingName = [
    ...(q.byDay ? [Prisma.sql`WHEN GROUPING(day) = 0 THEN 'day'`] : []),
    ...dims.map((d, i) => Prisma.sql`WHEN GROUPING(${raw(d)}) = 0 THEN ${q.dimensions[i] as string}`),
  ];
  const groupingValue = [
    ...(q.byDay ? [raw('WHEN GROUPING(day) = 0 THEN day')] : []),
    ...dims.map((d) => raw(`WHEN GROUPING(${d}) = 0 THEN ${d}`)),
  ];
  const caseOf = (branches: Prisma.Sql[], otherwise: Prisma.Sql) =>
    branches.length === 0 ? otherwise : Prisma.sql`CASE ${list(branches)} ELSE ${otherwise} END`;
  const preWindow = q.withPrePeriod ? maxWindow : 0;

  return Prisma.sql`
    WITH ${unitsCte(q.source, q.until)},
    unit_dims AS (
      SELECT u.customer_id, u.arm, u.enrolled_at,
             to_char(u.enrolled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
             ${list(dimSelect)}
        FROM units u ${dims.length > 0 ? raw('JOIN customers c ON c.id = u.customer_id') : raw('')}
    )
    ${list(topCtes)},
    unit_base AS (
      SELECT customer_id, arm, enrolled_at, day ${list(dimBase)} FROM unit_dims
    ),
    unit_values AS (
      SELECT b.arm, b.day ${list(dims.map((d) => raw(`, b.${d}`)))} ${list(perUnit)}
        FROM unit_base b
        LEFT JOIN events e
          ON e.customer_id = b.customer_id
         AND e.workspace_id = ${q.source.workspaceId}::uuid
         AND e.name IN (${Prisma.join(names)})
         AND e.occurred_at >= b.enrolled_at - ${days(preWindow)}
         AND e.occurred_at < least(b.enrolled_at + ${days(maxWindow)}, ${untilTs})
       GROUP BY b.customer_id, b.arm, b.day ${list(dims.map((d) => raw(`, b.${d}`)))}
    ),
    caps AS (SELECT ${Prisma.join(caps, ', ')}),
    long AS (
      SELECT v.arm, v.day ${list(dimCols)}, m.*
        FROM unit_values v CROSS JOIN caps k
       CROSS JOIN LATERAL (VALUES ${Prisma.join(longRows, ', ')}) AS m(${longColumns})
    )
    SELECT metric, arm,
           ${caseOf(groupingName, Prisma.sql`'all'`)} AS grouping,
           ${caseOf(groupingValue, Prisma.sql`NULL`)} AS value,
           count(*)::int AS n, max(cap)::float8 AS cap, ${sums}
      FROM long
     GROUP BY GROUPING SETS (${Prisma.join(groupingSets, ', ')})`;
}

function monthSql(q: MonthQuery): Prisma.Sql {
  const untilTs = Prisma.sql`${q.until.toISOString()}::timestamptz`;
  const names = [...new Set(q.metrics.map((m) => m.eventName))];
  const monthSeconds = MONTH_DAYS * 86_400;
  const values = q.metrics.map(
    (m, i) =>
      Prisma.sql`(${i}::int, CASE WHEN e.name = ${m.eventName} THEN ${valueExpr(m.valueProperty)} END)`,
  );
  const capped = q.metrics.map(
    (_, i) => Prisma.sql`WHEN ${i}::int THEN least(x, ${q.caps[i] ?? null}::float8)`,
  );
  return Prisma.sql`
    WITH ${unitsCte(q.source, q.until)},
    u AS NOT MATERIALIZED (
      SELECT customer_id, arm, enrolled_at,
             least(floor(extract(epoch FROM (${untilTs} - enrolled_at)) / ${monthSeconds}::int)::int,
                   ${MAX_MONTHS}::int) AS complete
        FROM units
    ),
    counts AS (SELECT arm, complete, count(*) AS c FROM u WHERE complete > 0 GROUP BY arm, complete),
    eligible AS (
      SELECT arm, k AS month, sum(c)::int AS n
        FROM counts CROSS JOIN LATERAL generate_series(0, complete - 1) AS k
       GROUP BY arm, k
    ),
    customer_months AS (
      SELECT u.customer_id, u.arm, m.metric,
             floor(extract(epoch FROM (e.occurred_at - u.enrolled_at)) / ${monthSeconds}::int)::int AS month,
             sum(m.v) AS x
        FROM u
        JOIN events e
          ON e.customer_id = u.customer_id
         AND e.workspace_id = ${q.source.workspaceId}::uuid
         AND e.name IN (${Prisma.join(names)})
         AND e.occurred_at >= u.enrolled_at
         AND e.occurred_at < u.enrolled_at + make_interval(secs => ${monthSeconds}::float8 * u.complete)
       CROSS JOIN LATERAL (VALUES ${Prisma.join(values, ', ')}) AS m(metric, v)
       WHERE u.complete > 0 AND m.v IS NOT NULL
       GROUP BY u.customer_id, u.arm, m.metric, month
    ),
    sums AS (
      SELECT metric, arm, month, sum(cx)::float8 AS sum, sum(cx * cx)::float8 AS sum_squares
        FROM (SELECT metric, arm, month, CASE metric ${Prisma.join(capped, ' ')} END AS cx
                FROM customer_months) AS c
       GROUP BY metric, arm, month
    )
    SELECT mm.metric, el.arm, el.month, el.n,
           coalesce(s.sum, 0)::float8 AS sum, coalesce(s.sum_squares, 0)::float8 AS sum_squares
      FROM eligible el
     CROSS JOIN generate_series(0, ${q.metrics.length - 1}::int) AS mm(metric)
      LEFT JOIN sums s ON s.metric = mm.metric AND s.arm = el.arm AND s.month = el.month
     ORDER BY mm.metric, el.month, el.arm`;
}
