"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEY_SCOPES = exports.ROLES = void 0;
exports.actorLabel = actorLabel;
/** Who is calling: a signed-in user (session cookie) or an API key (Bearer). Set on the request by AuthGuard. */
exports.ROLES = ['admin', 'marketer', 'lifecycle', 'executive'];
exports.KEY_SCOPES = ['ingest', 'read'];
function actorLabel(actor) {
    if (actor.type === 'user')
        return `user:${actor.email}`;
    return `${actor.type}:${actor.id}`;
}
//# sourceMappingURL=actor.js.map