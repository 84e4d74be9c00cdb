"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.setupApp = setupApp;
exports.setupOpenApi = setupOpenApi;
exports.adminDistDir = adminDistDir;
exports.serveAdminApp = serveAdminApp;
const swagger_1 = require("@nestjs/swagger");
const express_1 = __importDefault(require("express"));
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const nestjs_pino_1 = require("nestjs-pino");
const decorators_1 = require("./auth/decorators");
const http_1 = require("./common/http");
const config_1 = require("./config/config");
const paths_1 = require("./database/paths");
/** Paths the admin app's SPA fallback never answers. */
const API_PREFIXES = ['/v1', '/health', '/metrics', '/docs', '/openapi.json'];
/**
 * Everything main.ts does to the app before listening, shared with the integration tests so they exercise the
 * same stack: logger, body parsing, cookies, the exception filter, OpenAPI + Swagger UI, the admin app.
 */
function setupApp(app, options = {}) {
    const config = app.get(config_1.AppConfig);
    app.useLogger(app.get(nestjs_pino_1.Logger));
    app.enableShutdownHooks();
    (0, http_1.configureHttp)(app, { bodyLimit: config.BODY_LIMIT, trustProxy: config.TRUST_PROXY });
    const document = setupOpenApi(app);
    if (options.serveAdmin !== false)
        serveAdminApp(app, config);
    return { document };
}
function setupOpenApi(app) {
    const builder = new swagger_1.DocumentBuilder()
        .setTitle('Liftlab API')
        .setDescription('Experiments, assignment, event ingestion and results. Users sign in with a session cookie; ' +
        'systems send `Authorization: Bearer <API key>`. Errors are RFC 7807 problem documents.')
        .setVersion('1')
        .addCookieAuth(decorators_1.SESSION_COOKIE, { type: 'apiKey', in: 'cookie', name: decorators_1.SESSION_COOKIE }, decorators_1.SESSION_COOKIE)
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (scope ingest or read)' }, 'apiKey')
        .build();
    const document = swagger_1.SwaggerModule.createDocument(app, builder);
    swagger_1.SwaggerModule.setup('docs', app, document, {
        jsonDocumentUrl: 'openapi.json',
        yamlDocumentUrl: 'openapi.yaml',
        customSiteTitle: 'Liftlab API',
    });
    return document;
}
function adminDistDir(config) {
    const dir = config.ADMIN_DIST_DIR
        ? (0, node_path_1.resolve)(config.ADMIN_DIST_DIR)
        : (0, node_path_1.join)((0, paths_1.repoRoot)(), 'apps', 'admin', 'dist');
    return (0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'index.html')) ? dir : undefined;
}
/** Static files of the admin app with SPA fallback: unknown GET paths outside the API get index.html. */
function serveAdminApp(app, config) {
    const dir = adminDistDir(config);
    if (!dir)
        return undefined;
    const http = app;
    const isApiPath = (path) => API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
    const files = express_1.default.static(dir, { index: false, fallthrough: true, maxAge: '1h' });
    http.use((req, res, next) => {
        if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path))
            return next();
        files(req, res, () => {
            if (!req.accepts('html'))
                return next();
            res.setHeader('Cache-Control', 'no-cache');
            res.sendFile((0, node_path_1.join)(dir, 'index.html'));
        });
    });
    return dir;
}
//# sourceMappingURL=setup.js.map