/**
 * A response cache in front of execution, for the hot path: the same operation with the same
 * variables is answered from memory for as long as the shortest lifetime of the types in its answer
 * (the same lifetimes as the upstream caches), without resolvers or loaders. TikTok data is public,
 * so answers are shared between clients. Answers with errors, dry runs and refusals are not cached;
 * `extensions.upstream` is recomputed for every response (a cached answer costs nothing).
 */
import { createHash } from 'node:crypto';
import { type BuildResponseCacheKeyFunction, type Cache, createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { AppConfig, CacheConfig } from '../config.js';
import { type OperationId, policyOf } from '../upstream/endpoints.js';
import { DRY_RUN_HEADER } from './use-credit-budget.js';

/**
 * The cache key (also the answer's ETag): a SHA-256 of the operation, its name and its variables,
 * hashed synchronously and remembered for the operations seen most recently. The plugin's default
 * hashes every request through WebCrypto, whose asynchronous job costs more than a hit saves (a
 * twelfth of the server's CPU on the hot path, measured).
 */
const recentKeys = new LRUCache<string, string>({ max: 1_000 });
export const responseCacheKey: BuildResponseCacheKeyFunction = ({ documentString, operationName, variableValues }) => {
  const operation = `${documentString}\0${operationName ?? ''}\0${JSON.stringify(variableValues ?? {})}`;
  let key = recentKeys.get(operation);
  if (key === undefined) {
    key = createHash('sha256').update(operation).digest('hex');
    recentKeys.set(operation, key);
  }
  return key;
};

/**
 * How long an answer holding each type (or field) may be served again: the lifetime of the upstream
 * answers it comes from (src/upstream/endpoints.ts), the shortest where several lists share a type.
 * Download URLs expire and live state moves, so fields that read them keep their own short lifetimes.
 */
export function responseLifetimes(cache: CacheConfig): Record<string, number> {
  const ttl = (...operations: OperationId[]) => Math.min(...operations.map((op) => policyOf(op).ttlMs(cache)));
  const videoLists: OperationId[] = [
    'tiktokGetUserVideos',
    'tiktokGetUserLikes',
    'tiktokGetUserReposts',
    'tiktokGetTagVideos',
    'tiktokGetCollectionVideos',
    'tiktokGetAudioVideos',
    'tiktokSearchVideos',
  ];
  return {
    User: ttl('tiktokGetUser'),
    Story: ttl('tiktokGetUserStories'),
    StoryConnection: ttl('tiktokGetUserStories'),
    Audio: ttl('tiktokGetAudio'),
    Video: ttl('tiktokGetVideo', ...videoLists),
    VideoConnection: ttl(...videoLists),
    Comment: ttl('tiktokGetVideoComments', 'tiktokGetCommentReplies'),
    CommentConnection: ttl('tiktokGetVideoComments', 'tiktokGetCommentReplies'),
    Collection: ttl('tiktokGetUserCollections'),
    CollectionConnection: ttl('tiktokGetUserCollections'),
    UserConnection: ttl('tiktokGetUserFollowers', 'tiktokGetUserFollowing', 'tiktokSearchUsers'),
    SearchResultConnection: ttl('tiktokSearchContent'),
    LiveStream: ttl('tiktokGetUserLive'),
    'User.liveStream': ttl('tiktokGetUserLive'),
    Transcript: ttl('tiktokGetVideoTranscript'),
    'Video.transcript': ttl('tiktokGetVideoTranscript'),
    'Video.downloadUrl': ttl('tiktokGetVideoDownloadUrl'),
  };
}

/** `cache`: the replicas' shared cache (src/redis); by default this process's memory. */
export function usePublicResponseCache(config: AppConfig, cache: Cache = createInMemoryCache({ max: config.responseCacheMaxEntries })): Plugin {
  const lifetimes = responseLifetimes(config.cache);
  return useResponseCache({
    session: () => null,
    buildResponseCacheKey: responseCacheKey,
    cache,
    enabled: (request: Request) => request.headers.get(DRY_RUN_HEADER) !== 'true',
    // An answer holding none of the types above (only a hashtag's name, say) lives as long as the shortest.
    ttl: Math.min(...Object.values(lifetimes)),
    ttlPerSchemaCoordinate: lifetimes,
    includeExtensionMetadata: false,
  }) as Plugin;
}
