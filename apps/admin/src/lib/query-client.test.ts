import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { queryKeys } from '../api/endpoints';
import { createQueryClient } from './query-client';

const user = { id: 'u1', email: 'a@b.c', name: 'A', role: 'marketer' };

describe('createQueryClient', () => {
  it('forgets the signed-in user when any query answers 401', async () => {
    const client = createQueryClient();
    client.setQueryData(queryKeys.me, user);
    await client
      .fetchQuery({
        queryKey: queryKeys.experiments,
        queryFn: () => Promise.reject(new ApiError(401, 'Please sign in', undefined)),
      })
      .catch(() => undefined);
    expect(client.getQueryData(queryKeys.me)).toBeNull();
  });

  it('keeps the user on other failures', async () => {
    const client = createQueryClient();
    client.setQueryData(queryKeys.me, user);
    await client
      .fetchQuery({
        queryKey: queryKeys.experiments,
        queryFn: () => Promise.reject(new ApiError(403, 'Forbidden', undefined)),
      })
      .catch(() => undefined);
    expect(client.getQueryData(queryKeys.me)).toEqual(user);
  });
});
