/**
 * The cross-request cache under the per-operation loaders: one size-bounded LRU per upstream resource,
 * each with its own time to live. 404s are billed by KonbiniAPI, so they are cached too, briefly; so
 * are failures of one resource (a 502 platform_error, a billed 2xx with a broken body), apart from the
 * bodies, so that a stale copy can still cover for them.
 */
import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../config.js';
import type { UpstreamError } from './errors.js';

export type Endpoint = 'user' | 'stories' | 'audio';
export const ENDPOINTS: readonly Endpoint[] = ['user', 'stories', 'audio'];

export type CacheEntry = { ok: true; value: unknown; bytes: number } | { ok: false; error: UpstreamError; bytes: number };

/** A cached entry and whether it is still within its lifetime (past it, it may only answer when the upstream fails). */
export interface CacheLookup {
  entry: CacheEntry;
  fresh: boolean;
  ageMs: number;
}

interface Stored {
  entry: CacheEntry;
  storedAt: number;
  freshUntil: number;
}

/** Per-entry bookkeeping on top of the body: key, LRU links, timers. */
const ENTRY_OVERHEAD_BYTES = 256;
/** Resources whose failure is remembered at once (the oldest are forgotten first). */
const MAX_REMEMBERED_FAILURES = 10_000;

export interface UpstreamCaches {
  get(endpoint: Endpoint, key: string): CacheLookup | undefined;
  set(endpoint: Endpoint, key: string, entry: CacheEntry): void;
  /** The remembered failure of one resource, while it lasts. */
  failure(endpoint: Endpoint, key: string): UpstreamError | undefined;
  /** Remembers a failure tied to one resource for `ttlMs`: its next lookups answer it without a call. */
  rememberFailure(endpoint: Endpoint, key: string, error: UpstreamError, ttlMs: number): void;
  /** Bytes held by each cache, as counted against its bound. */
  sizes(): Record<Endpoint, number>;
  clear(): void;
}

/**
 * Creates the three caches with the configured bounds and lifetimes. Bodies are kept `staleGraceMs`
 * past their lifetime, for stale-if-error; 404s are not. `now` is injectable for tests.
 */
export function createUpstreamCaches(config: CacheConfig, staleGraceMs = 0, now: () => number = () => performance.now()): UpstreamCaches {
  const ttl: Record<Endpoint, number> = {
    user: config.profileTtlMs,
    stories: config.storyPageTtlMs,
    audio: config.audioTtlMs,
  };
  const caches = Object.fromEntries(
    ENDPOINTS.map((endpoint) => [
      endpoint,
      new LRUCache<string, Stored>({
        maxSize: config.maxBytesPerCache,
        maxEntrySize: Math.max(1, Math.floor(config.maxBytesPerCache / 4)),
        sizeCalculation: (stored, key) => stored.entry.bytes + key.length * 2 + ENTRY_OVERHEAD_BYTES,
        ttl: Math.max(ttl[endpoint], 1),
        perf: { now },
        // Read the clock on every lookup rather than once per millisecond timer (lifetimes are seconds).
        ttlResolution: 0,
      }),
    ]),
  ) as Record<Endpoint, LRUCache<string, Stored>>;
  const failures = new LRUCache<string, UpstreamError>({ max: MAX_REMEMBERED_FAILURES, ttl: 1, perf: { now }, ttlResolution: 0 });
  const failureKey = (endpoint: Endpoint, key: string) => `${endpoint} ${key}`;

  return {
    get(endpoint, key) {
      const stored = caches[endpoint].get(key);
      if (!stored) return undefined;
      const at = now();
      return { entry: stored.entry, fresh: at < stored.freshUntil, ageMs: at - stored.storedAt };
    },
    set(endpoint, key, entry) {
      const lifetime = entry.ok ? ttl[endpoint] : config.notFoundTtlMs;
      if (lifetime <= 0) return;
      const storedAt = now();
      const keep = entry.ok ? lifetime + staleGraceMs : lifetime;
      caches[endpoint].set(key, { entry, storedAt, freshUntil: storedAt + lifetime }, { ttl: keep });
    },
    // A lookup that found no fresh body: one map read, no timer.
    failure: (endpoint, key) => (failures.size === 0 ? undefined : failures.get(failureKey(endpoint, key))),
    rememberFailure(endpoint, key, error, ttlMs) {
      if (ttlMs > 0) failures.set(failureKey(endpoint, key), error, { ttl: ttlMs });
    },
    sizes: () =>
      Object.fromEntries(ENDPOINTS.map((e) => [e, caches[e].calculatedSize])) as Record<Endpoint, number>,
    clear: () => {
      ENDPOINTS.forEach((e) => caches[e].clear());
      failures.clear();
    },
  };
}
