import type { INestApplication } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import type { KeyScope, Role } from '../src/auth/actor';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { AuthRepository, type User } from '../src/auth/auth.repository';
import { SESSION_COOKIE } from '../src/auth/decorators';
import { PasswordHasher } from '../src/auth/password';
import { SESSION_SECRET } from '../src/auth/session-secret';
import { newSessionToken, sessionIdFor } from '../src/auth/tokens';
import { CLOCK, FixedClock } from '../src/common/clock';
import { AppConfig, loadConfig } from '../src/config/config';
import { PrismaService } from '../src/database/prisma.service';
import { createTestDatabase, type TestDatabase } from '../src/database/test-database';
import { setupApp } from '../src/setup';

/** A supertest agent: keeps cookies between requests, and default headers set with `.set()`. */
export type Agent = ReturnType<typeof request.agent>;

export const TEST_ADMIN_EMAIL = 'admin@liftlab.test';
export const TEST_ADMIN_PASSWORD = 'first-admin-password';
/** Cheap scrypt parameters: same code path as production, a fraction of the CPU. */
const TEST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface TestAppOptions {
  /** Defaults to a FixedClock at 2025-01-15T09:00:00Z; advance it to expire sessions, windows, etc. */
  clock?: FixedClock;
  /** Environment overrides, parsed by the real config schema (e.g. `{ LOGIN_MAX_FAILURES: '3' }`). */
  env?: Record<string, string | undefined>;
  /** Serve the admin app's static files (default false). */
  serveAdmin?: boolean;
  /** Last-minute changes to the testing module (extra overrides). */
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export interface TestUser {
  user: User;
  email: string;
  password: string;
}

export interface TestApp {
  app: INestApplication;
  server: Server;
  prisma: PrismaService;
  clock: FixedClock;
  config: AppConfig;
  database: TestDatabase;
  /** The workspace of the first admin (created at start). */
  workspaceId: string;
  /** The first admin, created at start from FIRST_ADMIN_EMAIL/PASSWORD. */
  admin: TestUser;
  /** An agent without credentials. */
  anonymous(): Agent;
  /** Creates a user directly in the database. */
  createUser(role: Role, overrides?: { email?: string; password?: string; name?: string }): Promise<TestUser>;
  /** Signs in through POST /v1/auth/login; the agent carries the session cookie. Throws unless 200. */
  login(email: string, password: string): Promise<Agent>;
  /** Creates a user of `role` and signs in as them. */
  loginAs(role: Role): Promise<Agent>;
  /** A session made directly in the database (no HTTP, no rate limit): the cookie value for `user`. */
  sessionCookie(user: User): Promise<string>;
  /** Creates an API key; returns the full key. */
  createApiKey(scope: KeyScope, name?: string): Promise<string>;
  /** An agent that sends `Authorization: Bearer <key>`. */
  withKey(key: string): Agent;
  /** An agent for a new API key of `scope`. */
  keyAgent(scope: KeyScope): Promise<Agent>;
  close(): Promise<void>;
}

/**
 * The full application (every module, the global guard, filter, logging, OpenAPI) on a fresh database from
 * `createTestDatabase()`, with a fixed clock. One per test file: `beforeAll(async () => (t = await createTestApp()))`
 * and `afterAll(() => t.close())`.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const clock = options.clock ?? new FixedClock();
  const dataDir = mkdtempSync(join(tmpdir(), 'liftlab-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    FIRST_ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    FIRST_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    TEST_DATABASE_URL: loadConfig().TEST_DATABASE_URL,
    ...options.env,
  });
  const database = await createTestDatabase();
  let app: INestApplication | undefined;
  try {
    let builder = Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(AppConfig)
      .useValue(config)
      .overrideProvider(PrismaService)
      .useValue(database.prisma)
      .overrideProvider(CLOCK)
      .useValue(clock)
      .overrideProvider(PasswordHasher)
      .useValue(new PasswordHasher(TEST_SCRYPT));
    if (options.configure) builder = options.configure(builder);
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    setupApp(app, { serveAdmin: options.serveAdmin ?? false });
    await app.init();
  } catch (err) {
    await app?.close().catch(() => undefined);
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  const nest = app;
  const server = nest.getHttpServer() as Server;
  const repo = nest.get(AuthRepository);
  const hasher = nest.get(PasswordHasher);
  const secret = nest.get<string>(SESSION_SECRET);
  const adminUser = await repo.findUserByEmail(TEST_ADMIN_EMAIL);
  const workspaceId = adminUser?.workspaceId ?? (await repo.firstWorkspaceId());
  const admin: TestUser = {
    user: adminUser ?? ({} as User),
    email: TEST_ADMIN_EMAIL,
    password: TEST_ADMIN_PASSWORD,
  };

  const createUser: TestApp['createUser'] = async (role, overrides = {}) => {
    const email = overrides.email ?? `${role}-${randomUUID().slice(0, 8)}@liftlab.test`;
    const password = overrides.password ?? `pw-${randomUUID()}`;
    const user = await repo.createUser({
      workspaceId,
      email,
      name: overrides.name ?? `Test ${role}`,
      role,
      passwordHash: await hasher.hash(password),
      createdAt: clock.now(),
    });
    return { user, email, password };
  };

  const login: TestApp['login'] = async (email, password) => {
    const agent = request.agent(server);
    const res = await agent.post('/v1/auth/login').send({ email, password });
    if (res.status !== 200)
      throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return agent;
  };

  const createApiKey: TestApp['createApiKey'] = async (scope, name = `${scope} key`) => {
    const actor = {
      type: 'user' as const,
      id: admin.user.id,
      role: 'admin' as const,
      workspaceId,
      email: admin.email,
      sessionId: 'test',
    };
    return (await nest.get(ApiKeysService).create(actor, { name, scope })).key;
  };

  const withKey = (key: string): Agent => request.agent(server).set('Authorization', `Bearer ${key}`);

  return {
    app: nest,
    server,
    prisma: database.prisma,
    clock,
    config,
    database,
    workspaceId,
    admin,
    anonymous: () => request.agent(server),
    createUser,
    login,
    loginAs: async (role) => {
      const u = await createUser(role);
      return login(u.email, u.password);
    },
    sessionCookie: async (user) => {
      const token = newSessionToken();
      const now = clock.now();
      await repo.createSession({
        id: sessionIdFor(token, secret),
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + config.SESSION_TTL_HOURS * 3_600_000),
      });
      return `${SESSION_COOKIE}=${token}`;
    },
    createApiKey,
    withKey,
    keyAgent: async (scope) => withKey(await createApiKey(scope)),
    close: async () => {
      await nest.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
