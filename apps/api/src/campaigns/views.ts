import {
  CostLineInputSchema,
  type Campaign as CampaignView,
  type CostLine,
  type CostLineParsed,
  type GrossMargins,
  type RoiVerdict,
} from '@liftlab/contracts';
import type { Prisma } from '../generated/prisma/client';
import type { CampaignCostRecord, CampaignRecord, CostRow, ExperimentSummary } from './campaigns.repository';
import { lineTotal } from './ledger';

const day = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);

/** The line as entered, from its stored row (details are re-read through the contract, defaults included). */
export function toCostLine(row: CampaignCostRecord): CostLineParsed {
  const details = (row.details ?? {}) as Record<string, unknown>;
  return CostLineInputSchema.parse({ ...details, category: row.category, label: row.label });
}

export function toCostRow(line: CostLineParsed): CostRow {
  const { category, label, ...details } = line;
  return { category, label, details: details as Prisma.InputJsonValue, total: lineTotal(line) };
}

export function toCostView(row: CampaignCostRecord): CostLine {
  return {
    ...toCostLine(row),
    id: row.id,
    total: row.total,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  } as CostLine;
}

export function grossMarginsOf(c: CampaignRecord): GrossMargins {
  return {
    upsell: c.marginUpsell,
    cross_sell: c.marginCrossSell,
    retention: c.marginRetention,
    other: c.marginOther,
  };
}

/** startsOn, else the day the experiment started; null before launch. */
export function launchDateOf(
  c: CampaignRecord,
  experiment: ExperimentSummary | undefined | null,
): string | null {
  return day(c.startsOn) ?? day(experiment?.startedAt ?? null);
}

export function toCampaignView(
  c: CampaignRecord,
  experiment: ExperimentSummary | undefined | null,
): CampaignView {
  return {
    id: c.id,
    key: c.key,
    name: c.name,
    programKey: c.programKey,
    experimentId: c.experimentId,
    experimentKey: experiment?.key ?? '',
    variantKey: c.variantKey,
    horizonMonths: c.horizonMonths,
    annualDiscountRate: c.annualDiscountRate,
    grossMargins: grossMarginsOf(c),
    acquisitionCostPerCustomer: c.acquisitionCostPerCustomer,
    startsOn: day(c.startsOn),
    launchDate: launchDateOf(c, experiment),
    lastVerdict: (c.verdict as RoiVerdict | null) ?? null,
    verdictChangedAt: c.verdictChangedAt?.toISOString() ?? null,
    costs: c.costs.map(toCostView),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
