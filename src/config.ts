/**
 * Every setting of the server: its default, the environment variable that overrides it, and validation.
 * Nothing else reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import type { LiveConfig } from './live/live.js';

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
  /** Upper bound, in bytes, of the one upstream cache (every endpoint's answers together). */
  maxBytes: number;
}

/** How the client protects itself and the operator's credits from a failing upstream. */
export interface ResilienceConfig {
  /** Deadline of a whole GraphQL operation's upstream work. */
  operationTimeoutMs: number;
  /** Retries of a refunded failure (5xx, connection reset); never of 4xx or of our own timeout. */
  maxRetries: number;
  /** First backoff; each retry doubles it, with full jitter. */
  retryBaseMs: number;
  /** Share of calls that may be retries (a retry budget, so retries never multiply an outage). */
  retryBudgetRatio: number;
  /** Most upstream calls in flight at once. */
  maxConcurrency: number;
  /** Most upstream calls waiting behind the concurrency cap; past it a call fails at once. */
  maxQueue: number;
  /** Largest upstream body read. */
  maxBodyBytes: number;
  /** Calls of an endpoint within the breaker's window before its failure rate can open the circuit. */
  breakerMinCalls: number;
  /** Distinct resources (paths) that must have failed within the window to open the circuit. */
  breakerMinResources: number;
  /** Share of the window's calls, in percent, that must be service failures to open the circuit. */
  breakerErrorPercent: number;
  /** The breaker's rolling window. */
  breakerWindowMs: number;
  /** How long an open circuit fails fast before letting one probe through. */
  breakerCooldownMs: number;
  /** How long a failure tied to one resource (a platform_error, a malformed body) is remembered for it. */
  resourceFailureTtlMs: number;
  /** How long a 402, 401 or 403 stops all upstream calls. */
  accountCooldownMs: number;
  /** How long past its lifetime a cached copy may still answer when the upstream fails. */
  staleGraceMs: number;
}

/** Limits on what a client may ask, enforced before any upstream call. */
export interface LimitsConfig {
  /** Most upstream calls (credits) one operation may cause, estimated before execution. */
  maxCreditsPerOperation: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Largest request body accepted. */
  maxBodyBytes: number;
  introspection: boolean;
  /** Client keys accepted in `Authorization: Bearer …`; empty: no client authentication. */
  clientKeys: string[];
  /** Operations per minute per client (key, or address without keys); 0: no rate limit. */
  rateLimitPerMinute: number;
  /** Upstream credits one client (key, or address without keys) may spend in any minute; 0: no budget. */
  clientCreditsPerMinute: number;
  /** Upstream credits all clients together may spend in any hour; 0: no ceiling. */
  accountCreditsPerHour: number;
  /** The forwarded header that names the client's address (set by a proxy we trust); undefined: the socket's address. */
  trustProxy: string | undefined;
  /** Largest response, in bytes, an operation may build; past it the answer is refused. */
  maxResponseBytes: number;
  /** Bearer token `/metrics` requires; without one, `/metrics` is closed whenever client keys are configured. */
  metricsToken: string | undefined;
  /** Queries automatic persisted queries remember by hash (0 turns APQ off). */
  apqMaxEntries: number;
  /** Bytes of query text automatic persisted queries remember, all entries together. */
  apqMaxBytes: number;
  /** Origins whose pages may call the API (CORS); `['*']`: any origin, without credentials. */
  corsOrigins: string[];
}

/** Redis, shared by replicas (caches, in-flight calls, pauses, budgets); undefined: each process alone. */
export interface RedisConfig {
  url: string;
  /** Deadline of one Redis command; past it the replica goes on without Redis for that step. */
  timeoutMs: number;
  /** Prefix of every key and channel (replicas of one deployment share it). */
  keyPrefix: string;
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
  resilience: ResilienceConfig;
  limits: LimitsConfig;
  /** Entries of the response cache in front of execution (0 turns it off). */
  responseCacheMaxEntries: number;
  /** Bytes of answers the response cache holds, all entries together (an answer may be up to `maxResponseBytes`). */
  responseCacheMaxBytes: number;
  /** A persisted-documents manifest: when set, only its operations run (trusted-documents mode). */
  trustedDocumentsPath: string | undefined;
  /** Time given to in-flight operations after SIGTERM. */
  shutdownGraceMs: number;
  /** Node's inbound timeouts against slow clients. */
  headersTimeoutMs: number;
  redis: RedisConfig | undefined;
  requestTimeoutMs: number;
  /** Live subscriptions: poll interval, credit cap, subscriptions per client (LIVE_* variables). */
  live: LiveConfig;
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

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

/** Forwarded headers whose address `TRUST_PROXY` may name. */
export const FORWARDED_HEADERS = ['x-forwarded-for', 'x-real-ip', 'cf-connecting-ip', 'true-client-ip', 'fly-client-ip'] as const;

function trustedHeader(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '' || raw === 'false') return undefined;
  const header = raw.trim().toLowerCase();
  if (!(FORWARDED_HEADERS as readonly string[]).includes(header)) {
    throw new Error(`TRUST_PROXY must name one of ${FORWARDED_HEADERS.join(', ')} (got "${raw.slice(0, 40)}")`);
  }
  return header;
}

/**
 * `CORS_ORIGINS`: unset or `*` lets any page call the API (it is public, read-only and uses no
 * cookies, so a page gains nothing a server of its own would not have); otherwise exact origins.
 */
function corsOrigins(raw: string | undefined): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length === 0 || origins.includes('*')) return ['*'];
  for (const origin of origins) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {}
    if (parsed !== origin) throw new Error(`CORS_ORIGINS must list origins such as https://app.example.com (got "${origin.slice(0, 80)}")`);
  }
  return origins;
}

function redisConfig(env: Env): RedisConfig | undefined {
  const url = env.REDIS_URL || undefined;
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('REDIS_URL must be a URL such as redis://127.0.0.1:6379/0');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('REDIS_URL must start with redis:// or rediss://');
  return { url, timeoutMs: integer(env, 'REDIS_TIMEOUT_MS', 100, 1), keyPrefix: env.REDIS_KEY_PREFIX || 'tiktok-graph:' };
}

export const DEFAULT_CACHE: CacheConfig = {
  profileTtlMs: 10 * 60_000,
  storyPageTtlMs: 2 * 60_000,
  audioTtlMs: 60 * 60_000,
  notFoundTtlMs: 60_000,
  maxBytes: 48 * 1024 * 1024,
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
      maxBytes: integer(env, 'CACHE_MAX_BYTES', DEFAULT_CACHE.maxBytes, 1024),
    },
    cursorSecret: env.CURSOR_SECRET || randomBytes(32).toString('hex'),
    maxListLength: integer(env, 'MAX_LIST_LENGTH', 50, 1),
    storyLookupMaxPages: integer(env, 'STORY_LOOKUP_MAX_PAGES', 3, 1),
    sandboxLatencyMs: integer(env, 'SANDBOX_LATENCY_MS', 0),
    port: integer(env, 'PORT', 4000),
    production: env.NODE_ENV === 'production',
    resilience: {
      operationTimeoutMs: integer(env, 'OPERATION_TIMEOUT_MS', 15_000, 1),
      maxRetries: integer(env, 'UPSTREAM_MAX_RETRIES', 2),
      retryBaseMs: integer(env, 'UPSTREAM_RETRY_BASE_MS', 100, 1),
      retryBudgetRatio: integer(env, 'UPSTREAM_RETRY_BUDGET_PERCENT', 10) / 100,
      maxConcurrency: integer(env, 'UPSTREAM_MAX_CONCURRENCY', 32, 1),
      maxQueue: integer(env, 'UPSTREAM_MAX_QUEUE', 256),
      maxBodyBytes: integer(env, 'UPSTREAM_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024),
      breakerMinCalls: integer(env, 'BREAKER_MIN_CALLS', 20, 1),
      breakerMinResources: integer(env, 'BREAKER_MIN_RESOURCES', 5, 1),
      breakerErrorPercent: integer(env, 'BREAKER_ERROR_PERCENT', 50, 1),
      breakerWindowMs: integer(env, 'BREAKER_WINDOW_MS', 10_000, 1),
      breakerCooldownMs: integer(env, 'BREAKER_COOLDOWN_MS', 10_000, 1),
      resourceFailureTtlMs: integer(env, 'RESOURCE_FAILURE_TTL_MS', 30_000),
      accountCooldownMs: integer(env, 'ACCOUNT_COOLDOWN_MS', 60_000, 1),
      staleGraceMs: integer(env, 'CACHE_STALE_GRACE_MS', 60 * 60_000),
    },
    limits: {
      maxCreditsPerOperation: integer(env, 'MAX_CREDITS_PER_OPERATION', 100, 1),
      maxDepth: integer(env, 'MAX_DEPTH', 12, 1),
      maxAliases: integer(env, 'MAX_ALIASES', 30, 1),
      maxDirectives: integer(env, 'MAX_DIRECTIVES', 20, 1),
      maxTokens: integer(env, 'MAX_TOKENS', 2_000, 1),
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 64 * 1024, 1024),
      introspection: flag(env, 'INTROSPECTION', true),
      clientKeys: (env.CLIENT_API_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 0),
      clientCreditsPerMinute: integer(env, 'CLIENT_CREDITS_PER_MINUTE', 300),
      accountCreditsPerHour: integer(env, 'ACCOUNT_CREDITS_PER_HOUR', 0),
      trustProxy: trustedHeader(env.TRUST_PROXY),
      maxResponseBytes: integer(env, 'MAX_RESPONSE_BYTES', 2 * 1024 * 1024, 1024),
      metricsToken: env.METRICS_TOKEN || undefined,
      apqMaxEntries: integer(env, 'APQ_MAX_ENTRIES', 1_000),
      apqMaxBytes: integer(env, 'APQ_MAX_BYTES', 4 * 1024 * 1024, 1024),
      corsOrigins: corsOrigins(env.CORS_ORIGINS),
    },
    responseCacheMaxEntries: integer(env, 'RESPONSE_CACHE_MAX_ENTRIES', 1_000),
    responseCacheMaxBytes: integer(env, 'RESPONSE_CACHE_MAX_BYTES', 16 * 1024 * 1024, 1024),
    trustedDocumentsPath: env.TRUSTED_DOCUMENTS || undefined,
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000),
    headersTimeoutMs: integer(env, 'HEADERS_TIMEOUT_MS', 10_000, 1),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1),
    redis: redisConfig(env),
    live: {
      pollIntervalMs: integer(env, 'LIVE_POLL_INTERVAL_MS', 60_000, 100),
      maxCreditsPerHour: integer(env, 'LIVE_MAX_CREDITS_PER_HOUR', 0),
      maxSubscriptionsPerClient: integer(env, 'LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT', 100),
    },
  };
}

/** A configuration for tests and benchmarks: sandbox-shaped defaults, overridable piecemeal. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ CURSOR_SECRET: 'test-secret' }), ...overrides };
}
