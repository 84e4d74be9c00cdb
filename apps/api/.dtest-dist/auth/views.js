"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toUserView = toUserView;
exports.toApiKeyView = toApiKeyView;
function toUserView(user) {
    return {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        workspaceId: user.workspaceId,
        createdAt: user.createdAt.toISOString(),
        disabledAt: user.disabledAt ? user.disabledAt.toISOString() : null,
    };
}
function toApiKeyView(key) {
    return {
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        scope: key.scope,
        createdAt: key.createdAt.toISOString(),
        revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
        lastUsedAt: key.lastUsedAt ? key.lastUsedAt.toISOString() : null,
    };
}
//# sourceMappingURL=views.js.map