import { Inject, Injectable } from '@nestjs/common';
import type {
  Benchmark,
  Campaign as CampaignView,
  CampaignCreateParsed,
  CampaignList,
  CampaignListQuery,
  CampaignPlan,
  CampaignPlanRequestParsed,
  CampaignRoi,
  CampaignUpdate,
  CostLine,
  CostLineList,
  CostLineParsed,
  ProgramQuarter,
  ProgramTargets,
  ProgramTargetsUpdateParsed,
  ResultSnapshot,
  RoiBreakdown,
} from '@liftlab/contracts';
import { StatsInputError } from '@liftlab/stats';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import {
  inPeriod,
  previousQuarter,
  quarterOf,
  type MeasuredOutcome,
  type PortfolioEntry,
} from '../reports/portfolio';
import {
  CampaignsRepository,
  isMissingRow,
  isUniqueViolation,
  type CampaignRecord,
  type ExperimentSummary,
} from './campaigns.repository';
import { toStatsLedger } from './ledger';
import { breakdownFromSnapshot, measurementFromSnapshot, type Measurement } from './measurement';
import { planCampaign } from './planning';
import {
  breakdownRoi,
  computeCampaignRoi,
  NotMeasurableError,
  type CampaignTerms,
  type RoiComputation,
} from './roi';
import { ResultSnapshots } from './snapshots';
import { grossMarginsOf, launchDateOf, toCampaignView, toCostLine, toCostRow, toCostView } from './views';

const ENTITY = 'campaign';

/** A campaign with its experiment and, when it can be measured, its return. */
export interface Evaluation {
  campaign: CampaignRecord;
  experiment: ExperimentSummary | null;
  launchDate: string | null;
  snapshot: ResultSnapshot | null;
  measurement: Measurement | null;
  computation: RoiComputation | null;
  /** Why there is no computation (no results yet, no costs, ...). */
  notMeasurable: { field: string; rule: string; message: string } | null;
}

/** Program-level figures from a set of evaluations: pooled ROI of the measurable, SRM-clean campaigns. */
function pooled(evaluations: readonly Evaluation[]): Omit<ProgramQuarter, 'quarter'> {
  const usable = evaluations.filter(
    (e) => e.computation !== null && e.computation.projected.verdict !== 'blocked_by_srm',
  );
  const costsPv = usable.reduce((s, e) => s + (e.computation?.costs.pv ?? 0), 0);
  const margin = usable.reduce((s, e) => s + (e.computation?.projected.incrementalMarginPv.estimate ?? 0), 0);
  return {
    campaigns: evaluations.length,
    pooledRoi: costsPv > 0 ? (margin - costsPv) / costsPv : null,
    costsPv,
    incrementalMarginPv: margin,
  };
}

function statsToValidation(error: unknown): never {
  if (error instanceof StatsInputError) {
    const rule = error.rule
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
    throw DomainError.invalid(error.field, rule, `${error.field}: ${error.rule}`);
  }
  throw error;
}

@Injectable()
export class CampaignsService {
  constructor(
    private readonly repo: CampaignsRepository,
    private readonly audit: AuditService,
    private readonly snapshots: ResultSnapshots,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------------------------------------------------------
  // Campaigns

  async create(actor: Actor, body: CampaignCreateParsed): Promise<CampaignView> {
    const ws = actor.workspaceId;
    try {
      return await this.repo.transaction(async (tx) => {
        if (await this.repo.keyExists(ws, body.key, tx)) throw keyTaken(body.key);
        const experiment = await this.checkExperiment(ws, body.experimentId, body.variantKey ?? null, tx);
        const created = await this.repo.create(
          ws,
          {
            key: body.key,
            name: body.name,
            programKey: body.programKey,
            experimentId: body.experimentId,
            variantKey: body.variantKey ?? null,
            horizonMonths: body.horizonMonths,
            annualDiscountRate: body.annualDiscountRate,
            marginUpsell: body.grossMargins.upsell,
            marginCrossSell: body.grossMargins.cross_sell,
            marginRetention: body.grossMargins.retention,
            marginOther: body.grossMargins.other,
            acquisitionCostPerCustomer: body.acquisitionCostPerCustomer ?? null,
            startsOn: body.startsOn ? new Date(`${body.startsOn}T00:00:00.000Z`) : null,
          },
          body.costs.map(toCostRow),
          tx,
        );
        const view = toCampaignView(created, experiment);
        await this.audit.record(actor, 'campaign.create', { type: ENTITY, id: created.id }, undefined, view, {
          tx,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw keyTaken(body.key);
      throw error;
    }
  }

  async get(actor: Actor, id: string): Promise<CampaignView> {
    const campaign = await this.load(actor.workspaceId, id);
    return toCampaignView(campaign, await this.repo.experiment(actor.workspaceId, campaign.experimentId));
  }

  async list(actor: Actor, query: CampaignListQuery): Promise<CampaignList> {
    const rows = await this.repo.list(
      actor.workspaceId,
      { programKey: query.programKey },
      query.limit + 1,
      query.cursor,
    );
    const page = rows.slice(0, query.limit);
    const experiments = await this.repo.experiments(actor.workspaceId, [
      ...new Set(page.map((c) => c.experimentId)),
    ]);
    return {
      items: page.map((c) => toCampaignView(c, experiments.get(c.experimentId))),
      nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  async update(actor: Actor, id: string, body: CampaignUpdate): Promise<CampaignView> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      const experimentId = body.experimentId ?? current.experimentId;
      const variantKey = body.variantKey !== undefined ? body.variantKey : current.variantKey;
      const experiment = await this.checkExperiment(ws, experimentId, variantKey, tx);
      const data: Prisma.CampaignUncheckedUpdateInput = {};
      if (body.name !== undefined) data.name = body.name;
      if (body.programKey !== undefined) data.programKey = body.programKey;
      if (body.experimentId !== undefined) data.experimentId = body.experimentId;
      if (body.variantKey !== undefined) data.variantKey = body.variantKey;
      if (body.horizonMonths !== undefined) data.horizonMonths = body.horizonMonths;
      if (body.annualDiscountRate !== undefined) data.annualDiscountRate = body.annualDiscountRate;
      if (body.grossMargins !== undefined) {
        data.marginUpsell = body.grossMargins.upsell;
        data.marginCrossSell = body.grossMargins.cross_sell;
        data.marginRetention = body.grossMargins.retention;
        data.marginOther = body.grossMargins.other;
      }
      if (body.acquisitionCostPerCustomer !== undefined)
        data.acquisitionCostPerCustomer = body.acquisitionCostPerCustomer;
      if (body.startsOn !== undefined) {
        data.startsOn = body.startsOn === null ? null : new Date(`${body.startsOn}T00:00:00.000Z`);
      }
      data.updatedAt = this.clock.now();
      const updated = await this.repo.update(ws, id, data, tx);
      const before = toCampaignView(current, experiment);
      const after = toCampaignView(updated, experiment);
      await this.audit.record(actor, 'campaign.update', { type: ENTITY, id }, before, after, { tx });
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const ws = actor.workspaceId;
    await this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      await this.repo.remove(id, tx);
      await this.audit.record(
        actor,
        'campaign.delete',
        { type: ENTITY, id },
        toCampaignView(current, await this.repo.experiment(ws, current.experimentId, tx)),
        undefined,
        { tx },
      );
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Cost ledger

  async listCosts(actor: Actor, id: string): Promise<CostLineList> {
    const campaign = await this.load(actor.workspaceId, id);
    const items = campaign.costs.map(toCostView);
    return { items, total: items.reduce((s, c) => s + c.total, 0) };
  }

  async addCost(actor: Actor, id: string, line: CostLineParsed): Promise<CostLine> {
    const row = toCostRowChecked(line);
    return this.repo.transaction(async (tx) => {
      await this.load(actor.workspaceId, id, tx);
      const created = await this.repo.addCost(id, row, tx);
      await this.repo.touch(id, this.clock.now(), tx);
      const view = toCostView(created);
      await this.audit.record(actor, 'campaign.cost.create', { type: ENTITY, id }, undefined, view, { tx });
      return view;
    });
  }

  async replaceCost(actor: Actor, id: string, costId: string, line: CostLineParsed): Promise<CostLine> {
    const row = toCostRowChecked(line);
    return this.repo.transaction(async (tx) => {
      await this.load(actor.workspaceId, id, tx);
      const current = await this.repo.findCost(id, costId, tx);
      if (!current) throw DomainError.notFound('Cost line', costId);
      const updated = await this.repo.replaceCost(costId, row, tx);
      await this.repo.touch(id, this.clock.now(), tx);
      const view = toCostView(updated);
      await this.audit.record(
        actor,
        'campaign.cost.update',
        { type: ENTITY, id },
        toCostView(current),
        view,
        {
          tx,
        },
      );
      return view;
    });
  }

  async removeCost(actor: Actor, id: string, costId: string): Promise<void> {
    await this.repo.transaction(async (tx) => {
      await this.load(actor.workspaceId, id, tx);
      const current = await this.repo.findCost(id, costId, tx);
      if (!current) throw DomainError.notFound('Cost line', costId);
      try {
        await this.repo.removeCost(costId, tx);
      } catch (error) {
        if (isMissingRow(error)) throw DomainError.notFound('Cost line', costId);
        throw error;
      }
      await this.repo.touch(id, this.clock.now(), tx);
      await this.audit.record(
        actor,
        'campaign.cost.delete',
        { type: ENTITY, id },
        toCostView(current),
        undefined,
        {
          tx,
        },
      );
    });
  }

  // ------------------------------------------------------------------------------------------------------------
  // Return on investment

  /** The campaign's return from the latest results of its experiment; 412 when it cannot be measured yet. */
  async roi(actor: Actor, id: string, by?: 'segment' | 'cohort'): Promise<CampaignRoi> {
    const ws = actor.workspaceId;
    const campaign = await this.load(ws, id);
    const evaluation = await this.evaluate(ws, campaign);
    if (!evaluation.computation || !evaluation.measurement || !evaluation.snapshot) {
      const why = evaluation.notMeasurable ?? {
        field: 'results',
        rule: 'missing',
        message: 'No results yet.',
      };
      throw new DomainError('precondition_failed', why.message, [{ path: why.field, rule: why.rule }]);
    }
    const { computation: c, measurement: m, snapshot } = evaluation;
    const terms = this.terms(campaign);

    let breakdown: RoiBreakdown | null = null;
    if (by) {
      const dimension = by === 'segment' ? 'segment' : 'acquisitionCohort';
      const { rows, found } = breakdownFromSnapshot(snapshot, dimension, m);
      const figures = breakdownRoi(rows, m.treatedCustomers, m.srmFlagged, terms);
      breakdown = {
        by,
        dimension,
        rows: figures,
        note: found
          ? `Each group's lift on the revenue metrics over their window, scaled to a ${30}-day month and carried over ` +
            'the horizon, against the share of the costs its treated customers account for. The first row is ' +
            'all customers on the same footing. Groups are many comparisons: read them as leads, not proof.'
          : `The results have no '${dimension}' breakdown; add it to the experiment's result settings. Only the ` +
            'all-customers row is shown.',
      };
    }

    return {
      campaignId: campaign.id,
      campaignKey: campaign.key,
      experimentId: campaign.experimentId,
      snapshot: { id: m.snapshotId, computedAt: m.computedAt },
      variantKey: m.variantKey,
      treatedCustomers: m.treatedCustomers,
      holdoutCustomers: m.holdoutCustomers,
      horizonMonths: campaign.horizonMonths,
      observedMonths: c.observedMonths,
      annualDiscountRate: campaign.annualDiscountRate,
      confidenceLevel: m.confidenceLevel,
      srmFlagged: m.srmFlagged,
      projected: c.projected,
      observed: c.observed,
      streams: c.streams,
      costs: c.costs as CampaignRoi['costs'],
      breakEvenMarginPerCustomerPerMonth: c.breakEvenMarginPerCustomerPerMonth,
      ltvToCac: c.ltvToCac,
      benchmark: await this.benchmark(ws, evaluation),
      breakdown,
    };
  }

  /** What-if return, break-even lift and the test's MDE for a campaign being planned. */
  plan(body: CampaignPlanRequestParsed): CampaignPlan {
    try {
      return planCampaign(body);
    } catch (error) {
      statsToValidation(error);
    }
  }

  /**
   * Each campaign with its launch date, experiment, snapshot and return (or why there is none). Snapshots are
   * read once per experiment.
   */
  async evaluateAll(workspaceId: string, campaigns: readonly CampaignRecord[]): Promise<Evaluation[]> {
    const experiments = await this.repo.experiments(workspaceId, [
      ...new Set(campaigns.map((c) => c.experimentId)),
    ]);
    const snapshots = new Map<string, Promise<ResultSnapshot | null>>();
    const out: Evaluation[] = [];
    for (const campaign of campaigns) {
      let snapshot = snapshots.get(campaign.experimentId);
      if (!snapshot) {
        snapshot = this.snapshots.latest(workspaceId, campaign.experimentId);
        snapshots.set(campaign.experimentId, snapshot);
      }
      out.push(this.evaluateWith(campaign, experiments.get(campaign.experimentId) ?? null, await snapshot));
    }
    return out;
  }

  private async evaluate(workspaceId: string, campaign: CampaignRecord): Promise<Evaluation> {
    const [evaluation] = await this.evaluateAll(workspaceId, [campaign]);
    return evaluation as Evaluation;
  }

  private evaluateWith(
    campaign: CampaignRecord,
    experiment: ExperimentSummary | null,
    snapshot: ResultSnapshot | null,
  ): Evaluation {
    const base = { campaign, experiment, launchDate: launchDateOf(campaign, experiment), snapshot };
    if (!snapshot) {
      return {
        ...base,
        measurement: null,
        computation: null,
        notMeasurable: {
          field: 'results',
          rule: 'missing',
          message: 'The experiment has no results yet; they appear after the next results refresh.',
        },
      };
    }
    try {
      const measurement = measurementFromSnapshot(snapshot, campaign.variantKey);
      const computation = computeCampaignRoi({
        streams: measurement.streams,
        treatedCustomers: measurement.treatedCustomers,
        srmFlagged: measurement.srmFlagged,
        terms: this.terms(campaign),
      });
      return { ...base, measurement, computation, notMeasurable: null };
    } catch (error) {
      if (error instanceof NotMeasurableError) {
        return {
          ...base,
          measurement: null,
          computation: null,
          notMeasurable: { field: error.field, rule: error.rule, message: error.message },
        };
      }
      throw error;
    }
  }

  private terms(campaign: CampaignRecord): CampaignTerms {
    return {
      horizonMonths: campaign.horizonMonths,
      annualDiscountRate: campaign.annualDiscountRate,
      grossMargins: grossMarginsOf(campaign),
      costs: toStatsLedger(campaign.costs.map(toCostLine)),
      acquisitionCostPerCustomer: campaign.acquisitionCostPerCustomer,
    };
  }

  // ------------------------------------------------------------------------------------------------------------
  // Programs: targets, benchmarks, trend

  private async benchmark(workspaceId: string, evaluation: Evaluation): Promise<Benchmark> {
    const { campaign, computation } = evaluation;
    const target = await this.repo.findTarget(workspaceId, campaign.programKey);
    const quarter = evaluation.launchDate ? quarterOf(evaluation.launchDate) : null;
    let previousQuarterRoi: number | null = null;
    if (quarter) {
      const prev = previousQuarter(quarter);
      const others = (await this.repo.all(workspaceId, campaign.programKey)).filter(
        (c) => c.id !== campaign.id,
      );
      const evaluations = await this.evaluateAll(workspaceId, others);
      previousQuarterRoi = pooled(
        evaluations.filter((e) => e.launchDate && quarterOf(e.launchDate) === prev),
      ).pooledRoi;
    }
    const roi = computation?.projected.roi;
    const compare = <A extends string, B extends string>(ref: number | null, up: A, down: B) => {
      if (ref === null || !roi) return null;
      if (roi.lower > ref) return up;
      if (roi.upper < ref) return down;
      return 'inconclusive' as const;
    };
    const targetRoi = target?.targetRoi ?? null;
    return {
      programKey: campaign.programKey,
      quarter,
      previousQuarterRoi,
      targetRoi,
      sectorReferenceRoi: target?.sectorReferenceRoi ?? null,
      vsTarget: compare(targetRoi, 'above', 'below'),
      vsPreviousQuarter: compare(previousQuarterRoi, 'better', 'worse'),
    };
  }

  async getTargets(actor: Actor, programKey: string): Promise<ProgramTargets> {
    const ws = actor.workspaceId;
    const target = await this.repo.findTarget(ws, programKey);
    const evaluations = await this.evaluateAll(ws, await this.repo.all(ws, programKey));
    const byQuarter = new Map<string, Evaluation[]>();
    for (const e of evaluations) {
      if (!e.launchDate) continue;
      const q = quarterOf(e.launchDate);
      byQuarter.set(q, [...(byQuarter.get(q) ?? []), e]);
    }
    const trend = [...byQuarter.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([quarter, list]) => ({ quarter, ...pooled(list) }));
    return {
      programKey,
      targetRoi: target?.targetRoi ?? null,
      sectorReferenceRoi: target?.sectorReferenceRoi ?? null,
      sectorReferenceSource: target?.sectorReferenceSource ?? null,
      updatedAt: target?.updatedAt.toISOString() ?? null,
      trend,
    };
  }

  async putTargets(
    actor: Actor,
    programKey: string,
    body: ProgramTargetsUpdateParsed,
  ): Promise<ProgramTargets> {
    const ws = actor.workspaceId;
    const before = await this.repo.findTarget(ws, programKey);
    await this.repo.upsertTarget(ws, programKey, body, this.clock.now());
    await this.audit.record(
      actor,
      'program.targets.update',
      { type: 'program', id: programKey },
      before,
      body,
    );
    return this.getTargets(actor, programKey);
  }

  // ------------------------------------------------------------------------------------------------------------
  // For reports

  /** Campaigns launched in [from, to] (days, inclusive) as portfolio entries. */
  async portfolioEntries(
    workspaceId: string,
    period: { from: string; to: string },
  ): Promise<PortfolioEntry[]> {
    const [campaigns, targets] = await Promise.all([
      this.repo.all(workspaceId),
      this.repo.targets(workspaceId),
    ]);
    const evaluations = await this.evaluateAll(workspaceId, campaigns);
    return evaluations
      .filter(
        (e): e is Evaluation & { launchDate: string } =>
          e.launchDate !== null && inPeriod(e.launchDate, period),
      )
      .sort(
        (a, b) => a.launchDate.localeCompare(b.launchDate) || a.campaign.key.localeCompare(b.campaign.key),
      )
      .map((e) => {
        const c = e.computation;
        const outcome: MeasuredOutcome | null =
          c && e.measurement
            ? {
                verdict: c.projected.verdict,
                reason: c.projected.reason,
                roi: c.projected.roi,
                incrementalMarginPv: c.projected.incrementalMarginPv.estimate,
                costsPv: c.costs.pv,
                confidenceLevel: e.measurement.confidenceLevel,
              }
            : null;
        return {
          id: e.campaign.id,
          key: e.campaign.key,
          name: e.campaign.name,
          programKey: e.campaign.programKey,
          launchDate: e.launchDate,
          targetRoi: targets.get(e.campaign.programKey)?.targetRoi ?? null,
          outcome,
          reason: e.notMeasurable?.message ?? '',
        };
      });
  }

  /**
   * Re-evaluates every campaign and records verdicts that changed (e.g. unproven → proven), with an audit entry
   * per change. Called by the scheduler with the current time.
   */
  async recordVerdicts(now: Date): Promise<{ evaluated: number; changed: number }> {
    let evaluated = 0;
    let changed = 0;
    for (const workspaceId of await this.repo.workspacesWithCampaigns()) {
      const evaluations = await this.evaluateAll(workspaceId, await this.repo.all(workspaceId));
      for (const e of evaluations) {
        evaluated++;
        const verdict = e.computation?.projected.verdict ?? null;
        if (verdict === e.campaign.verdict) continue;
        changed++;
        await this.repo.setVerdict(e.campaign.id, verdict, now);
        await this.audit.record(
          { type: 'system', id: 'campaign-verdicts', workspaceId },
          'campaign.verdict',
          { type: ENTITY, id: e.campaign.id },
          { verdict: e.campaign.verdict },
          {
            verdict,
            reason: e.computation?.projected.reason ?? e.notMeasurable?.message ?? null,
            roi: e.computation?.projected.roi ?? null,
          },
        );
      }
    }
    return { evaluated, changed };
  }

  // ------------------------------------------------------------------------------------------------------------

  private async load(
    workspaceId: string,
    id: string,
    db?: Prisma.TransactionClient,
  ): Promise<CampaignRecord> {
    const campaign = await this.repo.findById(workspaceId, id, db);
    if (!campaign) throw DomainError.notFound('Campaign', id);
    return campaign;
  }

  /** The experiment must exist in the workspace, and a named treated arm must be one of its non-control arms. */
  private async checkExperiment(
    workspaceId: string,
    experimentId: string,
    variantKey: string | null,
    db: Prisma.TransactionClient,
  ): Promise<ExperimentSummary> {
    const experiment = await this.repo.experiment(workspaceId, experimentId, db);
    if (!experiment) throw DomainError.invalid('experimentId', 'unknown_experiment');
    if (variantKey !== null) {
      const variant = experiment.variants.find((v) => v.key === variantKey);
      if (!variant) throw DomainError.invalid('variantKey', 'unknown_variant');
      if (variant.isControl) throw DomainError.invalid('variantKey', 'not_the_control');
    }
    return experiment;
  }
}

function keyTaken(key: string): DomainError {
  return DomainError.conflict(`A campaign with key '${key}' already exists.`, [
    { path: 'key', rule: 'unique' },
  ]);
}

/** Ledger lines are checked by the contract; anything the cost rules still refuse is a 400 on that field. */
function toCostRowChecked(line: CostLineParsed) {
  try {
    return toCostRow(line);
  } catch (error) {
    statsToValidation(error);
  }
}
