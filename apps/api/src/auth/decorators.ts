import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, KeyScope, Role, ROLES } from './actor';

/**
 * Access rules (enforced by AuthGuard, registered globally):
 * - `@Public()`: no authentication at all.
 * - `@Roles(...)`: signed-in users with one of these roles. Admin is always allowed.
 * - `@KeyScopes(...)`: API keys with one of these scopes. Without it, API keys get 403.
 * - neither `@Roles` nor `@Public`: admin users only.
 * Put them on a controller class or a handler; the handler wins.
 */
export const IS_PUBLIC = 'liftlab:public';
export const ROLES_KEY = 'liftlab:roles';
export const KEY_SCOPES_KEY = 'liftlab:key-scopes';

export const SESSION_COOKIE = 'liftlab_session';

/** Every role, for endpoints any signed-in user may call (e.g. GET /v1/auth/me). */
export const ALL_ROLES: readonly Role[] = ROLES;

export function Public(): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-liftlab-access', { public: true }));
}

export function Roles(...roles: Role[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiCookieAuth(SESSION_COOKIE),
    ApiExtension('x-liftlab-roles', [...new Set<Role>(['admin', ...roles])]),
  );
}

export function KeyScopes(...scopes: KeyScope[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(KEY_SCOPES_KEY, scopes),
    ApiBearerAuth('apiKey'),
    ApiExtension('x-liftlab-key-scopes', scopes),
  );
}

export type RequestWithActor = Request & { actor?: Actor };

/**
 * The caller, as `{ type: 'user', id, role, workspaceId, email } | { type: 'api_key', id, scope, workspaceId }`.
 * Undefined only on `@Public()` routes.
 */
export const CurrentActor = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Actor | undefined => {
    return ctx.switchToHttp().getRequest<RequestWithActor>().actor;
  },
);
