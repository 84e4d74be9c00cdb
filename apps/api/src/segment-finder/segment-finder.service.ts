import { Inject, Injectable } from '@nestjs/common';
import type { SegmentFinder, SegmentFinderQuery } from '@liftlab/contracts';
import { StatsInputError } from '@liftlab/stats';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { analyseSegments, type SegmentSums } from './segment-analysis';
import { SegmentFinderRepository } from './segment-finder.repository';

@Injectable()
export class SegmentFinderService {
  constructor(
    private readonly repo: SegmentFinderRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async find(actor: Actor, experimentId: string, q: SegmentFinderQuery): Promise<SegmentFinder> {
    const experiment = await this.repo.experiment(actor.workspaceId, experimentId);
    if (!experiment) throw DomainError.notFound('Experiment', experimentId);
    const control = experiment.variants.find((v) => v.isControl);
    if (!control) throw DomainError.invalid('id', 'experiment_without_control');
    const treatment =
      q.variantKey !== undefined
        ? experiment.variants.find((v) => v.key === q.variantKey && !v.isControl)
        : experiment.variants.find((v) => !v.isControl);
    if (!treatment) throw DomainError.invalid('query.variantKey', 'unknown_treated_variant');
    const metric =
      q.metricKey !== undefined
        ? experiment.metrics.find((m) => m.key === q.metricKey)
        : (experiment.metrics.find((m) => m.id === experiment.primaryMetricId) ?? experiment.metrics[0]);
    if (!metric) {
      throw DomainError.invalid(
        'query.metricKey',
        q.metricKey !== undefined ? 'not_a_metric_of_experiment' : 'required',
      );
    }
    if (metric.kind === 'ratio') throw DomainError.invalid('query.metricKey', 'ratio_metric_not_supported');
    const kind = metric.kind;

    const rows = await this.repo.segmentSums({
      workspaceId: actor.workspaceId,
      experimentId,
      variantIds: [control.id, treatment.id],
      metric,
      dimension: q.dimension,
      until: this.clock.now(),
    });
    const bySegment = new Map<string, SegmentSums>();
    const empty = () => ({ n: 0, sum: 0, sumSquares: 0 });
    for (const r of rows) {
      const s = bySegment.get(r.segment) ?? { segment: r.segment, control: empty(), treatment: empty() };
      const arm = { n: r.n, sum: r.sum, sumSquares: r.sumSquares };
      if (r.variantId === control.id) s.control = arm;
      else s.treatment = arm;
      bySegment.set(r.segment, s);
    }
    let analysis;
    try {
      analysis = analyseSegments([...bySegment.values()], {
        kind,
        difference: q.difference,
        alpha: q.alpha,
        correction: q.correction,
        k: q.k,
      });
    } catch (e) {
      if (e instanceof StatsInputError) {
        // A relative lift needs a holdout mean other than 0 in every segment.
        throw DomainError.invalid(
          q.difference === 'relative' ? 'query.difference' : 'query.dimension',
          'not_computable_for_segment',
          `${e.field}: ${e.rule}`,
        );
      }
      throw e;
    }
    return {
      experimentId,
      dimension: q.dimension,
      metric: { key: metric.key, name: metric.name, kind },
      controlVariant: control.key,
      treatmentVariant: treatment.key,
      difference: q.difference,
      alpha: q.alpha,
      correction: q.correction,
      ...analysis,
    };
  }
}
