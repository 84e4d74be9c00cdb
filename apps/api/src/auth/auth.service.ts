import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/config';
import { Actor, ApiKeyActor, UserActor } from './actor';
import { AuthRepository, User } from './auth.repository';
import { LoginLimiter } from './login-limiter';
import { PasswordHasher } from './password';
import { SESSION_SECRET } from './session-secret';
import { apiKeyHash, newSessionToken, sessionIdFor } from './tokens';

/** Session bookkeeping writes (lastSeenAt, lastUsedAt) happen at most this often per session/key. */
const TOUCH_INTERVAL_MS = 60_000;

export interface LoginResult {
  token: string;
  user: User;
  expiresAt: Date;
}

@Injectable()
export class AuthService {
  private readonly limiter: LoginLimiter;

  constructor(
    private readonly repo: AuthRepository,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SESSION_SECRET) private readonly sessionSecret: string,
  ) {
    this.limiter = new LoginLimiter(clock, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_SECONDS);
  }

  get sessionTtlMs(): number {
    return this.config.SESSION_TTL_HOURS * 3_600_000;
  }

  async login(email: string, password: string, ip: string): Promise<LoginResult> {
    const normalized = email.trim().toLowerCase();
    const wait = this.limiter.retryAfter(normalized, ip);
    if (wait > 0) throw DomainError.rateLimited(wait, 'Too many failed sign-ins; try again later.');

    const user = await this.repo.findUserByEmail(normalized);
    const ok = user
      ? await this.hasher.verify(password, user.passwordHash)
      : await this.hasher.verifyAgainstDummy(password);
    if (!user || !ok || user.disabledAt) {
      this.limiter.recordFailure(normalized, ip);
      throw DomainError.unauthenticated('Email or password is wrong.');
    }
    this.limiter.recordSuccess(normalized, ip);

    const now = this.clock.now();
    await this.repo.deleteExpiredSessions(user.id, now);
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + this.sessionTtlMs);
    await this.repo.createSession({
      id: sessionIdFor(token, this.sessionSecret),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    return { token, user, expiresAt };
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await this.repo.deleteSession(sessionIdFor(token, this.sessionSecret));
  }

  /** The user behind a session cookie; undefined when the token is unknown, expired or the user is disabled. */
  async userFromSession(token: string): Promise<UserActor | undefined> {
    const id = sessionIdFor(token, this.sessionSecret);
    const session = await this.repo.findSession(id);
    if (!session) return undefined;
    const now = this.clock.now();
    if (session.expiresAt.getTime() <= now.getTime()) {
      await this.repo.deleteSession(id);
      return undefined;
    }
    if (session.user.disabledAt) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS)
      await this.repo.touchSession(id, now);
    const { user } = session;
    return {
      type: 'user',
      id: user.id,
      role: user.role,
      workspaceId: user.workspaceId,
      email: user.email,
      sessionId: id,
    };
  }

  /** The API key behind a Bearer token; undefined when unknown or revoked. */
  async apiKeyFromBearer(key: string): Promise<ApiKeyActor | undefined> {
    const found = await this.repo.findApiKeyByHash(apiKeyHash(key));
    if (!found || found.revokedAt) return undefined;
    const now = this.clock.now();
    if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS)
      await this.repo.touchApiKey(found.id, now);
    return { type: 'api_key', id: found.id, scope: found.scope, workspaceId: found.workspaceId };
  }

  async userOf(actor: Actor): Promise<User> {
    if (actor.type !== 'user') throw DomainError.forbidden('Only signed-in users can do this.');
    const user = await this.repo.findUser(actor.workspaceId, actor.id);
    if (!user) throw DomainError.unauthenticated();
    return user;
  }

  /** Changes the caller's own password and signs out their other sessions. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.userOf(actor);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash)))
      throw DomainError.invalid('currentPassword', 'mismatch', 'The current password is wrong.');
    await this.repo.updateUser(user.id, { passwordHash: await this.hasher.hash(newPassword) });
    await this.repo.deleteUserSessions(user.id, actor.type === 'user' ? actor.sessionId : undefined);
  }
}
