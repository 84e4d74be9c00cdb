import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/client';
import { queryKeys } from '../api/endpoints';
import { shouldRetry } from './retry';

/**
 * The app's query client. A 401 on any query means the session ended mid-visit (expired, signed out elsewhere,
 * disabled by an admin): the cached user is forgotten so the route guard sends the visitor to the login page.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isApiError(error) && error.status === 401 && query.queryKey[0] !== queryKeys.me[0]) {
          client.setQueryData(queryKeys.me, null);
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
  return client;
}
