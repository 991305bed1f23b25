/**
 * A response cache in front of execution, for the hot path: the same operation with the same
 * variables is answered from memory for as long as the shortest lifetime of the types in its answer
 * (the same lifetimes as the upstream caches), without resolvers or loaders. TikTok data is public,
 * so answers are shared between clients. Answers with errors, dry runs and refusals are not cached;
 * `extensions.upstream` is recomputed for every response (a cached answer costs nothing).
 */
import { createHash } from 'node:crypto';
import { type BuildResponseCacheKeyFunction, type Cache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { AppConfig, CacheConfig } from '../config.js';
import { type OperationId, policyOf } from '../upstream/endpoints.js';
import { DRY_RUN_HEADER } from './use-credit-budget.js';

/**
 * The cache key (also the answer's ETag): a SHA-256 of the operation, its name and its variables,
 * hashed synchronously and remembered for the operations seen most recently. The plugin's default
 * hashes every request through WebCrypto, whose asynchronous job costs more than a hit saves (a
 * twelfth of the server's CPU on the hot path, measured). A remembered operation is its whole text
 * (up to the body limit), so they are bounded in bytes too.
 */
export const RECENT_KEYS_MAX_BYTES = 2 * 1024 * 1024;
const recentKeys = new LRUCache<string, string>({
  max: 1_000,
  maxSize: RECENT_KEYS_MAX_BYTES,
  // UTF-16 code units of the operation and of its key, and the bookkeeping: a bound, not an exact count.
  sizeCalculation: (key, operation) => 2 * (operation.length + key.length) + 64,
});
/** Bytes the remembered keys are counted at (tests). */
export const recentKeysBytes = () => recentKeys.calculatedSize;
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

/** Per-answer bookkeeping on top of its JSON: the key, the LRU's links and its lifetime. */
const ANSWER_OVERHEAD_BYTES = 256;

/**
 * This process's response cache: least recently used out, bounded by entries and by bytes (an answer
 * counted as twice its JSON text, as the upstream cache counts bodies). Bounded by entries alone, a
 * thousand answers of up to `MAX_RESPONSE_BYTES` each could hold gigabytes. An answer over a quarter of
 * the bound is not kept. The graph has no mutations, so nothing invalidates by entity; should anything
 * invalidate, everything goes.
 */
export function createLocalResponseCache({ maxEntries, maxBytes }: { maxEntries: number; maxBytes: number }): Cache & { bytes(): number } {
  const answers = new LRUCache<string, ExecutionResult>({ max: maxEntries, maxSize: maxBytes, maxEntrySize: Math.max(1, Math.floor(maxBytes / 4)) });
  return {
    get: (id) => answers.get(id),
    set(id, result, _entities, ttl) {
      const size = 2 * (JSON.stringify(result).length + id.length) + ANSWER_OVERHEAD_BYTES;
      answers.set(id, result, { ttl, size });
    },
    invalidate: () => answers.clear(),
    bytes: () => answers.calculatedSize,
  };
}

/** `cache`: the replicas' shared cache (src/redis); by default this process's memory. */
export function usePublicResponseCache(
  config: AppConfig,
  cache: Cache = createLocalResponseCache({ maxEntries: config.responseCacheMaxEntries, maxBytes: config.responseCacheMaxBytes }),
): Plugin {
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
