/**
 * The cross-request cache under the per-operation loaders: one LRU bounded in bytes for every
 * endpoint, each entry with its endpoint's lifetime. 404s are billed by KonbiniAPI, so they are
 * cached too, briefly; so are failures of one resource (a 502 platform_error, a billed 2xx with a
 * broken body), apart from the bodies, so that a stale copy can still cover for them.
 */
import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../config.js';
import { ENDPOINTS, type Endpoint, type OperationId, endpointOf, policyOf } from './endpoints.js';
import type { UpstreamError } from './errors.js';

/** An answer: a body (`marked` when contract.ts repaired it: its objects carry violation marks), or a billed 404. */
export type CacheEntry = { ok: true; value: unknown; bytes: number; marked?: true } | { ok: false; error: UpstreamError; bytes: number };

/** A cached entry and whether it is still within its lifetime (past it, it may only answer when the upstream fails). */
export interface CacheLookup {
  entry: CacheEntry;
  fresh: boolean;
  ageMs: number;
}

interface Stored {
  endpoint: Endpoint;
  entry: CacheEntry;
  storedAt: number;
  freshUntil: number;
  size: number;
}

/** Per-entry bookkeeping on top of the body: key, LRU links, timers. */
const ENTRY_OVERHEAD_BYTES = 256;
/** Resources whose failure is remembered at once (the oldest are forgotten first). */
const MAX_REMEMBERED_FAILURES = 10_000;

/** How long an answer is fresh, and kept (fresh, then stale for stale-if-error), from now. */
export interface Remaining {
  freshMs: number;
  keepMs: number;
  /** Age of the answer now (0 for one just received). */
  ageMs: number;
}

/** The lifetime of a new answer of `operation`: its endpoint's, a 404's, and the stale grace where allowed. */
export function lifetimeOf(config: CacheConfig, staleGraceMs: number, operation: OperationId, entry: CacheEntry): Remaining {
  const policy = policyOf(operation);
  const freshMs = entry.ok ? policy.ttlMs(config) : (policy.notFoundTtlMs ?? config.notFoundTtlMs);
  return { freshMs, keepMs: entry.ok && policy.staleIfError ? freshMs + staleGraceMs : freshMs, ageMs: 0 };
}

export interface UpstreamCaches {
  /** The entry of the request `key` (its path and query) of `operation`. */
  get(operation: OperationId, key: string): CacheLookup | undefined;
  /** Stores an answer for its endpoint's lifetime, or, for a copy read elsewhere, for what is left of it. */
  set(operation: OperationId, key: string, entry: CacheEntry, left?: Remaining): void;
  /** The remembered failure of one resource, while it lasts. */
  failure(key: string): UpstreamError | undefined;
  /** Remembers a failure tied to one resource for `ttlMs`: its next lookups answer it without a call. */
  rememberFailure(key: string, error: UpstreamError, ttlMs: number): void;
  /** Bytes held for each endpoint, as counted against the one bound. */
  sizes(): Record<Endpoint, number>;
  clear(): void;
}

/**
 * Creates the cache with the configured bound. Bodies are kept `staleGraceMs` past their lifetime,
 * for stale-if-error, where their endpoint allows it; 404s are not. `now` is injectable for tests.
 */
export function createUpstreamCaches(config: CacheConfig, staleGraceMs = 0, now: () => number = () => performance.now()): UpstreamCaches {
  const sizes = Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<Endpoint, number>;
  const cache = new LRUCache<string, Stored>({
    maxSize: config.maxBytes,
    maxEntrySize: Math.max(1, Math.floor(config.maxBytes / 4)),
    sizeCalculation: (stored) => stored.size,
    ttl: 1,
    perf: { now },
    // Read the clock on every lookup rather than once per millisecond timer (lifetimes are seconds).
    ttlResolution: 0,
    dispose: (stored) => {
      sizes[stored.endpoint] -= stored.size;
    },
  });
  const failures = new LRUCache<string, UpstreamError>({ max: MAX_REMEMBERED_FAILURES, ttl: 1, perf: { now }, ttlResolution: 0 });

  return {
    get(_operation, key) {
      const stored = cache.get(key);
      if (!stored) return undefined;
      const at = now();
      return { entry: stored.entry, fresh: at < stored.freshUntil, ageMs: at - stored.storedAt };
    },
    set(operation, key, entry, left = lifetimeOf(config, staleGraceMs, operation, entry)) {
      if (left.keepMs <= 0 || (left.freshMs <= 0 && left.ageMs === 0)) return;
      const size = entry.bytes + key.length * 2 + ENTRY_OVERHEAD_BYTES;
      if (size > config.maxBytes / 4) return;
      const at = now();
      const endpoint = endpointOf(operation);
      cache.set(key, { endpoint, entry, storedAt: at - left.ageMs, freshUntil: at + left.freshMs, size }, { ttl: left.keepMs });
      sizes[endpoint] += size;
    },
    // A lookup that found no fresh body: one map read, no timer.
    failure: (key) => (failures.size === 0 ? undefined : failures.get(key)),
    rememberFailure(key, error, ttlMs) {
      if (ttlMs > 0) failures.set(key, error, { ttl: ttlMs });
    },
    sizes: () => ({ ...sizes }),
    clear: () => {
      cache.clear();
      failures.clear();
    },
  };
}
