"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.LogDestinationModule = exports.LOG_DESTINATION = exports.REDACT_PATHS = exports.REQUEST_ID_HEADER = void 0;
exports.requestId = requestId;
exports.loggerParams = loggerParams;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
/** Header carrying the request id in both directions. */
exports.REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;
/**
 * Paths removed from every log line: credentials in headers, and any field that could hold a password, a
 * session token or an API key wherever it is nested.
 */
const SENSITIVE_FIELDS = [
    'password',
    'currentPassword',
    'newPassword',
    'initialPassword',
    'passwordHash',
    'apiKey',
    'token',
    'secret',
    'authorization',
    'cookie',
    'hash',
];
exports.REDACT_PATHS = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    ...SENSITIVE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];
/** Incoming X-Request-Id is kept when it is short and plain, otherwise a new id is made; it is echoed back. */
function requestId(req, res) {
    const incoming = req.headers[exports.REQUEST_ID_HEADER];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : (0, node_crypto_1.randomUUID)();
    res.setHeader('X-Request-Id', id);
    return id;
}
const QUIET_PATHS = ['/metrics', '/health'];
/** Where log lines go: stdout unless a test provides a stream to read them back. */
exports.LOG_DESTINATION = Symbol.for('liftlab.log-destination');
let LogDestinationModule = class LogDestinationModule {
};
exports.LogDestinationModule = LogDestinationModule;
exports.LogDestinationModule = LogDestinationModule = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({ providers: [{ provide: exports.LOG_DESTINATION, useFactory: () => null }], exports: [exports.LOG_DESTINATION] })
], LogDestinationModule);
function loggerParams(config, destination) {
    const options = {
        level: config.LOG_LEVEL,
        genReqId: requestId,
        redact: { paths: exports.REDACT_PATHS, censor: '[redacted]' },
        // Headers are left out entirely (not just redacted): only the fields below are logged for a request.
        serializers: {
            req: (req) => ({
                id: req.id,
                method: req.method,
                url: stripQuerySecrets(req.url),
                userAgent: req.headers?.['user-agent'],
            }),
            res: (res) => ({ statusCode: res.statusCode }),
        },
        customProps: (req) => {
            const actor = req.actor;
            return actor ? { actor: { type: actor.type, id: actor.id } } : {};
        },
        customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
        autoLogging: {
            ignore: (req) => QUIET_PATHS.some((p) => req.url === p || req.url?.startsWith(`${p}?`)),
        },
        quietReqLogger: true,
    };
    return { pinoHttp: destination ? [options, destination] : options };
}
/** Query strings never carry credentials by design; drop any that look like one anyway. */
function stripQuerySecrets(url) {
    return url.replace(/([?&](?:api_?key|key|token|password|secret)=)[^&]*/gi, '$1[redacted]');
}
//# sourceMappingURL=logging.js.map