import { Global, Module } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Every key is documented in `.env.example` at the repository root.
 * A bad configuration stops the boot with one error naming every offending key and its rule (never its value,
 * which may be a secret).
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const cron = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4,5}\S+$/, 'expected a cron expression with 5 or 6 fields');

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// or postgresql:// URL');

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, value: z.input<T>) =>
  z.preprocess(emptyToUndefined, schema.prefault(value as never));

export const configSchema = z.object({
  NODE_ENV: withDefault(z.enum(['development', 'production', 'test']), 'development'),
  /** PostgreSQL connection string. Unset → embedded PGlite database stored under DATA_DIR/pglite. */
  DATABASE_URL: optional(postgresUrl),
  /** Local state: embedded database, generated session secret, first-run login. */
  DATA_DIR: withDefault(z.string().min(1), '.data'),
  PORT: withDefault(z.coerce.number().int().min(0).max(65535), 3000),
  HOST: withDefault(z.string().min(1), '127.0.0.1'),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  /** Signs session ids. Unset → generated once and kept in DATA_DIR/session-secret. */
  SESSION_SECRET: optional(z.string().min(32, 'expected at least 32 characters')),
  SESSION_TTL_HOURS: withDefault(
    z.coerce
      .number()
      .positive()
      .max(24 * 90),
    12,
  ),
  LOGIN_MAX_FAILURES: withDefault(z.coerce.number().int().min(1).max(1000), 5),
  LOGIN_WINDOW_SECONDS: withDefault(z.coerce.number().int().min(1).max(86_400), 60),
  /** Honour X-Forwarded-For (client IP for the login limit, secure cookies) behind a reverse proxy. */
  TRUST_PROXY: withDefault(bool, 'false'),
  /** Where the admin app is reached; used in links and to decide whether cookies are Secure. */
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/ })),
  RESULTS_REFRESH_CRON: withDefault(cron, '*/15 * * * *'),
  /** Campaign verdicts are re-evaluated and changes recorded in the audit log ('off' disables). */
  CAMPAIGN_VERDICT_CRON: withDefault(z.union([z.literal('off'), cron]), '20 * * * *'),
  /** Executive digest e-mail schedule ('off' disables); recipients: executives plus DIGEST_RECIPIENTS. */
  DIGEST_CRON: withDefault(z.union([z.literal('off'), cron]), '0 7 * * 1'),
  DIGEST_RECIPIENTS: withDefault(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e.length > 0),
      )
      .pipe(z.array(z.email())),
    '',
  ),
  DIGEST_FROM: withDefault(z.string().min(3), 'Liftlab <reports@liftlab.local>'),
  /** Sequence delivery tick: claims due touches and messages ('off' disables; cron with seconds allowed). */
  SEQUENCE_TICK_CRON: withDefault(z.union([z.literal('off'), cron]), '*/30 * * * * *'),
  /** Re-evaluation of running sequences' audiences (new enrollments) ('off' disables). */
  AUDIENCE_CRON: withDefault(z.union([z.literal('off'), cron]), '5 * * * *'),
  /** Health signal rules evaluation ('off' disables). */
  SIGNALS_CRON: withDefault(z.union([z.literal('off'), cron]), '10 * * * *'),
  /** Nightly customer value (CLV) model fit per workspace ('off' disables). */
  CLV_FIT_CRON: withDefault(z.union([z.literal('off'), cron]), '30 2 * * *'),
  /** Seconds a worker holds a claimed message or enrollment before another instance may take it over. */
  DELIVERY_LEASE_SECONDS: withDefault(z.coerce.number().int().min(5).max(3600), 60),
  /** Secret for unsubscribe and survey links; unset → derived from the session secret. */
  LINK_SECRET: optional(z.string().min(32, 'expected at least 32 characters')),
  FIRST_ADMIN_EMAIL: optional(z.email()),
  FIRST_ADMIN_PASSWORD: optional(z.string().min(12, 'expected at least 12 characters')),
  /** Built admin app to serve; unset → apps/admin/dist next to this package, when it exists. */
  ADMIN_DIST_DIR: optional(z.string().min(1)),
  /** Request body size limit for JSON (bulk events, customers). */
  BODY_LIMIT: withDefault(z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size like 20mb'), '20mb'),
  /** Integration tests only: PostgreSQL server on which each test file gets its own database. */
  TEST_DATABASE_URL: optional(postgresUrl),
});

export type ConfigValues = z.output<typeof configSchema>;

const SECRET_KEYS = new Set([
  'DATABASE_URL',
  'SESSION_SECRET',
  'SMTP_URL',
  'FIRST_ADMIN_PASSWORD',
  'LINK_SECRET',
  'TEST_DATABASE_URL',
]);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { key: string; rule: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.key} (${p.rule})`).join('; ')}`);
  }
}

/**
 * Injection token and type of the parsed configuration: `constructor(private readonly config: AppConfig)`.
 * The value provided is a plain object; the class only carries the type.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends ConfigValues {}

/** Parses an environment (defaults to process.env); throws ConfigError naming every bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(env)');
      const rule = SECRET_KEYS.has(key) ? issue.message.replace(/received .*/i, '').trim() : issue.message;
      return { key, rule };
    });
    throw new ConfigError(problems);
  }
  return result.data as AppConfig;
}

export function dataDir(config: Pick<ConfigValues, 'DATA_DIR'>): string {
  return resolve(process.cwd(), config.DATA_DIR);
}

/** SESSION_SECRET, or a generated one persisted under DATA_DIR so sessions survive restarts. */
export function resolveSessionSecret(config: ConfigValues): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  const file = join(dataDir(config), 'session-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Global module providing AppConfig (parsed from process.env unless given). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: AppConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useFactory: () => config ?? loadConfig() }],
      exports: [AppConfig],
    };
  }
}
