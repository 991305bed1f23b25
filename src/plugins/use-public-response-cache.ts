/**
 * A response cache in front of execution, for the hot path: the same operation with the same
 * variables is answered from memory for as long as the shortest lifetime of the types in its answer
 * (the same lifetimes as the upstream caches), without resolvers or loaders. TikTok data is public,
 * so answers are shared between clients. Answers with errors, dry runs and refusals are not cached;
 * `extensions.upstream` is recomputed for every response (a cached answer costs nothing).
 */
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { AppConfig } from '../config.js';
import { DRY_RUN_HEADER } from './use-credit-budget.js';

export function usePublicResponseCache(config: AppConfig): Plugin {
  const { cache } = config;
  return useResponseCache({
    session: () => null,
    cache: createInMemoryCache({ max: config.responseCacheMaxEntries }),
    enabled: (request: Request) => request.headers.get(DRY_RUN_HEADER) !== 'true',
    ttl: Math.min(cache.profileTtlMs, cache.storyPageTtlMs, cache.audioTtlMs),
    ttlPerSchemaCoordinate: {
      User: cache.profileTtlMs,
      Story: cache.storyPageTtlMs,
      StoryConnection: cache.storyPageTtlMs,
      Audio: cache.audioTtlMs,
    },
    includeExtensionMetadata: false,
  }) as Plugin;
}
