/**
 * The KonbiniAPI client: the shared LRU cache, shared in-flight calls, retries within a budget,
 * circuit breakers, the account lockout, the concurrency cap and stale-if-error, over one HTTP
 * exchange (http.ts). It never imports `graphql`; `fetch` and the caches are injected, so the sandbox
 * is just another `fetch`.
 */
import type { ResilienceConfig } from '../config.js';
import { type TraceContext, inSpan } from '../spans.js';
import type { CacheEntry, CacheLookup, Endpoint, UpstreamCaches } from './cache.js';
import { isAudioDetails, isProfile, isStoryPage } from './contract.js';
import { UpstreamError, isAccountFailure } from './errors.js';
import { type Exchange, type Fetch, exchange } from './http.js';
import {
  type AccountState,
  AccountGuard,
  type BreakerState,
  RetryBudget,
  backoffMs,
  breakerState,
  circuitOpenError,
  concurrencyLimit,
  createBreakers,
} from './resilience.js';
import { type AudioDetails, FIRST_PAGE, type Profile, STORY_PAGE_SIZE, type StoryPage } from './types.js';

export type { Fetch } from './http.js';

/** What one upstream call reports. */
export interface UpstreamCallEvent extends Exchange {
  endpoint: Endpoint;
  durationMs: number;
}

/** A cached copy served past its lifetime because the upstream failed. */
export interface StaleAnswer {
  endpoint: Endpoint;
  path: string;
  ageMs: number;
  failure: UpstreamError['failure'];
}

/** Hears about calls, cache hits, shared calls and stale answers: the per-operation ledger and the metrics. */
export interface UpstreamObserver {
  call?(event: UpstreamCallEvent): void;
  cacheHit?(endpoint: Endpoint): void;
  cacheMiss?(endpoint: Endpoint): void;
  sharedCall?(endpoint: Endpoint): void;
  retry?(endpoint: Endpoint): void;
  stale?(answer: StaleAnswer): void;
  /** Asked before a new upstream call: false refuses it (the operation's credit budget is spent). */
  mayCall?(endpoint: Endpoint): boolean;
}

/** Per-call options from the operation: who to tell, its deadline, and its trace. */
export interface CallOptions {
  observer?: UpstreamObserver;
  /** When the operation's upstream work must be over (epoch ms). */
  deadlineAt?: number;
  /** The operation's span, parent of the upstream calls' spans (set once execution starts). */
  traceContext?: TraceContext;
}

export interface KonbiniClientOptions {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: Fetch;
  caches: UpstreamCaches;
  timeoutMs: number;
  resilience: ResilienceConfig;
  /** Process-wide observer (metrics). */
  observer?: UpstreamObserver;
}

interface Resource {
  endpoint: Endpoint;
  path: string;
  isValid: (data: unknown) => boolean;
}

/** Canonical form of a username: no `@`, lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().replace(/^@/, '').toLowerCase();
}

/** Failures a stale copy may cover for (not a 404: the thing is gone; not a 400: the request is wrong). */
const STALE_COVERS = new Set<UpstreamError['failure']>(['unavailable', 'timeout', 'bad_response', 'credits_exhausted', 'auth_failed']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KonbiniClient {
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private readonly budget: RetryBudget;
  private readonly account: AccountGuard;
  private readonly breakers: ReturnType<typeof createBreakers>;
  private readonly limit: ReturnType<typeof concurrencyLimit>;
  /** The account's balance as of the newest upstream answer; null before the first. */
  creditsRemaining: number | null = null;

  constructor(private readonly options: KonbiniClientOptions) {
    const { resilience } = options;
    this.budget = new RetryBudget(resilience.retryBudgetRatio);
    this.account = new AccountGuard(resilience.accountCooldownMs);
    this.breakers = createBreakers(resilience);
    this.limit = concurrencyLimit(resilience.maxConcurrency);
  }

  /** GET /v1/tiktok/users/{username}. */
  getUser(username: string, options?: CallOptions): Promise<Profile> {
    const path = `/v1/tiktok/users/${encodeURIComponent(normalizeUsername(username))}`;
    return this.get({ endpoint: 'user', path, isValid: isProfile }, options) as Promise<Profile>;
  }

  /** GET /v1/tiktok/users/{username}/stories, always a full page, starting at `pageCursor`. */
  getStoryPage(username: string, pageCursor: string, options?: CallOptions): Promise<StoryPage> {
    const query = new URLSearchParams({ count: String(STORY_PAGE_SIZE) });
    if (pageCursor !== FIRST_PAGE) query.set('cursor', pageCursor);
    const path = `/v1/tiktok/users/${encodeURIComponent(normalizeUsername(username))}/stories?${query}`;
    return this.get({ endpoint: 'stories', path, isValid: isStoryPage }, options) as Promise<StoryPage>;
  }

  /** GET /v1/tiktok/audios/{audioId}. */
  getAudio(audioId: string, options?: CallOptions): Promise<AudioDetails> {
    const path = `/v1/tiktok/audios/${encodeURIComponent(audioId)}`;
    return this.get({ endpoint: 'audio', path, isValid: isAudioDetails }, options) as Promise<AudioDetails>;
  }

  /** Whether the account is usable and how each endpoint's circuit stands (for /readyz). */
  health(): { account: AccountState; circuits: Record<Endpoint, BreakerState> } {
    const circuits = Object.fromEntries(Object.entries(this.breakers).map(([e, b]) => [e, breakerState(b)])) as Record<Endpoint, BreakerState>;
    return { account: this.account.state(), circuits };
  }

  /**
   * A free reachability check: an unknown route answers 404 route_not_found, which KonbiniAPI does
   * not bill, after checking the key. Resolves to the failure, or undefined when all is well.
   */
  async probe(): Promise<UpstreamError | undefined> {
    const blocked = this.account.blocked();
    if (blocked) return blocked;
    try {
      const entry = await exchange(this.http(), 'user', '/v1/tiktok/readiness-probe', () => false, () => undefined);
      if (!entry.ok && entry.error.upstreamCode === 'route_not_found') return undefined;
      return new UpstreamError('bad_response', 'KonbiniAPI answered the readiness probe unexpectedly');
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      if (isAccountFailure(error)) this.account.lockOut(error);
      return error;
    }
  }

  private async get(resource: Resource, options: CallOptions = {}): Promise<unknown> {
    const { endpoint, path } = resource;
    const observers = [this.options.observer, options.observer];
    const cached = this.options.caches.get(endpoint, path);
    if (cached?.fresh) {
      observers.forEach((o) => o?.cacheHit?.(endpoint));
      return unwrap(cached.entry);
    }
    observers.forEach((o) => o?.cacheMiss?.(endpoint));
    try {
      return unwrap(await withDeadline(this.shared(resource, observers, options), options.deadlineAt));
    } catch (error) {
      return this.staleOr(error, cached, resource, observers);
    }
  }

  /** Joins an identical call in flight, or starts one (if the operation's budget allows it). */
  private shared(resource: Resource, observers: (UpstreamObserver | undefined)[], options: CallOptions): Promise<CacheEntry> {
    const pending = this.inflight.get(resource.path);
    if (pending) {
      observers.forEach((o) => o?.sharedCall?.(resource.endpoint));
      return pending;
    }
    if (options.observer?.mayCall && !options.observer.mayCall(resource.endpoint)) {
      return Promise.reject(new UpstreamError('budget_exceeded', 'The operation used every upstream call its estimate allowed'));
    }
    const call = this.callWithRetries(resource, observers, options).finally(() => this.inflight.delete(resource.path));
    this.inflight.set(resource.path, call);
    return call;
  }

  private async callWithRetries(resource: Resource, observers: (UpstreamObserver | undefined)[], options: CallOptions): Promise<CacheEntry> {
    const trace = options.traceContext;
    const { endpoint, path, isValid } = resource;
    const blocked = this.account.blocked();
    if (blocked) throw blocked;
    this.budget.recordCall();
    const breaker = this.breakers[endpoint];
    for (let attempt = 0; ; attempt++) {
      try {
        if (breaker.opened) throw circuitOpenError(endpoint);
        const entry = (await inSpan(`konbini GET ${endpoint}`, trace, { 'url.path': path, 'konbini.attempt': attempt }, (span) =>
          breaker.fire(() =>
            this.limit(() => {
              const started = performance.now();
              return exchange(this.http(), endpoint, path, isValid, (e) => {
                span.setAttributes({ 'http.response.status_code': String(e.status), 'konbini.credits_used': e.creditsUsed });
                this.report(endpoint, e, observers, started);
              });
            }),
          ),
        )) as CacheEntry;
        this.options.caches.set(endpoint, path, entry);
        return entry;
      } catch (caught) {
        const error = caught instanceof UpstreamError ? caught : circuitOpenError(endpoint);
        if (isAccountFailure(error)) this.account.lockOut(error);
        const delay = backoffMs(attempt, this.options.resilience.retryBaseMs);
        // Retry only what can still be answered within the operation's deadline.
        const inTime = options.deadlineAt === undefined || Date.now() + delay < options.deadlineAt;
        if (!error.retryable || attempt >= this.options.resilience.maxRetries || !inTime || !this.budget.tryRetry()) throw error;
        observers.forEach((o) => o?.retry?.(endpoint));
        await sleep(delay);
      }
    }
  }

  private staleOr(error: unknown, cached: CacheLookup | undefined, resource: Resource, observers: (UpstreamObserver | undefined)[]): unknown {
    if (!(error instanceof UpstreamError) || !cached?.entry.ok || !STALE_COVERS.has(error.failure)) throw error;
    const answer: StaleAnswer = { endpoint: resource.endpoint, path: resource.path, ageMs: Math.round(cached.ageMs), failure: error.failure };
    observers.forEach((o) => o?.stale?.(answer));
    return cached.entry.value;
  }

  private report(endpoint: Endpoint, exchange: Exchange, observers: (UpstreamObserver | undefined)[], started: number): void {
    if (exchange.creditsRemaining !== null) this.creditsRemaining = exchange.creditsRemaining;
    const event: UpstreamCallEvent = { ...exchange, endpoint, durationMs: performance.now() - started };
    observers.forEach((o) => o?.call?.(event));
  }

  private http() {
    const { baseUrl, apiKey, fetch, timeoutMs, resilience } = this.options;
    return { baseUrl, apiKey, fetch, timeoutMs, maxBodyBytes: resilience.maxBodyBytes };
  }
}

function unwrap(entry: CacheEntry): unknown {
  if (!entry.ok) throw entry.error;
  return entry.value;
}

/** Rejects with UPSTREAM_TIMEOUT once the operation's deadline passes (the shared call goes on for others). */
function withDeadline<T>(promise: Promise<T>, deadlineAt: number | undefined): Promise<T> {
  if (deadlineAt === undefined) return promise;
  const expired = () => new UpstreamError('timeout', 'The operation’s upstream deadline passed');
  const remaining = deadlineAt - Date.now();
  if (remaining <= 0) return Promise.reject(expired());
  // A timer only for lookups that reach the upstream: cache hits never get here.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), remaining);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
