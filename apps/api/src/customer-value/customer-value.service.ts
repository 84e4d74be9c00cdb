import { Injectable, Logger } from '@nestjs/common';
import type {
  CalibrationCheck,
  ClvFit,
  ClvParams,
  CustomerValue,
  CustomerValueList,
  CustomerValueListQuery,
  CustomerValueSettings,
  CustomerValueSettingsUpdate,
  CustomerValueSummary,
  IncrementalLtv,
  ValueSegment,
} from '@liftlab/contracts';
import { VALUE_SEGMENTS } from '@liftlab/contracts';
import {
  allocateCosts,
  bgNbdLogLikelihood,
  COST_CATEGORIES,
  discountFactor,
  fitBgNbd,
  fitGammaGamma,
  presentValue,
  StatsInputError,
} from '@liftlab/stats';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { toStatsLedger } from '../campaigns/ledger';
import { CampaignsService } from '../campaigns/campaigns.service';
import { DomainError } from '../common/domain-error';
import type { Prisma } from '../generated/prisma/client';
import {
  CustomerValueRepository,
  type FitRecord,
  type SettingsRecord,
  type StoredValue,
  type ValueListRow,
} from './customer-value.repository';
import {
  armMoments,
  calibrationBins,
  capDropoutConcentration,
  MAX_DROPOUT_CONCENTRATION,
  ClvForecaster,
  resolveThresholds,
  valueSegment,
  welchDifference,
  type ClvModel,
  type LtvGroup,
} from './value-model';

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 365.25 / 12;
/** Fewest customers with a repeat purchase for a calibration fit to mean anything. */
const MIN_CALIBRATION_REPEATERS = 20;

export const DEFAULT_SETTINGS = {
  thresholdKind: 'quantile' as const,
  clvQuantile: 0.8,
  clvAmount: null,
  aliveThreshold: 0.5,
  horizonMonths: 12,
  annualDiscountRate: 0.1,
  holdoutDays: 90,
};

type Settings = Omit<CustomerValueSettings, 'updatedAt'>;

function settingsOf(row: SettingsRecord | null): CustomerValueSettings {
  if (!row) return { ...DEFAULT_SETTINGS, updatedAt: null };
  return {
    thresholdKind: row.thresholdKind,
    clvQuantile: row.clvQuantile,
    clvAmount: row.clvAmount,
    aliveThreshold: row.aliveThreshold,
    horizonMonths: row.horizonMonths,
    annualDiscountRate: row.annualDiscountRate,
    holdoutDays: row.holdoutDays,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function fitView(row: FitRecord): ClvFit {
  const thresholds = row.thresholds as unknown as { clv: number; alive: number; note?: string | null };
  const stored = row.calibration as unknown as CalibrationCheck | { note: string } | null;
  return {
    id: row.id,
    trigger: row.trigger,
    fittedAt: row.fittedAt.toISOString(),
    durationMs: row.durationMs,
    customers: row.customers,
    calibrationEnd: row.calibrationEnd.toISOString(),
    params: row.params as unknown as ClvParams,
    logLikelihood: row.logLikelihood,
    spendLogLikelihood: row.spendLogLikelihood,
    converged: row.converged,
    horizonMonths: row.horizonMonths,
    annualDiscountRate: row.annualDiscountRate,
    thresholds: { clv: thresholds.clv, alive: thresholds.alive },
    note: thresholds.note ?? null,
    calibration: stored && 'bins' in stored ? stored : null,
    calibrationNote: stored && 'note' in stored ? stored.note : null,
  };
}

function valueView(row: ValueListRow): CustomerValue {
  return {
    customerId: row.customerId,
    externalId: row.externalId,
    frequency: Number(row.frequency),
    recency: Number(row.recency),
    T: Number(row.age),
    monetary: Number(row.monetary),
    predictedPurchases: Number(row.predictedPurchases),
    probabilityAlive: Number(row.probabilityAlive),
    expectedSpend: Number(row.expectedSpend),
    predictedClv: Number(row.predictedClv),
    segment: row.segment as ValueSegment,
    fittedAt: new Date(row.fittedAt).toISOString(),
  };
}

/** UTC midnight at or before `at`. */
function startOfDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

function fitFailed(error: unknown): never {
  if (error instanceof StatsInputError) {
    throw new DomainError(
      'precondition_failed',
      `The order history cannot be fitted yet: ${error.field} ${error.rule}.`,
      [{ path: 'orders', rule: 'fittable_history' }],
    );
  }
  throw error;
}

/** Predictive CLV per workspace, value segments, calibration check and incremental LTV of campaigns. */
@Injectable()
export class CustomerValueService {
  private readonly logger = new Logger('CustomerValue');

  constructor(
    private readonly repo: CustomerValueRepository,
    private readonly audit: AuditService,
    private readonly campaigns: CampaignsService,
  ) {}

  async getSettings(actor: Actor): Promise<CustomerValueSettings> {
    return settingsOf(await this.repo.settings(actor.workspaceId));
  }

  async putSettings(actor: Actor, body: CustomerValueSettingsUpdate): Promise<CustomerValueSettings> {
    const before = settingsOf(await this.repo.settings(actor.workspaceId));
    const merged: Settings = {
      thresholdKind: body.thresholdKind ?? before.thresholdKind,
      clvQuantile: body.clvQuantile ?? before.clvQuantile,
      clvAmount: body.clvAmount !== undefined ? body.clvAmount : before.clvAmount,
      aliveThreshold: body.aliveThreshold ?? before.aliveThreshold,
      horizonMonths: body.horizonMonths ?? before.horizonMonths,
      annualDiscountRate: body.annualDiscountRate ?? before.annualDiscountRate,
      holdoutDays: body.holdoutDays ?? before.holdoutDays,
    };
    if (merged.thresholdKind === 'absolute' && merged.clvAmount === null) {
      throw DomainError.invalid(
        'clvAmount',
        'required_for_absolute',
        'clvAmount: an absolute threshold needs the predicted CLV from which a customer is high value.',
      );
    }
    const saved = settingsOf(await this.repo.saveSettings(actor.workspaceId, merged));
    await this.audit.record(
      actor,
      'customer_value.settings.update',
      { type: 'customer_value_settings', id: actor.workspaceId },
      before,
      saved,
    );
    return saved;
  }

  /** On-demand fit (POST /v1/customer-value/fit). */
  async fit(actor: Actor, now: Date): Promise<ClvFit> {
    const fit = await this.fitWorkspace(actor.workspaceId, now, 'manual');
    await this.audit.record(actor, 'customer_value.fit', { type: 'clv_fit', id: fit.id }, undefined, {
      customers: fit.customers,
      logLikelihood: fit.logLikelihood,
    });
    return fit;
  }

  /** Nightly: fits every workspace that has orders; a workspace whose history cannot be fitted is skipped. */
  async fitAll(now: Date): Promise<{ fitted: number; skipped: number }> {
    let fitted = 0;
    let skipped = 0;
    for (const workspaceId of await this.repo.workspacesWithOrders()) {
      try {
        await this.fitWorkspace(workspaceId, now, 'scheduled');
        fitted++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        this.logger.warn(`workspace ${workspaceId}: ${error.message}`);
        skipped++;
      }
    }
    return { fitted, skipped };
  }

  /**
   * BG/NBD on every customer's repeat purchase days and Gamma-Gamma on their repeat order values as of `now`,
   * predictions over the settings' horizon, value segments, the calibration check, stored in bulk.
   */
  async fitWorkspace(workspaceId: string, now: Date, trigger: 'manual' | 'scheduled'): Promise<ClvFit> {
    const started = performance.now();
    const settings = settingsOf(await this.repo.settings(workspaceId));
    const rows = await this.repo.rfm(workspaceId, now);
    if (rows.length === 0) {
      throw new DomainError('precondition_failed', 'The workspace has no order events to fit.', [
        { path: 'orders', rule: 'min_1' },
      ]);
    }
    const n = rows.length;
    const x = new Float64Array(n);
    const tx = new Float64Array(n);
    const T = new Float64Array(n);
    const spendX: number[] = [];
    const spendMean: number[] = [];
    rows.forEach((r, i) => {
      x[i] = r.x;
      tx[i] = r.tx;
      T[i] = r.T;
      if (r.x > 0 && r.monetary > 0) {
        spendX.push(r.x);
        spendMean.push(r.monetary);
      }
    });

    let model: ClvModel;
    let logLikelihood: number;
    let spendLogLikelihood: number;
    let converged: boolean;
    let note: string | null = null;
    try {
      const raw = fitBgNbd({ x, tx, T });
      const { params: bgParams, capped } = capDropoutConcentration(raw);
      const bg = capped
        ? { ...raw, ...bgParams, logLikelihood: bgNbdLogLikelihood(bgParams, { x, tx, T }) }
        : raw;
      if (capped) {
        note =
          `Drop-out probabilities hardly vary between customers: the fit's Beta(a, b) grew without bound ` +
          `(a + b = ${(raw.a + raw.b).toExponential(2)}, log-likelihood ${raw.logLikelihood.toFixed(2)}) and is ` +
          `kept at a + b = ${MAX_DROPOUT_CONCENTRATION} with the same mean.`;
      }
      const gg = fitGammaGamma({ x: spendX, mean: spendMean });
      if (!(gg.q > 1)) {
        throw new StatsInputError('gammaGamma.q', 'must exceed 1 for a population mean order value');
      }
      model = {
        bgnbd: { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b },
        gammaGamma: { p: gg.p, q: gg.q, gamma: gg.gamma },
      };
      logLikelihood = bg.logLikelihood;
      spendLogLikelihood = gg.logLikelihood;
      converged = (bg.converged || capped) && gg.converged;
    } catch (error) {
      fitFailed(error);
    }

    const forecaster = new ClvForecaster(model, settings);
    let predictions: ReturnType<ClvForecaster['predict']>[];
    try {
      predictions = rows.map((r) => forecaster.predict(r));
    } catch (error) {
      fitFailed(error);
    }
    const thresholds = resolveThresholds(
      predictions.map((p) => p.predictedClv),
      settings,
    );
    const values: StoredValue[] = rows.map((r, i) => {
      const p = predictions[i] as (typeof predictions)[number];
      return {
        customerId: r.customerId,
        frequency: r.x,
        recency: r.tx,
        age: r.T,
        monetary: r.monetary,
        ...p,
        segment: valueSegment(p.predictedClv, p.probabilityAlive, thresholds),
      };
    });

    const calibration = await this.calibrationCheck(workspaceId, now, settings.holdoutDays);
    const record = await this.repo.storeFit(
      workspaceId,
      {
        trigger,
        params: model as unknown as Prisma.InputJsonValue,
        logLikelihood,
        spendLogLikelihood,
        converged,
        calibrationEnd: now,
        holdoutStart: 'bins' in calibration ? new Date(calibration.calibrationEnd) : null,
        calibration: calibration as unknown as Prisma.InputJsonValue,
        thresholds: {
          clv: Number.isFinite(thresholds.clv) ? thresholds.clv : 0,
          alive: thresholds.alive,
          note,
        } as Prisma.InputJsonValue,
        horizonMonths: settings.horizonMonths,
        annualDiscountRate: settings.annualDiscountRate,
        customers: n,
        fittedAt: now,
        durationMs: Math.round(performance.now() - started),
      },
      values,
    );
    return fitView(record);
  }

  /**
   * Fit on the orders before the last `holdoutDays` whole days, forecast those days, compare with what happened.
   * Returns a note instead when the calibration period is too thin to fit.
   */
  private async calibrationCheck(
    workspaceId: string,
    now: Date,
    holdoutDays: number,
  ): Promise<CalibrationCheck | { note: string }> {
    const holdoutEnd = startOfDay(now);
    const holdoutStart = new Date(holdoutEnd.getTime() - holdoutDays * DAY_MS);
    const groups = await this.repo.calibrationGroups(workspaceId, holdoutStart, holdoutEnd);
    const repeaters = groups.filter((g) => g.x > 0).reduce((s, g) => s + g.customers, 0);
    if (repeaters < MIN_CALIBRATION_REPEATERS) {
      return {
        note:
          `Only ${repeaters} customers had a repeat purchase before the last ${holdoutDays} days; the calibration ` +
          `check needs at least ${MIN_CALIBRATION_REPEATERS}.`,
      };
    }
    try {
      const fit = fitBgNbd({
        x: groups.map((g) => g.x),
        tx: groups.map((g) => g.tx),
        T: groups.map((g) => g.T),
        count: groups.map((g) => g.customers),
      });
      if (!fit.converged) {
        // A calibration fit stuck at the edge of the parameter space (e.g. r → ∞, a → 0) forecasts nothing
        // useful, and its expected-purchases series converge very slowly: report instead of forecasting.
        return {
          note:
            `The calibration fit on the orders before the last ${holdoutDays} days did not converge ` +
            `(r = ${fit.r.toPrecision(3)}, α = ${fit.alpha.toPrecision(3)}, a = ${fit.a.toPrecision(3)}, ` +
            `b = ${fit.b.toPrecision(3)}): the history before the holdout is too regular or too short to check the model.`,
        };
      }
      const { params } = capDropoutConcentration({ r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b });
      const table = calibrationBins(groups, params, holdoutDays);
      return {
        calibrationEnd: holdoutStart.toISOString(),
        holdoutEnd: holdoutEnd.toISOString(),
        holdoutDays,
        customers: table.customers,
        params,
        logLikelihood: fit.logLikelihood,
        bins: table.bins,
        totals: table.totals,
      };
    } catch (error) {
      if (error instanceof StatsInputError)
        return { note: `The calibration fit failed: ${error.field} ${error.rule}.` };
      throw error;
    }
  }

  async summary(actor: Actor): Promise<CustomerValueSummary> {
    const ws = actor.workspaceId;
    const [settings, fit, segments] = await Promise.all([
      this.repo.settings(ws),
      this.repo.latestFit(ws),
      this.repo.segmentSummary(ws),
    ]);
    const bySegment = new Map(segments.map((s) => [s.segment, s]));
    return {
      settings: settingsOf(settings),
      fit: fit ? fitView(fit) : null,
      segments: VALUE_SEGMENTS.map((segment) => {
        const s = bySegment.get(segment);
        return {
          segment,
          customers: s?.customers ?? 0,
          meanClv: s && s.customers > 0 ? s.totalClv / s.customers : 0,
          totalClv: s?.totalClv ?? 0,
          meanProbabilityAlive: s?.meanProbabilityAlive ?? 0,
        };
      }),
    };
  }

  async customers(actor: Actor, query: CustomerValueListQuery): Promise<CustomerValueList> {
    let after: { clv: number; customerId: string } | null = null;
    if (query.cursor) {
      const [clv, customerId] = query.cursor.split('_');
      const value = Number(clv);
      if (!Number.isFinite(value) || !customerId || !/^[0-9a-f-]{36}$/.test(customerId)) {
        throw DomainError.invalid('cursor', 'invalid_cursor');
      }
      after = { clv: value, customerId };
    }
    const rows = await this.repo.list(actor.workspaceId, query.segment, query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(valueView),
      nextCursor:
        rows.length > query.limit && last ? `${Number(last.predictedClv)}_${last.customerId}` : null,
    };
  }

  async customer(actor: Actor, externalId: string): Promise<CustomerValue> {
    const row = await this.repo.valueOf(actor.workspaceId, externalId);
    if (row) return valueView(row);
    if (await this.repo.customerExists(actor.workspaceId, externalId)) {
      throw new DomainError(
        'not_found',
        'The customer has no predicted value yet (no order, or no fit since).',
      );
    }
    throw DomainError.notFound('Customer', externalId);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Incremental LTV

  /**
   * Treated minus control per customer of (a) predicted discounted revenue over the months of the campaign's
   * horizon left after today, discounted back to launch, (b) order revenue since assignment, (c) both; Welch
   * intervals on sums and sums of squares aggregated in SQL. The projected ROI puts (c) × gross margin × treated
   * customers against the campaign's discounted costs.
   */
  async incrementalLtv(actor: Actor, campaignId: string, now: Date): Promise<IncrementalLtv> {
    const ws = actor.workspaceId;
    const campaign = await this.campaigns.get(actor, campaignId);
    const fitRecord = await this.repo.latestFit(ws);
    if (!fitRecord) {
      throw new DomainError('precondition_failed', 'No CLV fit yet: run POST /v1/customer-value/fit first.', [
        { path: 'fit', rule: 'missing' },
      ]);
    }
    const variants = await this.repo.variants(ws, campaign.experimentId);
    const control = variants.find((v) => v.isControl);
    const treated = campaign.variantKey
      ? variants.find((v) => v.key === campaign.variantKey)
      : variants.find((v) => !v.isControl);
    if (!control || !treated) {
      throw new DomainError('precondition_failed', 'The experiment needs a control and a treated variant.', [
        { path: 'experiment.variants', rule: 'control_and_treated' },
      ]);
    }

    const launch = campaign.launchDate ? new Date(`${campaign.launchDate}T00:00:00.000Z`) : null;
    const elapsedMonths = launch
      ? Math.max(0, Math.floor((now.getTime() - launch.getTime()) / DAY_MS / DAYS_PER_MONTH))
      : 0;
    const remainingMonths = Math.max(0, campaign.horizonMonths - elapsedMonths);
    const rate = campaign.annualDiscountRate;
    const model = fitRecord.params as unknown as ClvModel;
    const forecaster = new ClvForecaster(model, { horizonMonths: remainingMonths, annualDiscountRate: rate });
    // The forecast starts today, `elapsedMonths` after launch; costs are discounted to launch, so is the forecast.
    const toLaunch = discountFactor(elapsedMonths, { annualRate: rate, period: 'month', timing: 'start' });

    const rows = await this.repo.ltvGroups(ws, campaign.experimentId, treated.key, control.key, now);
    const groupsOf = (key: string): LtvGroup[] =>
      rows.filter((r) => r.variantKey === key).map((r) => r.group);
    const t = armMoments(groupsOf(treated.key), forecaster, toLaunch);
    const c = armMoments(groupsOf(control.key), forecaster, toLaunch);
    if (t.n < 2 || c.n < 2) {
      throw new DomainError('precondition_failed', 'Each arm needs at least two assigned customers.', [
        { path: 'assignments', rule: 'min_2_per_arm' },
      ]);
    }
    const diff = (pick: (m: typeof t) => { sum: number; sumSquares: number }) =>
      welchDifference({ n: c.n, ...pick(c) }, { n: t.n, ...pick(t) });
    const predictedClv = diff((m) => m.clv);
    const observedRevenue = diff((m) => m.observed);
    const total = diff((m) => m.total);

    const margins = campaign.grossMargins as Record<string, number>;
    const mix = await this.repo.revenueByStream(ws, campaign.experimentId, now);
    const mixTotal = Object.values(mix).reduce((s, v) => s + v, 0);
    const grossMargin =
      mixTotal > 0
        ? Object.entries(mix).reduce((s, [stream, revenue]) => s + (margins[stream] ?? 0) * revenue, 0) /
          mixTotal
        : (margins.retention ?? 0);

    const allocation = allocateCosts(toStatsLedger(campaign.costs));
    const costsPv = COST_CATEGORIES.reduce(
      (s, cat) =>
        s + presentValue(allocation.monthly[cat], { annualRate: rate, period: 'month', timing: 'start' }),
      0,
    );
    const scale = grossMargin * t.n;
    const projectedIncrementalMargin = {
      estimate: total.estimate * scale,
      lower: total.lower * scale,
      upper: total.upper * scale,
    };
    const roiOf = (margin: number) => (margin - costsPv) / costsPv;
    const projectedRoi =
      costsPv > 0
        ? {
            estimate: roiOf(projectedIncrementalMargin.estimate),
            lower: roiOf(projectedIncrementalMargin.lower),
            upper: roiOf(projectedIncrementalMargin.upper),
          }
        : null;

    let observedRoi: IncrementalLtv['observedRoi'] = null;
    let observedRoiNote: string | null = null;
    try {
      const roi = await this.campaigns.roi(actor, campaignId);
      observedRoi = roi.observed.roi;
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'precondition_failed') throw error;
      observedRoiNote = error.message;
    }

    return {
      campaignId: campaign.id,
      experimentId: campaign.experimentId,
      fitId: fitRecord.id,
      fittedAt: fitRecord.fittedAt.toISOString(),
      launchDate: campaign.launchDate,
      horizonMonths: campaign.horizonMonths,
      elapsedMonths,
      remainingMonths,
      annualDiscountRate: rate,
      grossMargin,
      confidenceLevel: 0.95,
      treated: {
        variantKey: treated.key,
        customers: t.n,
        predictedClv: t.clv.sum / t.n,
        observedRevenue: t.observed.sum / t.n,
        total: t.total.sum / t.n,
      },
      control: {
        variantKey: control.key,
        customers: c.n,
        predictedClv: c.clv.sum / c.n,
        observedRevenue: c.observed.sum / c.n,
        total: c.total.sum / c.n,
      },
      predictedClv,
      observedRevenue,
      total,
      projectedIncrementalMargin,
      costsPv,
      projectedRoi,
      observedRoi,
      observedRoiNote,
    };
  }
}
