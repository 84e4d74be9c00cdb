import { Inject, Injectable } from '@nestjs/common';
import {
  checkHoldoutVariants,
  checkVariants,
  HOLDOUT_CONTROL_KEY,
  type Experiment as ExperimentView,
  type ExperimentConclude,
  type ExperimentCreateParsed,
  type ExperimentExposures,
  type ExperimentList,
  type ExperimentListQuery,
  type ExperimentMetricInput,
  type ExperimentRamp,
  type ExperimentStop,
  type ExperimentUpdate,
  type NamespaceRangeInput,
  type VariantInput,
} from '@liftlab/contracts';
import { DEFAULT_SRM_THRESHOLD, srmTest } from '@liftlab/stats';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError, type FieldError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import {
  ExperimentsRepository,
  isUniqueViolation,
  type Db,
  type ExperimentRecord,
  type VariantRow,
} from './experiments.repository';
import { findOverlap } from './namespace-rules';
import { assertCanRamp, assertUpdateAllowed, transition, type TransitionAction } from './status';
import { toExperimentView } from './views';

const ENTITY = 'experiment';

/**
 * Arms in bucket order with their control flag. A holdout experiment's 'holdout' arm is always the control and
 * comes first; otherwise the flagged arm (or the first one) is the control.
 */
export function toVariantRows(kind: 'ab' | 'holdout', variants: readonly VariantInput[]): VariantRow[] {
  const ordered =
    kind === 'holdout'
      ? [...variants].sort(
          (a, b) => Number(b.key === HOLDOUT_CONTROL_KEY) - Number(a.key === HOLDOUT_CONTROL_KEY),
        )
      : [...variants];
  const flagged = ordered.findIndex((v) => v.isControl === true);
  const controlIndex = kind === 'holdout' ? 0 : Math.max(0, flagged);
  return ordered.map((v, i) => ({
    key: v.key,
    name: v.name,
    weight: v.weight,
    isControl: i === controlIndex,
    position: i,
  }));
}

@Injectable()
export class ExperimentsService {
  constructor(
    private readonly repo: ExperimentsRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, body: ExperimentCreateParsed): Promise<ExperimentView> {
    const ws = actor.workspaceId;
    try {
      return await this.repo.transaction(async (tx) => {
        if (await this.repo.keyExists(ws, body.key, tx)) throw keyTaken(body.key);
        const metrics = await this.resolveMetrics(ws, body.metrics, tx);
        const namespace = await this.claimNamespace(ws, body.namespace ?? null, undefined, tx);
        const created = await this.repo.create(
          ws,
          {
            key: body.key,
            name: body.name,
            kind: body.kind,
            hypothesis: body.hypothesis,
            seed: body.seed ?? body.key,
            coverage: body.coverage,
            namespaceId: namespace?.namespaceId ?? null,
            namespaceRangeStart: namespace?.start ?? null,
            namespaceRangeEnd: namespace?.end ?? null,
            targeting: body.targeting as Prisma.InputJsonValue,
            engine: body.engine,
            primaryMetricId: metrics.find((m) => m.role === 'primary')?.metricId ?? null,
          },
          toVariantRows(body.kind, body.variants),
          metrics,
          tx,
        );
        const view = toExperimentView(created);
        await this.audit.record(
          actor,
          'experiment.create',
          { type: ENTITY, id: created.id },
          undefined,
          view,
          { tx },
        );
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw keyTaken(body.key);
      throw error;
    }
  }

  async get(actor: Actor, id: string): Promise<ExperimentView> {
    return toExperimentView(await this.load(actor.workspaceId, id));
  }

  async list(actor: Actor, query: ExperimentListQuery): Promise<ExperimentList> {
    const rows = await this.repo.list(
      actor.workspaceId,
      { status: query.status },
      query.limit + 1,
      query.cursor,
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toExperimentView),
      nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async update(actor: Actor, id: string, body: ExperimentUpdate): Promise<ExperimentView> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      assertUpdateAllowed(current.status, Object.keys(body));

      const kind = body.kind ?? current.kind;
      const variants: VariantInput[] =
        body.variants ??
        current.variants.map((v) => ({ key: v.key, name: v.name, weight: v.weight, isControl: v.isControl }));
      if (body.kind !== undefined || body.variants !== undefined) assertDesign(kind, variants);

      const data: Prisma.ExperimentUncheckedUpdateInput = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.kind !== undefined) data.kind = body.kind;
      if (body.hypothesis !== undefined) data.hypothesis = body.hypothesis;
      if (body.seed !== undefined) data.seed = body.seed;
      if (body.coverage !== undefined) data.coverage = body.coverage;
      if (body.engine !== undefined) data.engine = body.engine;
      if (body.targeting !== undefined) data.targeting = body.targeting as Prisma.InputJsonValue;
      if (body.namespace !== undefined) {
        const ns = await this.claimNamespace(ws, body.namespace, id, tx);
        data.namespaceId = ns?.namespaceId ?? null;
        data.namespaceRangeStart = ns?.start ?? null;
        data.namespaceRangeEnd = ns?.end ?? null;
      }
      let metrics: { metricId: string; role: 'primary' | 'secondary' | 'guardrail' }[] | undefined;
      if (body.metrics !== undefined) {
        metrics = await this.resolveMetrics(ws, body.metrics, tx);
        data.primaryMetricId = metrics.find((m) => m.role === 'primary')?.metricId ?? null;
      }
      const needsNewVariants = body.variants !== undefined || body.kind !== undefined;
      const updated = await this.repo.update(
        ws,
        id,
        data,
        { variants: needsNewVariants ? toVariantRows(kind, variants) : undefined, metrics },
        tx,
      );
      const before = toExperimentView(current);
      const after = toExperimentView(updated);
      await this.audit.record(actor, 'experiment.update', { type: ENTITY, id }, before, after, { tx });
      return after;
    });
  }

  start(actor: Actor, id: string): Promise<ExperimentView> {
    return this.move(actor, id, 'start', {});
  }

  stop(actor: Actor, id: string, body: ExperimentStop): Promise<ExperimentView> {
    return this.move(actor, id, 'stop', body);
  }

  conclude(actor: Actor, id: string, body: ExperimentConclude): Promise<ExperimentView> {
    return this.move(actor, id, 'conclude', body);
  }

  /**
   * Changes coverage and/or weights of a running experiment. Customers already assigned keep their stored
   * variant (assignments are sticky), so a ramp only changes where new customers land.
   */
  async ramp(actor: Actor, id: string, body: ExperimentRamp): Promise<ExperimentView> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      assertCanRamp(current.status);
      const data: Prisma.ExperimentUncheckedUpdateInput = {};
      if (body.coverage !== undefined) data.coverage = body.coverage;
      if (body.weights) {
        const keys = new Set(current.variants.map((v) => v.key));
        const errors: FieldError[] = [];
        for (const key of Object.keys(body.weights)) {
          if (!keys.has(key)) errors.push({ path: `weights.${key}`, rule: 'unknown_variant' });
        }
        for (const key of keys)
          if (!(key in body.weights)) errors.push({ path: `weights.${key}`, rule: 'required' });
        if (errors.length > 0) throw DomainError.validation(errors);
        await this.repo.setWeights(id, new Map(Object.entries(body.weights)), tx);
      }
      const updated = await this.repo.update(ws, id, data, {}, tx);
      const snapshot = (e: ExperimentRecord) => ({
        coverage: e.coverage,
        weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
      });
      await this.audit.record(
        actor,
        'experiment.ramp',
        { type: ENTITY, id },
        snapshot(current),
        snapshot(updated),
        {
          tx,
        },
      );
      return toExperimentView(updated);
    });
  }

  /** Per-variant exposures counted from events, stored assignments, and the sample-ratio-mismatch check. */
  async exposures(actor: Actor, id: string): Promise<ExperimentExposures> {
    const exp = await this.load(actor.workspaceId, id);
    const [counts, assigned] = await Promise.all([
      this.repo.exposureCounts(id),
      this.repo.assignedCounts(id),
    ]);
    const byVariant = new Map(counts.map((c) => [c.variantId, c]));
    const variants = exp.variants.map((v) => ({
      variantId: v.id,
      key: v.key,
      weight: v.weight,
      assigned: assigned.get(v.id) ?? 0,
      exposedCustomers: byVariant.get(v.id)?.customers ?? 0,
      exposures: byVariant.get(v.id)?.exposures ?? 0,
    }));
    const totalExposedCustomers = variants.reduce((s, v) => s + v.exposedCustomers, 0);
    // SRM compares arms that can receive traffic; an arm ramped to weight 0 has no expected share.
    const tested = variants.filter((v) => v.weight > 0);
    let srm: ExperimentExposures['srm'] = null;
    if (totalExposedCustomers > 0 && tested.length >= 2) {
      const r = srmTest(
        tested.map((v) => v.exposedCustomers),
        tested.map((v) => v.weight),
      );
      srm = {
        chiSquare: r.chiSquare,
        dof: r.dof,
        pValue: r.pValue,
        flagged: r.flagged,
        threshold: DEFAULT_SRM_THRESHOLD,
      };
    }
    return {
      experimentId: exp.id,
      experimentKey: exp.key,
      totalExposedCustomers,
      totalExposures: variants.reduce((s, v) => s + v.exposures, 0),
      variants,
      srm,
    };
  }

  private async move(
    actor: Actor,
    id: string,
    action: TransitionAction,
    details: ExperimentStop | ExperimentConclude | Record<string, never>,
  ): Promise<ExperimentView> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      const { status, dates } = transition(current.status, action, this.clock.now());
      if (action === 'conclude') {
        const winner = (details as ExperimentConclude).winnerVariantKey;
        if (winner !== undefined && !current.variants.some((v) => v.key === winner)) {
          throw DomainError.invalid('winnerVariantKey', 'unknown_variant');
        }
      }
      const updated = await this.repo.update(ws, id, { status, ...dates }, {}, tx);
      await this.audit.record(
        actor,
        `experiment.${action}`,
        { type: ENTITY, id },
        { status: current.status },
        { status, ...details },
        { tx },
      );
      return toExperimentView(updated);
    });
  }

  private async load(workspaceId: string, id: string, db?: Db): Promise<ExperimentRecord> {
    const exp = await this.repo.findById(workspaceId, id, db);
    if (!exp) throw DomainError.notFound('Experiment', id);
    return exp;
  }

  private async resolveMetrics(
    workspaceId: string,
    metrics: readonly ExperimentMetricInput[],
    db: Db,
  ): Promise<{ metricId: string; role: 'primary' | 'secondary' | 'guardrail' }[]> {
    const ids = await this.repo.metricIds(
      workspaceId,
      metrics.map((m) => m.metricKey),
      db,
    );
    const errors: FieldError[] = [];
    const out = metrics.flatMap((m, i) => {
      const metricId = ids.get(m.metricKey);
      if (!metricId) {
        errors.push({ path: `metrics.${i}.metricKey`, rule: 'unknown_metric' });
        return [];
      }
      return [{ metricId, role: m.role }];
    });
    if (errors.length > 0) throw DomainError.validation(errors);
    return out;
  }

  /** Resolves the namespace and claims the slice, refusing one that overlaps another experiment's slice. */
  private async claimNamespace(
    workspaceId: string,
    input: NamespaceRangeInput | null,
    experimentId: string | undefined,
    tx: Prisma.TransactionClient,
  ): Promise<{ namespaceId: string; start: number; end: number } | null> {
    if (input === null) return null;
    const ns = await this.repo.findNamespaceByKey(workspaceId, input.key, tx);
    if (!ns) throw DomainError.invalid('namespace.key', 'unknown_namespace');
    await this.repo.lockNamespace(ns.id, tx);
    const overlap = findOverlap(await this.repo.namespaceSlices(ns.id, tx), input, experimentId);
    if (overlap) {
      throw DomainError.conflict(
        `Namespace ${ns.key}: [${input.start}, ${input.end}) overlaps experiment ${overlap.experimentKey} ` +
          `[${overlap.start}, ${overlap.end}).`,
        [{ path: 'namespace', rule: 'overlaps' }],
      );
    }
    return { namespaceId: ns.id, start: input.start, end: input.end };
  }
}

function keyTaken(key: string): DomainError {
  return DomainError.conflict(`An experiment with key ${key} already exists.`, [
    { path: 'key', rule: 'unique' },
  ]);
}

/** Re-checks the arms against the (possibly changed) kind, as create does. */
function assertDesign(kind: 'ab' | 'holdout', variants: readonly VariantInput[]): void {
  const errors: FieldError[] = [];
  const issue = (path: (string | number)[], rule: string) =>
    errors.push({ path: ['variants', ...path].join('.'), rule });
  checkVariants(variants, issue);
  if (kind === 'holdout') checkHoldoutVariants(variants, issue);
  if (errors.length > 0) throw DomainError.validation(errors);
}
