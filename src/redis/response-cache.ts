/**
 * The response cache shared by replicas: each replica's in-memory cache first (a hit there costs no
 * Redis call), then Redis, whose answer is kept locally for what is left of its lifetime. Answers are
 * stored alone, with their lifetime: `@envelop/response-cache-redis` also keeps, for invalidation by
 * mutations, a set of answers per type name, unprefixed and never expiring; this graph has no
 * mutations, so those sets would only grow. Redis failing costs a miss, never an answer.
 */
import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { createLocalResponseCache } from '../plugins/use-public-response-cache.js';
import type { RedisLink } from './connection.js';

/**
 * Largest answer written to Redis (its JSON text). A client can make answers that cost no credit (new
 * aliases over cached data); this bound, the answers' lifetimes and Redis's own `maxmemory` keep what
 * it can make Redis hold in check. Larger answers stay in the replica's memory only.
 */
export const MAX_SHARED_RESPONSE_CHARS = 256 * 1024;

/** `bounds`: of the replica's own copy, as without Redis (entries and bytes). */
export function createSharedResponseCache(link: RedisLink, bounds: { maxEntries: number; maxBytes: number }): Cache {
  const local = createLocalResponseCache(bounds);
  const key = (id: string) => link.key('response', id);
  return {
    get(id) {
      const known = local.get(id);
      if (known) return known;
      return link.guard
        .run('response_get', () => link.command.multi().get(key(id)).pttl(key(id)).exec())
        .then((replies) => {
          const text = replies?.[0]?.[1];
          const left = replies?.[1]?.[1];
          if (typeof text !== 'string' || typeof left !== 'number' || left <= 0) return undefined;
          const result = JSON.parse(text) as ExecutionResult;
          void local.set(id, result, [], left);
          return result;
        });
    },
    set(id, data, entities, ttl) {
      void local.set(id, data, entities, ttl);
      if (!(ttl > 0 && Number.isFinite(ttl))) return;
      const text = JSON.stringify(data);
      if (text.length <= MAX_SHARED_RESPONSE_CHARS) void link.guard.run('response_set', () => link.command.set(key(id), text, 'PX', ttl));
    },
    invalidate(entities) {
      return local.invalidate(entities);
    },
  };
}
