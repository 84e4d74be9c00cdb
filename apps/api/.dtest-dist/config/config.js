"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var ConfigModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigModule = exports.AppConfig = exports.ConfigError = exports.configSchema = void 0;
exports.loadConfig = loadConfig;
exports.dataDir = dataDir;
exports.resolveSessionSecret = resolveSessionSecret;
const common_1 = require("@nestjs/common");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const zod_1 = require("zod");
/**
 * The one place that reads process.env. Every key is documented in `.env.example` at the repository root.
 * A bad configuration stops the boot with one error naming every offending key and its rule (never its value,
 * which may be a secret).
 */
const bool = zod_1.z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
const cron = zod_1.z
    .string()
    .trim()
    .regex(/^(\S+\s+){4,5}\S+$/, 'expected a cron expression with 5 or 6 fields');
const postgresUrl = zod_1.z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// or postgresql:// URL');
const emptyToUndefined = (v) => (v === '' ? undefined : v);
const optional = (schema) => zod_1.z.preprocess(emptyToUndefined, schema.optional());
const withDefault = (schema, value) => zod_1.z.preprocess(emptyToUndefined, schema.prefault(value));
exports.configSchema = zod_1.z.object({
    NODE_ENV: withDefault(zod_1.z.enum(['development', 'production', 'test']), 'development'),
    /** PostgreSQL connection string. Unset → embedded PGlite database stored under DATA_DIR/pglite. */
    DATABASE_URL: optional(postgresUrl),
    /** Local state: embedded database, generated session secret, first-run login. */
    DATA_DIR: withDefault(zod_1.z.string().min(1), '.data'),
    PORT: withDefault(zod_1.z.coerce.number().int().min(0).max(65535), 3000),
    HOST: withDefault(zod_1.z.string().min(1), '127.0.0.1'),
    LOG_LEVEL: withDefault(zod_1.z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
    /** Signs session ids. Unset → generated once and kept in DATA_DIR/session-secret. */
    SESSION_SECRET: optional(zod_1.z.string().min(32, 'expected at least 32 characters')),
    SESSION_TTL_HOURS: withDefault(zod_1.z.coerce
        .number()
        .positive()
        .max(24 * 90), 12),
    LOGIN_MAX_FAILURES: withDefault(zod_1.z.coerce.number().int().min(1).max(1000), 5),
    LOGIN_WINDOW_SECONDS: withDefault(zod_1.z.coerce.number().int().min(1).max(86_400), 60),
    /** Honour X-Forwarded-For (client IP for the login limit, secure cookies) behind a reverse proxy. */
    TRUST_PROXY: withDefault(bool, 'false'),
    /** Where the admin app is reached; used in links and to decide whether cookies are Secure. */
    PUBLIC_URL: optional(zod_1.z.url({ protocol: /^https?$/ })),
    SMTP_URL: optional(zod_1.z.url({ protocol: /^smtps?$/ })),
    RESULTS_REFRESH_CRON: withDefault(cron, '*/15 * * * *'),
    FIRST_ADMIN_EMAIL: optional(zod_1.z.email()),
    FIRST_ADMIN_PASSWORD: optional(zod_1.z.string().min(12, 'expected at least 12 characters')),
    /** Built admin app to serve; unset → apps/admin/dist next to this package, when it exists. */
    ADMIN_DIST_DIR: optional(zod_1.z.string().min(1)),
    /** Request body size limit for JSON (bulk events, customers). */
    BODY_LIMIT: withDefault(zod_1.z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size like 20mb'), '20mb'),
    /** Integration tests only: PostgreSQL server on which each test file gets its own database. */
    TEST_DATABASE_URL: optional(postgresUrl),
});
const SECRET_KEYS = new Set([
    'DATABASE_URL',
    'SESSION_SECRET',
    'SMTP_URL',
    'FIRST_ADMIN_PASSWORD',
    'TEST_DATABASE_URL',
]);
class ConfigError extends Error {
    problems;
    name = 'ConfigError';
    constructor(problems) {
        super(`Invalid configuration: ${problems.map((p) => `${p.key} (${p.rule})`).join('; ')}`);
        this.problems = problems;
    }
}
exports.ConfigError = ConfigError;
/**
 * Injection token and type of the parsed configuration: `constructor(private readonly config: AppConfig)`.
 * The value provided is a plain object; the class only carries the type.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class AppConfig {
}
exports.AppConfig = AppConfig;
/** Parses an environment (defaults to process.env); throws ConfigError naming every bad key. */
function loadConfig(env = process.env) {
    const result = exports.configSchema.safeParse(env);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => {
            const key = String(issue.path[0] ?? '(env)');
            const rule = SECRET_KEYS.has(key) ? issue.message.replace(/received .*/i, '').trim() : issue.message;
            return { key, rule };
        });
        throw new ConfigError(problems);
    }
    return result.data;
}
function dataDir(config) {
    return (0, node_path_1.resolve)(process.cwd(), config.DATA_DIR);
}
/** SESSION_SECRET, or a generated one persisted under DATA_DIR so sessions survive restarts. */
function resolveSessionSecret(config) {
    if (config.SESSION_SECRET)
        return config.SESSION_SECRET;
    const file = (0, node_path_1.join)(dataDir(config), 'session-secret');
    if ((0, node_fs_1.existsSync)(file)) {
        const stored = (0, node_fs_1.readFileSync)(file, 'utf8').trim();
        if (stored.length >= 32)
            return stored;
    }
    const secret = (0, node_crypto_1.randomBytes)(32).toString('base64url');
    (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(file), { recursive: true });
    (0, node_fs_1.writeFileSync)(file, secret + '\n', { mode: 0o600 });
    return secret;
}
/** Global module providing AppConfig (parsed from process.env unless given). */
let ConfigModule = ConfigModule_1 = class ConfigModule {
    static forRoot(config) {
        return {
            module: ConfigModule_1,
            providers: [{ provide: AppConfig, useFactory: () => config ?? loadConfig() }],
            exports: [AppConfig],
        };
    }
};
exports.ConfigModule = ConfigModule;
exports.ConfigModule = ConfigModule = ConfigModule_1 = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({})
], ConfigModule);
//# sourceMappingURL=config.js.map