"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.API_KEY_PREFIX_LENGTH = void 0;
exports.newSessionToken = newSessionToken;
exports.sessionIdFor = sessionIdFor;
exports.newApiKey = newApiKey;
exports.apiKeyHash = apiKeyHash;
exports.apiKeyPrefix = apiKeyPrefix;
const node_crypto_1 = require("node:crypto");
/**
 * Session tokens and API keys are 256-bit random values. Only their hashes are stored, so a copy of the database
 * does not let anyone sign in. Session ids are keyed with SESSION_SECRET (rotating it signs everyone out); API
 * key hashes are plain SHA-256 so keys survive a secret rotation.
 */
function newSessionToken() {
    return (0, node_crypto_1.randomBytes)(32).toString('base64url');
}
function sessionIdFor(token, secret) {
    return (0, node_crypto_1.createHmac)('sha256', secret).update(token).digest('hex');
}
exports.API_KEY_PREFIX_LENGTH = 8;
function newApiKey(scope) {
    const tag = scope === 'ingest' ? 'lli' : 'llr';
    return `${tag}_${(0, node_crypto_1.randomBytes)(32).toString('base64url')}`;
}
function apiKeyHash(key) {
    return (0, node_crypto_1.createHash)('sha256').update(key).digest('hex');
}
function apiKeyPrefix(key) {
    return key.slice(0, exports.API_KEY_PREFIX_LENGTH);
}
//# sourceMappingURL=tokens.js.map