"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SESSION_SECRET = void 0;
/** Injection token of the secret that keys session ids (SESSION_SECRET, or the generated one under DATA_DIR). */
exports.SESSION_SECRET = Symbol.for('liftlab.session-secret');
//# sourceMappingURL=session-secret.js.map