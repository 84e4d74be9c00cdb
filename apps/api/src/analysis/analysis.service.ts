import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_DIMENSIONS,
  ResultSnapshotSchema,
  type CumulativeResults,
  type ExperimentResults,
  type GlobalHoldoutReport,
  type ResultSettings,
  type ResultSettingsUpdate,
  type ResultSnapshot,
  type ResultsQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { uuidv7 } from '../database/ids';
import {
  AnalysisRepository,
  type ExperimentDefinition,
  type MetricDefinition,
  type MetricSql,
  type SettingsRecord,
  type UnitSource,
} from './analysis.repository';
import { buildSnapshot, type ArmSpec, type MetricSpec, type SnapshotInput } from './snapshot-builder';
import type { MonthRow, StatsRow } from './sufficient-stats';

export type Trigger = 'schedule' | 'manual';

export const DEFAULT_SETTINGS: SettingsRecord = {
  correction: 'holm',
  alpha: 0.05,
  cuped: true,
  dimensions: [...DEFAULT_DIMENSIONS],
};

/** What a refresh computes for one population (an experiment's arms or the global holdout's two groups). */
interface ComputeInput {
  source: UnitSource;
  until: Date;
  arms: ArmSpec[];
  metrics: (MetricDefinition & { role: MetricSpec['role'] })[];
  settings: SettingsRecord;
  /** Breakdowns and the daily series (experiments only). */
  detailed: boolean;
}

/**
 * Results use cases: computing snapshots (scheduled and on demand) and reading them. Reading never computes:
 * pages get the latest stored snapshot.
 */
@Injectable()
export class AnalysisService {
  private readonly logger = new Logger('Analysis');
  /** Refreshes in flight, by experiment id or `holdout:<workspace>`: a second request waits for the first. */
  private readonly inFlight = new Map<string, Promise<ResultSnapshot>>();

  constructor(
    private readonly repo: AnalysisRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------------ for other modules

  /** The latest stored snapshot of an experiment, or null when none was computed yet. */
  async latestSnapshot(experimentId: string): Promise<ResultSnapshot | null> {
    const row = await this.repo.latestSnapshot({ kind: 'experiment', experimentId });
    return row ? (row.result as ResultSnapshot) : null;
  }

  /** The latest global-holdout snapshot of a workspace, or null. */
  async latestGlobalHoldout(workspaceId: string): Promise<ResultSnapshot | null> {
    const row = await this.repo.latestSnapshot({ kind: 'global_holdout', workspaceId });
    return row ? (row.result as ResultSnapshot) : null;
  }

  /**
   * Scheduled refresh: every running or stopped experiment, then every workspace's global holdout. One failure
   * is logged and does not stop the others.
   */
  async refreshAll(now: Date): Promise<{ refreshed: number; failed: number }> {
    let refreshed = 0;
    let failed = 0;
    const run = async (label: string, job: () => Promise<unknown>) => {
      try {
        await job();
        refreshed++;
      } catch (error) {
        failed++;
        this.logger.error(
          `results refresh of ${label} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    for (const e of await this.repo.refreshableExperiments()) {
      await run(`experiment ${e.id}`, () => this.refreshExperiment(e.id, now, 'schedule'));
    }
    for (const w of await this.repo.holdoutWorkspaces()) {
      await run(`global holdout of ${w.id}`, () => this.refreshGlobalHoldout(w.id, now, 'schedule'));
    }
    return { refreshed, failed };
  }

  /** Computes and stores a snapshot of the experiment with data until `now`. */
  refreshExperiment(
    experimentId: string,
    now: Date,
    trigger: Trigger,
    workspaceId?: string,
  ): Promise<ResultSnapshot> {
    return this.once(experimentId, async () => {
      const exp = await this.repo.experiment(experimentId, workspaceId);
      if (!exp) throw DomainError.notFound('Experiment', experimentId);
      if (exp.status === 'draft') {
        throw DomainError.conflict(`Experiment ${exp.key} has not started; there are no results to compute.`);
      }
      const settings = (await this.repo.settings(exp.id)) ?? DEFAULT_SETTINGS;
      return this.computeAndStore(
        {
          source: { kind: 'experiment', workspaceId: exp.workspaceId, experimentId: exp.id },
          until: now,
          arms: experimentArms(exp),
          metrics: exp.metrics,
          settings,
          detailed: true,
        },
        { kind: 'experiment', experiment: exp, engine: exp.engine, trigger, now },
      );
    });
  }

  /**
   * The global holdout report: every metric of the workspace, customers outside the holdout against those in
   * it, each from the moment their membership was decided.
   */
  refreshGlobalHoldout(workspaceId: string, now: Date, trigger: Trigger): Promise<ResultSnapshot> {
    return this.once(`holdout:${workspaceId}`, async () => {
      const [workspace] = await this.repo.holdoutWorkspaces(workspaceId);
      const percent = workspace?.percent ?? 0;
      const metrics = (await this.repo.workspaceMetrics(workspaceId)).map((m) => ({ ...m, role: null }));
      return this.computeAndStore(
        {
          source: { kind: 'global_holdout', workspaceId },
          until: now,
          arms: [
            {
              arm: 'holdout',
              variantId: null,
              key: 'holdout',
              name: 'Global holdout',
              weight: percent,
              isControl: true,
            },
            {
              arm: 'treated',
              variantId: null,
              key: 'treated',
              name: 'Everyone else',
              weight: 100 - percent,
              isControl: false,
            },
          ],
          metrics,
          settings: { ...DEFAULT_SETTINGS, dimensions: [] },
          detailed: false,
        },
        { kind: 'global_holdout', workspaceId, engine: 'frequentist', trigger, now },
      );
    });
  }

  // ------------------------------------------------------------------ HTTP use cases

  async results(actor: Actor, experimentId: string, query: ResultsQuery): Promise<ExperimentResults> {
    const snapshot = await this.requireSnapshot(actor, experimentId);
    return toResults(snapshot, query.dimension);
  }

  async cumulative(actor: Actor, experimentId: string): Promise<CumulativeResults> {
    const snapshot = await this.requireSnapshot(actor, experimentId);
    return {
      experimentId,
      dataUntil: snapshot.dataUntil,
      computedAt: snapshot.computedAt,
      series: snapshot.cumulative,
    };
  }

  async refresh(actor: Actor, experimentId: string): Promise<ExperimentResults> {
    const snapshot = await this.refreshExperiment(
      experimentId,
      this.clock.now(),
      'manual',
      actor.workspaceId,
    );
    return toResults(snapshot, undefined);
  }

  async settings(actor: Actor, experimentId: string): Promise<ResultSettings> {
    await this.requireExperiment(actor, experimentId);
    return { experimentId, ...((await this.repo.settings(experimentId)) ?? DEFAULT_SETTINGS) };
  }

  async updateSettings(
    actor: Actor,
    experimentId: string,
    body: ResultSettingsUpdate,
  ): Promise<ResultSettings> {
    await this.requireExperiment(actor, experimentId);
    const before = (await this.repo.settings(experimentId)) ?? DEFAULT_SETTINGS;
    const next: SettingsRecord = {
      correction: body.correction ?? before.correction,
      alpha: body.alpha ?? before.alpha,
      cuped: body.cuped ?? before.cuped,
      dimensions: body.dimensions ?? before.dimensions,
    };
    const saved = await this.repo.saveSettings(actor.workspaceId, experimentId, next, this.clock.now());
    await this.audit.record(
      actor,
      'experiment.results_settings',
      { type: 'experiment', id: experimentId },
      before,
      saved,
    );
    return { experimentId, ...saved };
  }

  async globalHoldout(actor: Actor): Promise<GlobalHoldoutReport> {
    const snapshot = await this.latestGlobalHoldout(actor.workspaceId);
    if (!snapshot) {
      throw DomainError.notFound('Global holdout report', undefined);
    }
    return toHoldoutReport(snapshot);
  }

  async refreshGlobalHoldoutFor(actor: Actor): Promise<GlobalHoldoutReport> {
    return toHoldoutReport(await this.refreshGlobalHoldout(actor.workspaceId, this.clock.now(), 'manual'));
  }

  // ------------------------------------------------------------------ internals

  private once(key: string, job: () => Promise<ResultSnapshot>): Promise<ResultSnapshot> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = job().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private async requireExperiment(actor: Actor, experimentId: string): Promise<ExperimentDefinition> {
    const exp = await this.repo.experiment(experimentId, actor.workspaceId);
    if (!exp) throw DomainError.notFound('Experiment', experimentId);
    return exp;
  }

  private async requireSnapshot(actor: Actor, experimentId: string): Promise<ResultSnapshot> {
    const exp = await this.requireExperiment(actor, experimentId);
    const snapshot = await this.latestSnapshot(exp.id);
    if (!snapshot) {
      throw new DomainError(
        'not_found',
        `No results for experiment ${exp.key} yet: they are computed on the next scheduled refresh, or now with ` +
          `POST /v1/experiments/${exp.id}/results/refresh.`,
      );
    }
    return snapshot;
  }

  private async computeAndStore(
    c: ComputeInput,
    meta:
      | {
          kind: 'experiment';
          experiment: ExperimentDefinition;
          engine: SnapshotInput['engine'];
          trigger: Trigger;
          now: Date;
        }
      | { kind: 'global_holdout'; workspaceId: string; engine: 'frequentist'; trigger: Trigger; now: Date },
  ): Promise<ResultSnapshot> {
    const started = performance.now();
    const { stats, months, armCounts } = await this.sufficientStatistics(c);
    const id = uuidv7(meta.now.getTime());
    const snapshot = buildSnapshot({
      id,
      kind: meta.kind,
      experiment:
        meta.kind === 'experiment'
          ? {
              id: meta.experiment.id,
              key: meta.experiment.key,
              name: meta.experiment.name,
              status: meta.experiment.status,
            }
          : null,
      engine: meta.engine,
      settings: c.settings,
      dataUntil: c.until,
      computedAt: this.clock.now(),
      trigger: meta.trigger,
      arms: c.arms,
      armCounts,
      metrics: c.metrics.map(toMetricSpec),
      stats,
      months,
      prePeriod: c.settings.cuped,
    });
    // The document is what other modules (campaign ROI) and the admin read: hold it to its contract.
    const checked = ResultSnapshotSchema.parse(snapshot) as ResultSnapshot;
    await this.repo.saveSnapshot({
      id,
      workspaceId: c.source.workspaceId,
      kind: meta.kind,
      experimentId: meta.kind === 'experiment' ? meta.experiment.id : null,
      trigger: meta.trigger,
      dataUntil: c.until,
      computedAt: new Date(checked.computedAt),
      durationMs: Math.round(performance.now() - started),
      result: checked,
    });
    return checked;
  }

  /** One query per metric family, one for the arms' sizes and one for revenue by month. */
  async sufficientStatistics(c: ComputeInput): Promise<{
    stats: StatsRow[][];
    months: Map<number, MonthRow[]>;
    armCounts: Map<string, number>;
  }> {
    const armCounts = await this.repo.armCounts(c.source, c.until);
    const indexed = c.metrics.map((m, i) => ({ m, i }));
    const mean = indexed.filter((x) => x.m.kind !== 'ratio');
    const ratio = indexed.filter((x) => x.m.kind === 'ratio');
    const family = {
      source: c.source,
      until: c.until,
      dimensions: c.detailed ? c.settings.dimensions : [],
      withPrePeriod: c.settings.cuped,
      byDay: c.detailed,
    };
    const stats: StatsRow[][] = c.metrics.map(() => []);
    const meanRows = await this.repo.meanFamily({ ...family, metrics: mean.map((x) => toSql(x.m)) });
    for (const r of meanRows) stats[(mean[r.metric] as { i: number }).i]?.push(r);
    const ratioRows = await this.repo.ratioFamily({ ...family, metrics: ratio.map((x) => toSql(x.m)) });
    for (const r of ratioRows) stats[(ratio[r.metric] as { i: number }).i]?.push(r);

    // Revenue by month: mean metrics attributed to a revenue stream, capped like their main analysis.
    const revenue = indexed.filter((x) => x.m.kind === 'mean' && x.m.revenueStream !== null);
    const months = new Map<number, MonthRow[]>();
    if (revenue.length > 0) {
      const caps = revenue.map(({ i }) => {
        const caps = (stats[i] ?? [])
          .filter((r) => r.grouping === 'all' && r.cap !== null)
          .map((r) => r.cap as number);
        return caps.length > 0 ? Math.max(...caps) : null;
      });
      const rows = await this.repo.monthly({
        source: c.source,
        until: c.until,
        metrics: revenue.map((x) => toSql(x.m)),
        caps,
      });
      revenue.forEach(({ i }) => months.set(i, []));
      for (const r of rows) months.get((revenue[r.metric] as { i: number }).i)?.push(r);
    }
    return { stats, months, armCounts };
  }
}

/** Control first, then the other variants in their order. */
export function experimentArms(exp: ExperimentDefinition): ArmSpec[] {
  const arms = exp.variants.map((v) => ({
    arm: v.id,
    variantId: v.id,
    key: v.key,
    name: v.name,
    weight: v.weight,
    isControl: v.isControl,
  }));
  const control = arms.find((a) => a.isControl) ?? arms[0];
  return control ? [{ ...control, isControl: true }, ...arms.filter((a) => a !== control)] : [];
}

function toMetricSpec(m: MetricDefinition & { role: MetricSpec['role'] }): MetricSpec {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    kind: m.kind,
    role: m.role,
    revenueStream: m.revenueStream,
    higherIsBetter: m.higherIsBetter,
    windowDays: m.windowDays,
  };
}

/** A proportion is 0 or 1 per customer: capping it means nothing. */
function toSql(m: MetricDefinition): MetricSql {
  return {
    kind: m.kind,
    eventName: m.eventName,
    valueProperty: m.valueProperty,
    denominatorEventName: m.denominatorEventName,
    denominatorValueProperty: m.denominatorValueProperty,
    windowDays: m.windowDays,
    capping: m.kind === 'proportion' ? 'none' : m.capping,
    capValue: m.kind === 'proportion' ? null : m.capValue,
  };
}

function toResults(snapshot: ResultSnapshot, dimension: string | undefined): ExperimentResults {
  const { cumulative: _cumulative, dimensions, ...rest } = snapshot;
  const available = dimensions.map((d) => d.dimension);
  if (dimension !== undefined && !available.includes(dimension)) {
    throw DomainError.invalid(
      'query.dimension',
      'not_computed',
      `The latest results have no breakdown by ${dimension} (available: ${available.join(', ') || 'none'}); ` +
        `add it to the experiment's results settings and refresh.`,
    );
  }
  return {
    ...rest,
    dimensions: dimension === undefined ? [] : dimensions.filter((d) => d.dimension === dimension),
    availableDimensions: available,
  };
}

function toHoldoutReport(snapshot: ResultSnapshot): GlobalHoldoutReport {
  const { cumulative: _cumulative, dimensions: _dimensions, ...rest } = snapshot;
  return rest;
}
