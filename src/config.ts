/**
 * Every setting of the server: its default, the environment variable that overrides it, and validation.
 * Nothing else reads `process.env`.
 */
import { randomBytes } from 'node:crypto';

export const PRODUCTION_UPSTREAM = 'https://api.konbiniapi.com';
/** Where the embedded sandbox pretends to live, and the key the server sends it. */
export const SANDBOX_UPSTREAM = 'https://sandbox.konbiniapi.local';
export const SANDBOX_API_KEY = 'knbn_sandbox';

export interface CacheConfig {
  /** Time to live of a cached profile. */
  profileTtlMs: number;
  /** Time to live of a cached page of stories. */
  storyPageTtlMs: number;
  /** Time to live of cached audio details. */
  audioTtlMs: number;
  /** Time to live of a cached 404 (a 404 is billed, so it is worth remembering briefly). */
  notFoundTtlMs: number;
  /** Upper bound, in bytes, of each cache (profiles, story pages, audio). */
  maxBytesPerCache: number;
}

export interface AppConfig {
  /** `sandbox` when no upstream was configured: the built-in KonbiniAPI look-alike answers. */
  mode: 'sandbox' | 'upstream';
  upstreamBaseUrl: string;
  apiKey: string | undefined;
  /** Deadline of one upstream call. */
  upstreamTimeoutMs: number;
  cache: CacheConfig;
  /** Secret that signs pagination cursors so that tampered or foreign cursors are refused. */
  cursorSecret: string;
  /** Longest `usernames`/`ids` list accepted by a single field. */
  maxListLength: number;
  /** How many upstream pages `node(id:)` scans to find a story. */
  storyLookupMaxPages: number;
  /** Injected latency of the embedded sandbox, in milliseconds (demos, benchmarks). */
  sandboxLatencyMs: number;
  port: number;
  production: boolean;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

export const DEFAULT_CACHE: CacheConfig = {
  profileTtlMs: 10 * 60_000,
  storyPageTtlMs: 2 * 60_000,
  audioTtlMs: 60 * 60_000,
  notFoundTtlMs: 60_000,
  maxBytesPerCache: 32 * 1024 * 1024,
};

/** Reads the configuration from environment variables (see the README for the list). */
export function loadConfig(env: Env = process.env): AppConfig {
  const apiKey = env.KONBINI_API_KEY || undefined;
  const baseUrl = env.KONBINI_BASE_URL || undefined;
  if (apiKey !== undefined && !apiKey.startsWith('knbn_')) {
    throw new Error('KONBINI_API_KEY must start with "knbn_"');
  }
  const mode = apiKey === undefined && baseUrl === undefined ? 'sandbox' : 'upstream';
  return {
    mode,
    upstreamBaseUrl: mode === 'sandbox' ? SANDBOX_UPSTREAM : (baseUrl ?? PRODUCTION_UPSTREAM).replace(/\/+$/, ''),
    apiKey: mode === 'sandbox' ? SANDBOX_API_KEY : apiKey,
    upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1),
    cache: {
      profileTtlMs: integer(env, 'CACHE_PROFILE_TTL_MS', DEFAULT_CACHE.profileTtlMs),
      storyPageTtlMs: integer(env, 'CACHE_STORY_PAGE_TTL_MS', DEFAULT_CACHE.storyPageTtlMs),
      audioTtlMs: integer(env, 'CACHE_AUDIO_TTL_MS', DEFAULT_CACHE.audioTtlMs),
      notFoundTtlMs: integer(env, 'CACHE_NOT_FOUND_TTL_MS', DEFAULT_CACHE.notFoundTtlMs),
      maxBytesPerCache: integer(env, 'CACHE_MAX_BYTES', DEFAULT_CACHE.maxBytesPerCache, 1024),
    },
    cursorSecret: env.CURSOR_SECRET || randomBytes(32).toString('hex'),
    maxListLength: integer(env, 'MAX_LIST_LENGTH', 50, 1),
    storyLookupMaxPages: integer(env, 'STORY_LOOKUP_MAX_PAGES', 3, 1),
    sandboxLatencyMs: integer(env, 'SANDBOX_LATENCY_MS', 0),
    port: integer(env, 'PORT', 4000),
    production: env.NODE_ENV === 'production',
  };
}

/** A configuration for tests and benchmarks: sandbox-shaped defaults, overridable piecemeal. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ CURSOR_SECRET: 'test-secret' }), ...overrides };
}
