/**
 * Automatic persisted queries shared by replicas: a query registered on one runs by its hash on every
 * other. The replica's bounded memory store first, then Redis (what is found there is kept locally).
 * Registered queries expire from Redis after a day unused, and only queries up to 16 KB are shared
 * (with Redis's `maxmemory`, what bounds a client registering many); with Redis failing, a hash unknown locally
 * answers PersistedQueryNotFound and the client sends its query again (one more round trip).
 */
import type { PersistedQueryStore } from '../plugins/use-automatic-persisted-queries.js';
import type { RedisLink } from './connection.js';

const LIFETIME_MS = 24 * 60 * 60_000;
/** Longest query text shared (longer ones are remembered by this replica only), against a client filling Redis. */
export const MAX_SHARED_QUERY_CHARS = 16 * 1024;

export function createSharedPersistedQueryStore(link: RedisLink, local: PersistedQueryStore): PersistedQueryStore {
  const key = (hash: string) => link.key('apq', hash);
  return {
    get(hash) {
      const known = local.get(hash);
      if (known !== undefined) return known;
      return link.guard
        .run('apq_get', () => link.command.getex(key(hash), 'PX', LIFETIME_MS))
        .then(async (query) => {
          if (typeof query !== 'string') return undefined;
          await local.set(hash, query);
          return query;
        });
    },
    async set(hash, query) {
      await local.set(hash, query);
      if (query.length <= MAX_SHARED_QUERY_CHARS) await link.guard.run('apq_set', () => link.command.set(key(hash), query, 'PX', LIFETIME_MS));
    },
  };
}
