"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ExperimentsService = void 0;
exports.toVariantRows = toVariantRows;
const common_1 = require("@nestjs/common");
const contracts_1 = require("@liftlab/contracts");
const stats_1 = require("@liftlab/stats");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/domain-error");
const experiments_repository_1 = require("./experiments.repository");
const namespace_rules_1 = require("./namespace-rules");
const status_1 = require("./status");
const views_1 = require("./views");
const ENTITY = 'experiment';
/**
 * Arms in bucket order with their control flag. A holdout experiment's 'holdout' arm is always the control and
 * comes first; otherwise the flagged arm (or the first one) is the control.
 */
function toVariantRows(kind, variants) {
    const ordered = kind === 'holdout'
        ? [...variants].sort((a, b) => Number(b.key === contracts_1.HOLDOUT_CONTROL_KEY) - Number(a.key === contracts_1.HOLDOUT_CONTROL_KEY))
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
let ExperimentsService = class ExperimentsService {
    repo;
    audit;
    clock;
    constructor(repo, audit, clock) {
        this.repo = repo;
        this.audit = audit;
        this.clock = clock;
    }
    async create(actor, body) {
        const ws = actor.workspaceId;
        try {
            return await this.repo.transaction(async (tx) => {
                if (await this.repo.keyExists(ws, body.key, tx))
                    throw keyTaken(body.key);
                const metrics = await this.resolveMetrics(ws, body.metrics, tx);
                const namespace = await this.claimNamespace(ws, body.namespace ?? null, undefined, tx);
                const created = await this.repo.create(ws, {
                    key: body.key,
                    name: body.name,
                    kind: body.kind,
                    hypothesis: body.hypothesis,
                    seed: body.seed ?? body.key,
                    coverage: body.coverage,
                    namespaceId: namespace?.namespaceId ?? null,
                    namespaceRangeStart: namespace?.start ?? null,
                    namespaceRangeEnd: namespace?.end ?? null,
                    targeting: body.targeting,
                    engine: body.engine,
                    primaryMetricId: metrics.find((m) => m.role === 'primary')?.metricId ?? null,
                }, toVariantRows(body.kind, body.variants), metrics, tx);
                const view = (0, views_1.toExperimentView)(created);
                await this.audit.record(actor, 'experiment.create', { type: ENTITY, id: created.id }, undefined, view, { tx });
                return view;
            });
        }
        catch (error) {
            if ((0, experiments_repository_1.isUniqueViolation)(error))
                throw keyTaken(body.key);
            throw error;
        }
    }
    async get(actor, id) {
        return (0, views_1.toExperimentView)(await this.load(actor.workspaceId, id));
    }
    async list(actor, query) {
        const rows = await this.repo.list(actor.workspaceId, { status: query.status }, query.limit + 1, query.cursor);
        const page = rows.slice(0, query.limit);
        return {
            items: page.map(views_1.toExperimentView),
            nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
        };
    }
    async update(actor, id, body) {
        const ws = actor.workspaceId;
        return this.repo.transaction(async (tx) => {
            const current = await this.load(ws, id, tx);
            (0, status_1.assertUpdateAllowed)(current.status, Object.keys(body));
            const kind = body.kind ?? current.kind;
            const variants = body.variants ??
                current.variants.map((v) => ({ key: v.key, name: v.name, weight: v.weight, isControl: v.isControl }));
            if (body.kind !== undefined || body.variants !== undefined)
                assertDesign(kind, variants);
            const data = {};
            if (body.name !== undefined)
                data.name = body.name;
            if (body.kind !== undefined)
                data.kind = body.kind;
            if (body.hypothesis !== undefined)
                data.hypothesis = body.hypothesis;
            if (body.seed !== undefined)
                data.seed = body.seed;
            if (body.coverage !== undefined)
                data.coverage = body.coverage;
            if (body.engine !== undefined)
                data.engine = body.engine;
            if (body.targeting !== undefined)
                data.targeting = body.targeting;
            if (body.namespace !== undefined) {
                const ns = await this.claimNamespace(ws, body.namespace, id, tx);
                data.namespaceId = ns?.namespaceId ?? null;
                data.namespaceRangeStart = ns?.start ?? null;
                data.namespaceRangeEnd = ns?.end ?? null;
            }
            let metrics;
            if (body.metrics !== undefined) {
                metrics = await this.resolveMetrics(ws, body.metrics, tx);
                data.primaryMetricId = metrics.find((m) => m.role === 'primary')?.metricId ?? null;
            }
            const needsNewVariants = body.variants !== undefined || body.kind !== undefined;
            const updated = await this.repo.update(ws, id, data, { variants: needsNewVariants ? toVariantRows(kind, variants) : undefined, metrics }, tx);
            const before = (0, views_1.toExperimentView)(current);
            const after = (0, views_1.toExperimentView)(updated);
            await this.audit.record(actor, 'experiment.update', { type: ENTITY, id }, before, after, { tx });
            return after;
        });
    }
    start(actor, id) {
        return this.move(actor, id, 'start', {});
    }
    stop(actor, id, body) {
        return this.move(actor, id, 'stop', body);
    }
    conclude(actor, id, body) {
        return this.move(actor, id, 'conclude', body);
    }
    /**
     * Changes coverage and/or weights of a running experiment. Customers already assigned keep their stored
     * variant (assignments are sticky), so a ramp only changes where new customers land.
     */
    async ramp(actor, id, body) {
        const ws = actor.workspaceId;
        return this.repo.transaction(async (tx) => {
            const current = await this.load(ws, id, tx);
            (0, status_1.assertCanRamp)(current.status);
            const data = {};
            if (body.coverage !== undefined)
                data.coverage = body.coverage;
            if (body.weights) {
                const keys = new Set(current.variants.map((v) => v.key));
                const errors = [];
                for (const key of Object.keys(body.weights)) {
                    if (!keys.has(key))
                        errors.push({ path: `weights.${key}`, rule: 'unknown_variant' });
                }
                for (const key of keys)
                    if (!(key in body.weights))
                        errors.push({ path: `weights.${key}`, rule: 'required' });
                if (errors.length > 0)
                    throw domain_error_1.DomainError.validation(errors);
                await this.repo.setWeights(id, new Map(Object.entries(body.weights)), tx);
            }
            const updated = await this.repo.update(ws, id, data, {}, tx);
            const snapshot = (e) => ({
                coverage: e.coverage,
                weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
            });
            await this.audit.record(actor, 'experiment.ramp', { type: ENTITY, id }, snapshot(current), snapshot(updated), {
                tx,
            });
            return (0, views_1.toExperimentView)(updated);
        });
    }
    /** Per-variant exposures counted from events, stored assignments, and the sample-ratio-mismatch check. */
    async exposures(actor, id) {
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
        let srm = null;
        if (totalExposedCustomers > 0 && tested.length >= 2) {
            const r = (0, stats_1.srmTest)(tested.map((v) => v.exposedCustomers), tested.map((v) => v.weight));
            srm = {
                chiSquare: r.chiSquare,
                dof: r.dof,
                pValue: r.pValue,
                flagged: r.flagged,
                threshold: stats_1.DEFAULT_SRM_THRESHOLD,
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
    async move(actor, id, action, details) {
        const ws = actor.workspaceId;
        return this.repo.transaction(async (tx) => {
            const current = await this.load(ws, id, tx);
            const { status, dates } = (0, status_1.transition)(current.status, action, this.clock.now());
            if (action === 'conclude') {
                const winner = details.winnerVariantKey;
                if (winner !== undefined && !current.variants.some((v) => v.key === winner)) {
                    throw domain_error_1.DomainError.invalid('winnerVariantKey', 'unknown_variant');
                }
            }
            const updated = await this.repo.update(ws, id, { status, ...dates }, {}, tx);
            await this.audit.record(actor, `experiment.${action}`, { type: ENTITY, id }, { status: current.status }, { status, ...details }, { tx });
            return (0, views_1.toExperimentView)(updated);
        });
    }
    async load(workspaceId, id, db) {
        const exp = await this.repo.findById(workspaceId, id, db);
        if (!exp)
            throw domain_error_1.DomainError.notFound('Experiment', id);
        return exp;
    }
    async resolveMetrics(workspaceId, metrics, db) {
        const ids = await this.repo.metricIds(workspaceId, metrics.map((m) => m.metricKey), db);
        const errors = [];
        const out = metrics.flatMap((m, i) => {
            const metricId = ids.get(m.metricKey);
            if (!metricId) {
                errors.push({ path: `metrics.${i}.metricKey`, rule: 'unknown_metric' });
                return [];
            }
            return [{ metricId, role: m.role }];
        });
        if (errors.length > 0)
            throw domain_error_1.DomainError.validation(errors);
        return out;
    }
    /** Resolves the namespace and claims the slice, refusing one that overlaps another experiment's slice. */
    async claimNamespace(workspaceId, input, experimentId, tx) {
        if (input === null)
            return null;
        const ns = await this.repo.findNamespaceByKey(workspaceId, input.key, tx);
        if (!ns)
            throw domain_error_1.DomainError.invalid('namespace.key', 'unknown_namespace');
        await this.repo.lockNamespace(ns.id, tx);
        const overlap = (0, namespace_rules_1.findOverlap)(await this.repo.namespaceSlices(ns.id, tx), input, experimentId);
        if (overlap) {
            throw domain_error_1.DomainError.conflict(`Namespace ${ns.key}: [${input.start}, ${input.end}) overlaps experiment ${overlap.experimentKey} ` +
                `[${overlap.start}, ${overlap.end}).`, [{ path: 'namespace', rule: 'overlaps' }]);
        }
        return { namespaceId: ns.id, start: input.start, end: input.end };
    }
};
exports.ExperimentsService = ExperimentsService;
exports.ExperimentsService = ExperimentsService = __decorate([
    (0, common_1.Injectable)(),
    __param(2, (0, common_1.Inject)(clock_1.CLOCK)),
    __metadata("design:paramtypes", [experiments_repository_1.ExperimentsRepository,
        audit_service_1.AuditService, Object])
], ExperimentsService);
function keyTaken(key) {
    return domain_error_1.DomainError.conflict(`An experiment with key ${key} already exists.`, [
        { path: 'key', rule: 'unique' },
    ]);
}
/** Re-checks the arms against the (possibly changed) kind, as create does. */
function assertDesign(kind, variants) {
    const errors = [];
    const issue = (path, rule) => errors.push({ path: ['variants', ...path].join('.'), rule });
    (0, contracts_1.checkVariants)(variants, issue);
    if (kind === 'holdout')
        (0, contracts_1.checkHoldoutVariants)(variants, issue);
    if (errors.length > 0)
        throw domain_error_1.DomainError.validation(errors);
}
//# sourceMappingURL=experiments.service.js.map