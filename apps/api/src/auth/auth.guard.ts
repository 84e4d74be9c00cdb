import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { DomainError } from '../common/domain-error';
import { Actor, KeyScope, Role } from './actor';
import { AuthService } from './auth.service';
import { IS_PUBLIC, KEY_SCOPES_KEY, RequestWithActor, ROLES_KEY, SESSION_COOKIE } from './decorators';

/** The access rule of one route, as read from its decorators. */
export interface RouteAccess {
  public: boolean;
  /** Roles allowed besides admin; empty → admin only. */
  roles: Role[];
  /** API key scopes allowed; empty → no API key. */
  scopes: KeyScope[];
}

/** Pure decision: may `actor` call a route with this access rule? (401 vs 403 is decided by the guard.) */
export function isAllowed(access: RouteAccess, actor: Actor): boolean {
  if (access.public) return true;
  if (actor.type === 'user') return actor.role === 'admin' || access.roles.includes(actor.role);
  return access.scopes.includes(actor.scope);
}

export function routeAccess(
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndOverride']>[1],
): RouteAccess {
  return {
    public: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [],
    scopes: reflector.getAllAndOverride<KeyScope[] | undefined>(KEY_SCOPES_KEY, targets) ?? [],
  };
}

/**
 * Global guard. `Authorization: Bearer <key>` identifies an API key; otherwise the `liftlab_session` cookie
 * identifies a user. No valid credentials → 401; valid but not allowed by the route's rule → 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = routeAccess(this.reflector, [context.getHandler(), context.getClass()]);
    if (access.public) return true;

    const req = context.switchToHttp().getRequest<RequestWithActor>();
    const actor = await this.identify(req, context.switchToHttp().getResponse<Response>());
    req.actor = actor;
    if (!isAllowed(access, actor)) {
      throw DomainError.forbidden(
        actor.type === 'user'
          ? `The ${actor.role} role cannot do this.`
          : `An API key with the ${actor.scope} scope cannot do this.`,
      );
    }
    return true;
  }

  private async identify(req: RequestWithActor, res: Response): Promise<Actor> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match?.[1])
        throw DomainError.unauthenticated('Send the API key as "Authorization: Bearer <key>".');
      const key = await this.auth.apiKeyFromBearer(match[1]);
      if (!key) throw DomainError.unauthenticated('The API key is unknown or revoked.');
      return key;
    }
    const token = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    if (typeof token === 'string' && token.length > 0) {
      const user = await this.auth.userFromSession(token);
      if (user) return user;
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      throw DomainError.unauthenticated('The session has expired; sign in again.');
    }
    throw DomainError.unauthenticated();
  }
}
