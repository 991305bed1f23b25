/**
 * The cross-request cache under the per-operation loaders: one size-bounded LRU per upstream resource,
 * each with its own time to live. 404s are billed by KonbiniAPI, so they are cached too, briefly.
 */
import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../config.js';
import type { UpstreamError } from './errors.js';

export type Endpoint = 'user' | 'stories' | 'audio';
export const ENDPOINTS: readonly Endpoint[] = ['user', 'stories', 'audio'];

export type CacheEntry = { ok: true; value: unknown; bytes: number } | { ok: false; error: UpstreamError; bytes: number };

/** Per-entry bookkeeping on top of the body: key, LRU links, timers. */
const ENTRY_OVERHEAD_BYTES = 256;

export interface UpstreamCaches {
  get(endpoint: Endpoint, key: string): CacheEntry | undefined;
  set(endpoint: Endpoint, key: string, entry: CacheEntry): void;
  /** Bytes held by each cache, as counted against its bound. */
  sizes(): Record<Endpoint, number>;
  clear(): void;
}

/** Creates the three caches with the configured bounds and lifetimes; `now` is injectable for tests. */
export function createUpstreamCaches(config: CacheConfig, now: () => number = () => performance.now()): UpstreamCaches {
  const ttl: Record<Endpoint, number> = {
    user: config.profileTtlMs,
    stories: config.storyPageTtlMs,
    audio: config.audioTtlMs,
  };
  const caches = Object.fromEntries(
    ENDPOINTS.map((endpoint) => [
      endpoint,
      new LRUCache<string, CacheEntry>({
        maxSize: config.maxBytesPerCache,
        maxEntrySize: Math.max(1, Math.floor(config.maxBytesPerCache / 4)),
        sizeCalculation: (entry, key) => entry.bytes + key.length * 2 + ENTRY_OVERHEAD_BYTES,
        ttl: Math.max(ttl[endpoint], 1),
        perf: { now },
        // Read the clock on every lookup rather than once per millisecond timer (lifetimes are seconds).
        ttlResolution: 0,
      }),
    ]),
  ) as Record<Endpoint, LRUCache<string, CacheEntry>>;

  return {
    get: (endpoint, key) => caches[endpoint].get(key),
    set(endpoint, key, entry) {
      const lifetime = entry.ok ? ttl[endpoint] : config.notFoundTtlMs;
      if (lifetime > 0) caches[endpoint].set(key, entry, { ttl: lifetime });
    },
    sizes: () =>
      Object.fromEntries(ENDPOINTS.map((e) => [e, caches[e].calculatedSize])) as Record<Endpoint, number>,
    clear: () => ENDPOINTS.forEach((e) => caches[e].clear()),
  };
}
