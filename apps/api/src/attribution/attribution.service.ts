import { Inject, Injectable } from '@nestjs/common';
import type { AttributionComparison, AttributionQuery } from '@liftlab/contracts';
import { StatsInputError } from '@liftlab/stats';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { compareModels } from './attribution-models';
import { AttributionRepository } from './attribution.repository';

const DAY = 86_400_000;
/** Default period: the 90 days up to yesterday. */
const DEFAULT_DAYS = 90;
/** Longest period one comparison spans. */
const MAX_DAYS = 731;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Input errors of the models (too many channels for Shapley, too many Markov states) name the query field. */
function statsField(field: string): string {
  if (field === 'order') return 'query.markovOrder';
  if (field === 'first') return 'query.positionFirst';
  if (field === 'last') return 'query.positionLast';
  return 'query';
}

@Injectable()
export class AttributionService {
  constructor(
    private readonly repo: AttributionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async compare(actor: Actor, q: AttributionQuery): Promise<AttributionComparison> {
    const today = new Date(`${isoDay(this.clock.now())}T00:00:00Z`);
    const to = q.to ?? isoDay(new Date(today.getTime() - DAY));
    const from = q.from ?? isoDay(new Date(new Date(`${to}T00:00:00Z`).getTime() - (DEFAULT_DAYS - 1) * DAY));
    if (from > to) throw DomainError.invalid('query.from', 'not_after_to');
    const fromDate = new Date(`${from}T00:00:00Z`);
    const until = new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY);
    if ((until.getTime() - fromDate.getTime()) / DAY > MAX_DAYS) {
      throw DomainError.invalid('query.from', `max_${MAX_DAYS}_days`);
    }
    const agg = await this.repo.paths({
      workspaceId: actor.workspaceId,
      from: fromDate,
      until,
      lookbackDays: q.lookbackDays,
      streams: q.streams,
    });
    const base = {
      from,
      to,
      lookbackDays: q.lookbackDays,
      streams: q.streams,
      conversions: agg.paths.reduce((s, p) => s + p.conversions, 0),
      revenue: agg.paths.reduce((s, p) => s + p.revenue, 0),
      unattributedConversions: agg.unattributedConversions,
      unattributedRevenue: agg.unattributedRevenue,
      nullJourneys: agg.paths.reduce((s, p) => s + p.nulls, 0),
      distinctPaths: agg.paths.length,
    };
    if (agg.paths.length === 0) {
      return {
        ...base,
        channels: [],
        models: [],
        markov: { order: q.markovOrder, conversionProbability: 0, removalEffects: [] },
      };
    }
    try {
      return {
        ...base,
        ...compareModels(agg.paths, {
          positionFirst: q.positionFirst,
          positionLast: q.positionLast,
          markovOrder: q.markovOrder,
        }),
      };
    } catch (e) {
      if (e instanceof StatsInputError) {
        throw DomainError.invalid(
          statsField(e.field),
          'too_many_channels_or_states',
          `${e.field}: ${e.rule}`,
        );
      }
      throw e;
    }
  }
}
