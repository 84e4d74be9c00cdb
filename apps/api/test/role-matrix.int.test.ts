import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_SCOPES, ROLES, type KeyScope, type Role } from '../src/auth/actor';
import type { User } from '../src/auth/auth.repository';
import { ACCESS_TABLE, PLANNED_ROUTES, type Access } from './access-table';
import { createTestApp, type TestApp } from './app';
import { registeredRoutes, routeKey, type RegisteredRoute } from './routes';

type Caller = { kind: 'anonymous' } | { kind: 'role'; role: Role } | { kind: 'key'; scope: KeyScope };

const CALLERS: Caller[] = [
  { kind: 'anonymous' },
  ...ROLES.map((role) => ({ kind: 'role' as const, role })),
  ...KEY_SCOPES.map((scope) => ({ kind: 'key' as const, scope })),
];

function label(c: Caller): string {
  return c.kind === 'anonymous' ? 'anonymous' : c.kind === 'role' ? c.role : `${c.scope} key`;
}

/** 'allowed' | 401 | 403 as the table says. */
function expected(access: Access, caller: Caller): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (caller.kind === 'anonymous') return 401;
  if (caller.kind === 'role')
    return caller.role === 'admin' || access.roles.includes(caller.role) ? 'allowed' : 403;
  return access.scopes.includes(caller.scope) ? 'allowed' : 403;
}

describe('role matrix: every route × every role and key scope', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  const users = new Map<Role, User>();
  const keys = new Map<KeyScope, string>();

  beforeAll(async () => {
    t = await createTestApp();
    routes = registeredRoutes(t.app);
    users.set('admin', t.admin.user);
    for (const role of ROLES) if (role !== 'admin') users.set(role, (await t.createUser(role)).user);
    for (const scope of KEY_SCOPES) keys.set(scope, await t.createApiKey(scope));
  });
  afterAll(() => t.close());

  it('the access table lists exactly the routes the router serves', () => {
    const served = routes.map(routeKey);
    const listed = Object.keys(ACCESS_TABLE);
    expect(
      served.filter((k) => !listed.includes(k)),
      'routes missing from test/access-table.ts',
    ).toEqual([]);
    expect(
      listed.filter((k) => !served.includes(k) && !PLANNED_ROUTES.has(k)),
      'entries in test/access-table.ts with no route',
    ).toEqual([]);
  });

  // One request per route × caller: grows with the API, so it gets more time than a unit test.
  it('each caller gets what the table says (allowed, 401 or 403)', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const access = ACCESS_TABLE[routeKey(route)];
      if (!access) continue; // reported by the test above
      const path = route.path.replace(/:[A-Za-z0-9_]+/g, () => randomUUID());
      for (const caller of CALLERS) {
        let req = t.anonymous()[route.method.toLowerCase() as 'get'](path);
        if (caller.kind === 'role')
          req = req.set('Cookie', await t.sessionCookie(users.get(caller.role) as User));
        if (caller.kind === 'key') req = req.set('Authorization', `Bearer ${keys.get(caller.scope) ?? ''}`);
        if (['POST', 'PUT', 'PATCH'].includes(route.method)) req = req.send({});
        const res = await req;
        const want = expected(access, caller);
        const ok =
          want === 'allowed'
            ? res.status !== 401 && res.status !== 403 && res.status < 500
            : res.status === want;
        if (!ok)
          mismatches.push(`${routeKey(route)} as ${label(caller)}: expected ${want}, got ${res.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 240_000);

  it('covers the documented rules for a few routes explicitly', () => {
    // Guards against an access table edited into agreement with a wrong guard.
    expect(expected(ACCESS_TABLE['GET /v1/users'] as Access, { kind: 'role', role: 'marketer' })).toBe(403);
    expect(
      expected(ACCESS_TABLE['POST /v1/experiments'] as Access, { kind: 'role', role: 'executive' }),
    ).toBe(403);
    expect(
      expected(ACCESS_TABLE['GET /v1/experiments/:id/exposures'] as Access, { kind: 'key', scope: 'ingest' }),
    ).toBe(403);
    expect(expected(ACCESS_TABLE['POST /v1/assign'] as Access, { kind: 'key', scope: 'read' })).toBe(403);
    expect(expected(ACCESS_TABLE['GET /health'] as Access, { kind: 'anonymous' })).toBe('allowed');
  });
});
