import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { Role } from '../../../core/vocabulary.js';
import { api, ApiError, call, onUnauthorized, setCsrfToken, type Ok } from './api.js';

// Who is signed in. GET /api/auth/me answers the user and the CSRF token; a 401 anywhere ends
// the session in the interface too.

export type SessionUser = Ok<Awaited<ReturnType<typeof api.auth.me.$get>>>['user'];

interface SessionState {
  user: SessionUser | null;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  can: (...roles: Role[]) => boolean;
}

const SessionContext = createContext<SessionState | null>(null);
const ME = ['auth', 'me'] as const;

/** Drops every cached answer but the session's own (whose observer the app keeps). */
function forgetData(qc: ReturnType<typeof useQueryClient>): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
}

async function fetchMe(): Promise<SessionUser | null> {
  try {
    const s = await call(api.auth.me.$get());
    setCsrfToken(s.csrfToken);
    return s.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const me = useQuery({ queryKey: ME, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
  useEffect(
    () =>
      onUnauthorized(() => {
        if (qc.getQueryData(ME)) {
          forgetData(qc);
          qc.setQueryData(ME, null);
        }
      }),
    [qc],
  );
  const signIn = useCallback(
    async (username: string, password: string) => {
      const s = await call(api.auth.login.$post({ json: { username, password } }));
      setCsrfToken(s.csrfToken);
      forgetData(qc);
      qc.setQueryData(ME, s.user);
    },
    [qc],
  );
  const signOut = useCallback(async () => {
    try {
      await call(api.auth.logout.$post());
    } finally {
      setCsrfToken('');
      forgetData(qc);
      qc.setQueryData(ME, null);
    }
  }, [qc]);
  const user = me.data ?? null;
  const can = useCallback((...roles: Role[]) => user !== null && roles.includes(user.role), [user]);
  const value = useMemo(() => ({ user, loading: me.isPending, signIn, signOut, can }), [user, me.isPending, signIn, signOut, can]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user (screens behind the sign-in gate only). */
export function useUser(): SessionUser {
  const { user } = useSession();
  if (!user) throw new Error('useUser without a signed-in user');
  return user;
}
