"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toExperimentView = toExperimentView;
exports.toMetricView = toMetricView;
const iso = (d) => (d ? d.toISOString() : null);
/** Database record → wire shape of GET /v1/experiments/:id. */
function toExperimentView(e) {
    return {
        id: e.id,
        key: e.key,
        name: e.name,
        kind: e.kind,
        hypothesis: e.hypothesis,
        status: e.status,
        seed: e.seed,
        hashVersion: e.hashVersion,
        coverage: e.coverage,
        namespace: e.namespace && e.namespaceRangeStart !== null && e.namespaceRangeEnd !== null
            ? { id: e.namespace.id, key: e.namespace.key, start: e.namespaceRangeStart, end: e.namespaceRangeEnd }
            : null,
        targeting: (Array.isArray(e.targeting) ? e.targeting : []),
        engine: e.engine,
        variants: e.variants.map((v) => ({
            id: v.id,
            key: v.key,
            name: v.name,
            weight: v.weight,
            isControl: v.isControl,
            position: v.position,
        })),
        metrics: e.metrics.map((m) => ({ metricId: m.metricId, metricKey: m.metric.key, role: m.role })),
        startedAt: iso(e.startedAt),
        stoppedAt: iso(e.stoppedAt),
        concludedAt: iso(e.concludedAt),
        frozenAt: iso(e.frozenAt),
        createdAt: e.createdAt.toISOString(),
        updatedAt: e.updatedAt.toISOString(),
    };
}
function toMetricView(m) {
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
        createdAt: m.createdAt.toISOString(),
    };
}
//# sourceMappingURL=views.js.map