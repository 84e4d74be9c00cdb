import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { api, queryKeys } from '../api/endpoints';
import { isApiError } from '../api/client';
import type { Role, User } from '../api/types';
import { can, type Capability } from './permissions';

interface Session {
  user: User | null;
  loading: boolean;
  role: Role | null;
  signIn(email: string, password: string): Promise<User>;
  signOut(): Promise<void>;
  can(capability: Capability): boolean;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Cached data belonged to the previous visitor (or nobody) and their role; it must not leak into the new session.
 * The `me` query stays: its observer is the session itself, and removing it would detach the observer.
 */
function forgetEverythingButMe(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
}

/** Reads the current user from GET /v1/auth/me; a 401 simply means nobody is signed in. */
async function fetchMe(): Promise<User | null> {
  try {
    return await api.me();
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 60_000, retry: false });
  const user = me.data ?? null;

  const signIn = useCallback(
    async (email: string, password: string) => {
      const res = await api.login(email, password);
      queryClient.setQueryData(queryKeys.me, res.user);
      forgetEverythingButMe(queryClient);
      return res.user;
    },
    [queryClient],
  );

  const logout = useMutation({ mutationFn: api.logout });
  const signOut = useCallback(async () => {
    try {
      await logout.mutateAsync();
    } finally {
      queryClient.setQueryData(queryKeys.me, null);
      forgetEverythingButMe(queryClient);
    }
  }, [logout, queryClient]);

  const value = useMemo<Session>(
    () => ({
      user,
      loading: me.isPending,
      role: user?.role ?? null,
      signIn,
      signOut,
      can: (capability) => can(user?.role, capability),
    }),
    [user, me.isPending, signIn, signOut],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

/** Pages a role cannot use explain why instead of failing on the first request. */
export function RequireCapability({ capability, children }: { capability: Capability; children: ReactNode }) {
  const session = useSession();
  if (!session.can(capability)) {
    return (
      <section className="page">
        <h1>Not available for your role</h1>
        <p>Your role ({session.role ?? 'none'}) cannot open this page. Ask an admin if you need access.</p>
      </section>
    );
  }
  return <>{children}</>;
}
