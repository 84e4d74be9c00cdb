import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AssignmentResult, AssignRequest, AssignResponse, SdkPayload } from '@liftlab/contracts';
import type { SdkGlobalHoldout } from '@liftlab/sdk';
import type { Actor } from '../auth/actor';
import { CLOCK, type Clock } from '../common/clock';
import {
  AssignmentRepository,
  type ExperimentDesignRecord,
  type StoredAssignment,
} from './assignment.repository';
import {
  customerAttributes,
  decide,
  decideGlobalHoldout,
  toSdkExperiment,
  type ExperimentDesign,
} from './bucketing';

export function designOf(e: ExperimentDesignRecord): ExperimentDesign {
  return {
    key: e.key,
    kind: e.kind,
    seed: e.seed,
    hashVersion: e.hashVersion,
    coverage: e.coverage,
    targeting: e.targeting,
    variants: e.variants,
    namespace:
      e.namespace && e.namespaceRangeStart !== null && e.namespaceRangeEnd !== null
        ? { key: e.namespace.key, start: e.namespaceRangeStart, end: e.namespaceRangeEnd }
        : null,
  };
}

const pairKey = (experimentId: string, customerId: string) => `${experimentId}|${customerId}`;

/**
 * Server-side assignment. A customer's first decision (global holdout membership, then variant per
 * experiment) is stored and returned unchanged ever after, across requests and app instances: the database's
 * unique keys make the earliest stored decision win when two instances decide at once.
 */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly repo: AssignmentRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async assign(actor: Actor, request: AssignRequest): Promise<AssignResponse> {
    const ws = actor.workspaceId;
    const now = this.clock.now();
    const externalIds = [...new Set(request.customers)];
    const requestedKeys = request.experiments ? [...new Set(request.experiments)] : null;

    const [settings, experiments, customers] = await Promise.all([
      this.repo.holdoutSettings(ws),
      requestedKeys ? this.repo.experimentsByKey(ws, requestedKeys) : this.repo.runningExperiments(ws),
      this.repo.customersByExternalId(ws, externalIds),
    ]);
    const holdout = holdoutOf(settings);
    const experimentByKey = new Map(experiments.map((e) => [e.key, e]));
    const keys = requestedKeys ?? experiments.map((e) => e.key);
    const running = experiments.filter((e) => e.status === 'running');
    const customerByExternalId = new Map(customers.map((c) => [c.externalId, c]));
    const customerIds = customers.map((c) => c.id);

    // Global holdout first: decided once per customer, at their first contact with a running experiment.
    let inHoldout = await this.repo.holdoutDecisions(ws, customerIds);
    if (running.length > 0) {
      const undecided = customers.filter((c) => !inHoldout.has(c.id));
      if (undecided.length > 0) {
        await this.repo.saveHoldoutDecisions(
          ws,
          undecided.map((c) => ({ customerId: c.id, inHoldout: decideGlobalHoldout(c.externalId, holdout) })),
          now,
        );
        inHoldout = await this.repo.holdoutDecisions(ws, customerIds);
      }
    }

    const runningIds = running.map((e) => e.id);
    let stored = indexAssignments(await this.repo.assignments(runningIds, customerIds));
    const sdkExperiments = new Map(running.map((e) => [e.id, toSdkExperiment(designOf(e))]));
    const attributes = new Map(customers.map((c) => [c.id, customerAttributes(c)]));

    const fresh: { experimentId: string; customerId: string; variantId: string }[] = [];
    for (const exp of running) {
      const variantIdByKey = new Map(exp.variants.map((v) => [v.key, v.id]));
      for (const c of customers) {
        if (stored.has(pairKey(exp.id, c.id)) || inHoldout.get(c.id) === true) continue;
        const d = decide(
          sdkExperiments.get(exp.id)!,
          { externalId: c.externalId, attributes: attributes.get(c.id)! },
          { inGlobalHoldout: false, storedVariantKey: undefined },
        );
        if (d.kind === 'assigned')
          fresh.push({
            experimentId: exp.id,
            customerId: c.id,
            variantId: variantIdByKey.get(d.variantKey)!,
          });
      }
    }
    if (fresh.length > 0) {
      await this.repo.saveAssignments(ws, fresh, now);
      stored = indexAssignments(await this.repo.assignments(runningIds, customerIds));
    }
    const freshPairs = new Set(fresh.map((f) => pairKey(f.experimentId, f.customerId)));

    const results: AssignmentResult[] = [];
    for (const externalId of externalIds) {
      const customer = customerByExternalId.get(externalId);
      for (const key of keys) {
        const exp = experimentByKey.get(key);
        const base = {
          customer: externalId,
          experiment: key,
          inExperiment: false,
          variant: null,
          assignedAt: null,
        };
        if (!customer) {
          results.push({ ...base, reason: 'unknown_customer' });
          continue;
        }
        if (!exp) {
          results.push({ ...base, reason: 'unknown_experiment' });
          continue;
        }
        if (exp.status !== 'running') {
          results.push({ ...base, reason: 'not_running' });
          continue;
        }
        const row = stored.get(pairKey(exp.id, customer.id));
        const storedKey = row ? exp.variants.find((v) => v.id === row.variantId)?.key : undefined;
        const d = decide(
          sdkExperiments.get(exp.id)!,
          { externalId, attributes: attributes.get(customer.id)! },
          { inGlobalHoldout: inHoldout.get(customer.id) === true, storedVariantKey: storedKey },
        );
        if (d.kind === 'global_holdout') results.push({ ...base, reason: 'global_holdout' });
        else if (d.kind === 'out') results.push({ ...base, reason: d.reason });
        else {
          // A pair decided by this very call is reported as 'assigned', an earlier one as 'sticky'.
          const isNew = freshPairs.has(pairKey(exp.id, customer.id));
          results.push({
            ...base,
            inExperiment: true,
            variant: d.variantKey,
            reason: isNew ? 'assigned' : 'sticky',
            assignedAt: row ? row.assignedAt.toISOString() : null,
          });
        }
      }
    }
    return { assignments: results };
  }

  /**
   * Everything an SDK needs to evaluate running experiments locally, plus the stored decisions of the
   * customers asked for. The ETag covers the content but not `generatedAt`, so an unchanged payload
   * revalidates to 304.
   */
  async payload(actor: Actor, customers: string[]): Promise<{ payload: SdkPayload; etag: string }> {
    const ws = actor.workspaceId;
    const [settings, running, sticky] = await Promise.all([
      this.repo.holdoutSettings(ws),
      this.repo.runningExperiments(ws),
      this.repo.stickyForCustomers(ws, [...new Set(customers)]),
    ]);
    const content = {
      version: 1 as const,
      globalHoldout: holdoutOf(settings),
      experiments: running.map((e) => toSdkExperiment(designOf(e))),
      sticky: Object.fromEntries(
        [...sticky]
          .sort((a, b) => (a.externalId < b.externalId ? -1 : 1))
          .map((s) => [
            s.externalId,
            {
              ...(s.inHoldout !== null ? { globalHoldout: s.inHoldout } : {}),
              assignments: Object.fromEntries(
                [...s.assignments]
                  .sort((a, b) => (a.experimentKey < b.experimentKey ? -1 : 1))
                  .map((a) => [a.experimentKey, a.variantKey]),
              ),
            },
          ]),
      ),
    };
    const etag = `"${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 32)}"`;
    const { version, ...rest } = content;
    return { payload: { version, generatedAt: this.clock.now().toISOString(), ...rest }, etag };
  }
}

function holdoutOf(
  settings: { globalHoldoutPercent: number; globalHoldoutSeed: string } | null,
): SdkGlobalHoldout | null {
  if (!settings || settings.globalHoldoutPercent <= 0) return null;
  return { seed: settings.globalHoldoutSeed, percent: settings.globalHoldoutPercent };
}

function indexAssignments(rows: StoredAssignment[]): Map<string, StoredAssignment> {
  return new Map(rows.map((r) => [pairKey(r.experimentId, r.customerId), r]));
}

/** True when the If-None-Match header lists this ETag (or '*'). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
