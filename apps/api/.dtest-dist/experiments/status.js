"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FROZEN_FIELDS = void 0;
exports.transition = transition;
exports.assertUpdateAllowed = assertUpdateAllowed;
exports.assertCanRamp = assertCanRamp;
exports.isEnrolling = isEnrolling;
const domain_error_1 = require("../common/domain-error");
const TRANSITIONS = {
    start: { from: 'draft', to: 'running' },
    stop: { from: 'running', to: 'stopped' },
    conclude: { from: 'stopped', to: 'concluded' },
};
/** New status and the dates to stamp, or DomainError('invalid_transition') naming both ends. */
function transition(current, action, now) {
    const rule = TRANSITIONS[action];
    if (current !== rule.from)
        throw domain_error_1.DomainError.invalidTransition('Experiment', current, rule.to);
    switch (action) {
        case 'start':
            return { status: rule.to, dates: { startedAt: now, frozenAt: now } };
        case 'stop':
            return { status: rule.to, dates: { stoppedAt: now } };
        case 'conclude':
            return { status: rule.to, dates: { concludedAt: now } };
    }
}
/** Fields that define the experiment's design and freeze once it has started. */
exports.FROZEN_FIELDS = ['variants', 'metrics', 'kind', 'seed', 'namespace'];
/**
 * Checks a PATCH against the status. Draft: anything. Running/stopped: name, hypothesis, engine and targeting
 * only (coverage through a ramp). Concluded: nothing — the record is final.
 */
function assertUpdateAllowed(status, fields) {
    if (status === 'draft')
        return;
    if (status === 'concluded') {
        throw new domain_error_1.DomainError('conflict', 'A concluded experiment can no longer be changed.', { status });
    }
    const errors = fields.flatMap((field) => {
        if (exports.FROZEN_FIELDS.includes(field))
            return [{ path: field, rule: 'frozen_after_start' }];
        if (field === 'coverage')
            return [{ path: field, rule: 'use_ramp' }];
        return [];
    });
    if (errors.length > 0) {
        throw new domain_error_1.DomainError('conflict', 'The experiment has started: its design is frozen.', errors);
    }
}
/** Ramping changes who may still enter, so it only makes sense while the experiment runs. */
function assertCanRamp(status) {
    if (status !== 'running') {
        throw new domain_error_1.DomainError('invalid_transition', `Only a running experiment can be ramped (it is ${status}).`, {
            from: status,
            to: 'running',
        });
    }
}
/** Only running experiments enrol customers. */
function isEnrolling(status) {
    return status === 'running';
}
//# sourceMappingURL=status.js.map