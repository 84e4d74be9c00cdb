/** Who is calling: a signed-in user (session cookie) or an API key (Bearer). Set on the request by AuthGuard. */
export const ROLES = ['admin', 'marketer', 'lifecycle', 'executive'] as const;
export type Role = (typeof ROLES)[number];

export const KEY_SCOPES = ['ingest', 'read'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface UserActor {
  type: 'user';
  id: string;
  role: Role;
  workspaceId: string;
  email: string;
  sessionId: string;
}

export interface ApiKeyActor {
  type: 'api_key';
  id: string;
  scope: KeyScope;
  workspaceId: string;
}

export type Actor = UserActor | ApiKeyActor;

/** Actor for audit entries written by the system itself (seed, first run, scheduled jobs). */
export interface SystemActor {
  type: 'system';
  id: string;
  workspaceId: string;
}

export function actorLabel(actor: Actor | SystemActor): string {
  if (actor.type === 'user') return `user:${actor.email}`;
  return `${actor.type}:${actor.id}`;
}
