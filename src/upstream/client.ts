/**
 * The KonbiniAPI client: the shared LRU cache, remembered failures of single resources, shared
 * in-flight calls, retries within a budget, circuit breakers, the account lockout, the concurrency cap
 * and its bounded queue, and stale-if-error, over one HTTP exchange (http.ts). A call that no operation
 * waits for any more is not started. It never imports `graphql`; `fetch` and the caches are injected,
 * so the sandbox is just another `fetch`.
 */
import type { ResilienceConfig } from '../config.js';
import { type TraceContext, inSpan } from '../spans.js';
import type { Permit } from './breaker.js';
import type { CacheEntry, CacheLookup, UpstreamCaches } from './cache.js';
import type { UpstreamCluster } from './cluster.js';
import { bodyOf, checkBody } from './contract.js';
import { type Endpoint, type OperationId, type OperationParams, endpointOf, policyOf, requestPath } from './endpoints.js';
import { LocalRefusal, UpstreamError, isAccountFailure, isServiceFault } from './errors.js';
import { type Exchange, type Fetch, exchange } from './http.js';
import {
  type AccountState,
  AccountGuard,
  type BreakerState,
  ConcurrencyLimit,
  RetryBudget,
  abandonedError,
  backoffMs,
  breakerState,
  circuitOpenError,
  createBreakers,
} from './resilience.js';
import type { OkData } from './types.js';

export type { Fetch } from './http.js';
export { normalizeUsername } from './endpoints.js';

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

/**
 * Why a lookup was answered with a failure and no call: a local refusal (full queue, open circuit,
 * nobody waiting), the account lockout, or a failure of that resource remembered from a recent call.
 */
export type RefusalReason = LocalRefusal | 'account_paused' | 'resource_failure';

/** Hears about calls, cache hits, shared calls and stale answers: the per-operation ledger and the metrics. */
export interface UpstreamObserver {
  call?(event: UpstreamCallEvent): void;
  cacheHit?(endpoint: Endpoint): void;
  cacheMiss?(endpoint: Endpoint): void;
  sharedCall?(endpoint: Endpoint): void;
  retry?(endpoint: Endpoint): void;
  stale?(answer: StaleAnswer): void;
  /** A 200 body broke the contract and was repaired (see contract.ts): the JSON pointers of what broke. */
  violation?(endpoint: Endpoint, violations: string[]): void;
  /** A lookup or attempt failed without an upstream call. */
  refused?(endpoint: Endpoint, reason: RefusalReason): void;
  /** Asked before a new upstream call: false refuses it (the operation's credit budget is spent). */
  mayCall?(endpoint: Endpoint): boolean;
}

/** Per-call options from the operation: who to tell, its deadline, whether it has answered, and its trace. */
export interface CallOptions {
  observer?: UpstreamObserver;
  /** When the operation's upstream work must be over (epoch ms). */
  deadlineAt?: number;
  /** Set once the operation has answered: calls that only it waits for are not started any more. */
  done?: boolean;
  /** The operation's span, parent of the upstream calls' spans (set once execution starts). */
  traceContext?: TraceContext;
  /** Accept a cached copy only when younger than this (a live poll wants news, yet shares recent answers). */
  maxAgeMs?: number;
}

/** Whether the operation behind `options` still waits for answers at `now`: not answered, not past its deadline. */
export function isLive(options: CallOptions, now = Date.now()): boolean {
  return !options.done && (options.deadlineAt === undefined || now < options.deadlineAt);
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
  /** Other replicas to share answers, calls in flight, the lockout and circuits with (Redis); none alone. */
  cluster?: UpstreamCluster;
}

/** How the client stands, for /readyz. */
export interface ClientHealth {
  account: AccountState;
  circuits: Record<Endpoint, BreakerState>;
  /** Upstream calls running now, and waiting behind the concurrency cap. */
  calls: { running: number; queued: number };
}

interface Resource {
  operation: OperationId;
  endpoint: Endpoint;
  path: string;
}

/** One upstream call in flight, and every lookup waiting for it. */
interface InflightCall {
  promise: Promise<CacheEntry>;
  /** It goes on (queued, or to a retry) only while one of these operations is live. */
  waiters: CallOptions[];
}

type Observers = (UpstreamObserver | undefined)[];

/** Failures a stale copy may cover for (not a 404: the thing is gone; not a 400: the request is wrong). */
const STALE_COVERS = new Set<UpstreamError['failure']>(['unavailable', 'timeout', 'bad_response', 'credits_exhausted', 'auth_failed']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether one of the waiters is live at `at`; forgets the others. */
function someLive(call: InflightCall, at = Date.now()): boolean {
  if (call.waiters.length > 1) call.waiters = call.waiters.filter((w) => isLive(w, at));
  return call.waiters.length > 0 && isLive(call.waiters[0]!, at);
}

export class KonbiniClient {
  private readonly inflight = new Map<string, InflightCall>();
  private readonly budget: RetryBudget;
  private readonly account: AccountGuard;
  private readonly breakers: ReturnType<typeof createBreakers>;
  private readonly limit: ConcurrencyLimit;
  /** The account's balance as of the newest upstream answer; null before the first. */
  creditsRemaining: number | null = null;

  constructor(private readonly options: KonbiniClientOptions) {
    const { resilience } = options;
    this.budget = new RetryBudget(resilience.retryBudgetRatio);
    this.account = new AccountGuard(resilience.accountCooldownMs);
    this.breakers = createBreakers(resilience);
    this.limit = new ConcurrencyLimit(resilience.maxConcurrency, resilience.maxQueue);
    options.cluster?.join({
      lockOut: (error, forMs) => this.account.lockOut(error, forMs),
      openCircuit: (endpoint) => this.breakers[endpoint].trip(),
    });
  }

  /**
   * One upstream operation (a list always asks its largest page, from `params.cursor`): the `data` of
   * its 200 body, checked against the contract, or an UpstreamError.
   */
  call<Op extends OperationId>(operation: Op, params: OperationParams, options?: CallOptions): Promise<OkData<Op>> {
    return this.callPath(operation, requestPath(operation, params), options);
  }

  /** As `call`, for a request already in its canonical form (`requestPath`), so that it is built once. */
  callPath<Op extends OperationId>(operation: Op, path: string, options?: CallOptions): Promise<OkData<Op>> {
    return this.get({ operation, endpoint: endpointOf(operation), path }, options) as Promise<OkData<Op>>;
  }

  /** Whether the account is usable, how each endpoint's circuit stands, and the calls under way (for /readyz). */
  health(): ClientHealth {
    const circuits = Object.fromEntries(Object.entries(this.breakers).map(([e, b]) => [e, breakerState(b)])) as Record<Endpoint, BreakerState>;
    return { account: this.account.state(), circuits, calls: { running: this.limit.activeCount, queued: this.limit.pendingCount } };
  }

  /**
   * A free reachability check: an unknown route answers 404 route_not_found, which KonbiniAPI does
   * not bill, after checking the key. Resolves to the failure, or undefined when all is well.
   */
  async probe(): Promise<UpstreamError | undefined> {
    const blocked = this.account.blocked();
    if (blocked) return blocked;
    try {
      const entry = await exchange(
        this.http(),
        'user',
        '/v1/tiktok/readiness-probe',
        () => ({ data: undefined, violations: [] }),
        () => undefined,
      );
      if (!entry.ok && entry.error.upstreamCode === 'route_not_found') return undefined;
      return new UpstreamError('bad_response', 'KonbiniAPI answered the readiness probe unexpectedly');
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      if (isAccountFailure(error)) this.lockOut(error);
      return error;
    }
  }

  private async get(resource: Resource, options: CallOptions = {}): Promise<unknown> {
    const { endpoint, path, operation } = resource;
    const observers = [this.options.observer, options.observer];
    const cached = this.options.caches.get(operation, path);
    if (cached?.fresh && (options.maxAgeMs === undefined || cached.ageMs < options.maxAgeMs)) {
      observers.forEach((o) => o?.cacheHit?.(endpoint));
      return unwrap(cached.entry);
    }
    const remembered = this.options.caches.failure(path);
    if (remembered) {
      observers.forEach((o) => o?.refused?.(endpoint, 'resource_failure'));
      return this.staleOr(remembered, cached, resource, observers);
    }
    observers.forEach((o) => o?.cacheMiss?.(endpoint));
    try {
      if (!isLive(options)) throw expired();
      return unwrap(await withDeadline(this.shared(resource, observers, options), options.deadlineAt));
    } catch (error) {
      // Another replica's stale copy may have been kept meanwhile.
      return this.staleOr(error, cached ?? this.options.caches.get(operation, path), resource, observers);
    }
  }

  /** Joins an identical call in flight, or starts one (if the operation's budget allows it). */
  private shared(resource: Resource, observers: Observers, options: CallOptions): Promise<CacheEntry> {
    const pending = this.inflight.get(resource.path);
    if (pending) {
      observers.forEach((o) => o?.sharedCall?.(resource.endpoint));
      pending.waiters.push(options);
      return pending.promise;
    }
    if (options.observer?.mayCall && !options.observer.mayCall(resource.endpoint)) {
      return Promise.reject(new UpstreamError('budget_exceeded', 'The operation used every upstream call its estimate allowed'));
    }
    const call = { waiters: [options] } as InflightCall;
    call.promise = this.load(resource, observers, options, call).finally(() => this.inflight.delete(resource.path));
    this.inflight.set(resource.path, call);
    return call.promise;
  }

  /** The call, made here or, with other replicas, by whichever replica calls for this resource first. */
  private async load(resource: Resource, observers: Observers, options: CallOptions, call: InflightCall): Promise<CacheEntry> {
    const own = () => this.callWithRetries(resource, observers, options.traceContext, call);
    const { cluster, caches } = this.options;
    if (!cluster) return own();
    const { operation, path } = resource;
    const answer = await cluster.load(operation, path, own, options, (entry, left) => caches.set(operation, path, entry, left));
    if (answer.left) caches.set(operation, path, answer.entry, answer.left);
    return answer.entry;
  }

  private async callWithRetries(resource: Resource, observers: Observers, trace: TraceContext | undefined, call: InflightCall): Promise<CacheEntry> {
    const { endpoint, path, operation } = resource;
    const { maxRetries, retryBaseMs, resourceFailureTtlMs } = this.options.resilience;
    for (let attempt = 0; ; attempt++) {
      try {
        const entry = await this.attempt(resource, observers, trace, call, attempt);
        this.options.caches.set(operation, path, entry);
        return entry;
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        const delay = backoffMs(attempt, retryBaseMs);
        // Retry only what an operation still waits for after the backoff.
        const retry = error.retryable && attempt < maxRetries && someLive(call, Date.now() + delay) && this.budget.tryRetry();
        if (!retry) {
          // Asked again at once, this resource would fail again (and a billed 2xx be billed again).
          if (error.ofResource) this.options.caches.rememberFailure(path, error, resourceFailureTtlMs);
          throw error;
        }
        observers.forEach((o) => o?.retry?.(endpoint));
        await sleep(delay);
      }
    }
  }

  /**
   * One attempt: not started when nobody waits for it (checked now and again when it leaves the
   * queue), while the account is locked out, or while the circuit is open; then one exchange, whose
   * outcome feeds the circuit.
   */
  private async attempt(resource: Resource, observers: Observers, trace: TraceContext | undefined, call: InflightCall, attempt: number): Promise<CacheEntry> {
    const { endpoint, path, operation } = resource;
    const refuse = (reason: RefusalReason, error: UpstreamError) => {
      observers.forEach((o) => o?.refused?.(endpoint, reason));
      return error;
    };
    if (!someLive(call)) throw refuse(LocalRefusal.ABANDONED, abandonedError());
    const blocked = this.account.blocked();
    if (blocked) throw refuse('account_paused', blocked);
    const breaker = this.breakers[endpoint];
    const permit = breaker.acquire();
    if (!permit) throw refuse(LocalRefusal.CIRCUIT_OPEN, circuitOpenError(endpoint));
    let sent = false;
    try {
      const entry = await inSpan(`konbini GET ${endpoint}`, trace, { 'url.path': path, 'konbini.attempt': attempt }, (span) =>
        this.limit.run(
          () => {
            // Another call may have locked the account out while this one waited.
            const lockedOut = this.account.blocked();
            if (lockedOut) return Promise.reject(lockedOut);
            sent = true;
            // Calls made, not calls refused, earn retries.
            if (attempt === 0) this.budget.recordCall();
            const started = performance.now();
            const check = (text: string, contentType: string) => {
              const checked = checkBody(operation, bodyOf(operation, path, text, contentType));
              if (checked.violations.length > 0) observers.forEach((o) => o?.violation?.(endpoint, checked.violations));
              return checked;
            };
            return exchange(this.http(), endpoint, path, check, (e) => {
              span.setAttributes({ 'http.response.status_code': String(e.status), 'konbini.credits_used': e.creditsUsed });
              this.report(endpoint, e, observers, started);
            });
          },
          () => someLive(call),
        ),
      );
      breaker.answered(permit);
      return entry;
    } catch (error) {
      this.settle(permit, error, sent, path, endpoint, observers);
      throw error;
    }
  }

  /** Feeds a failed attempt to the circuit and the account guard, or reports why it was never sent. */
  private settle(permit: Permit, error: unknown, sent: boolean, path: string, endpoint: Endpoint, observers: Observers): void {
    const breaker = this.breakers[endpoint];
    if (!sent || !(error instanceof UpstreamError)) {
      breaker.release(permit);
      if (!sent && error instanceof UpstreamError) {
        const local = error.upstreamCode === LocalRefusal.QUEUE_FULL || error.upstreamCode === LocalRefusal.ABANDONED;
        observers.forEach((o) => o?.refused?.(endpoint, local ? (error.upstreamCode as LocalRefusal) : 'account_paused'));
      }
      return;
    }
    if (isServiceFault(error)) {
      if (breaker.failed(permit, path)) this.options.cluster?.circuitOpened(endpoint);
      return;
    }
    // The upstream answered: about the request, the resource or the account, not about its own health.
    breaker.answered(permit);
    if (isAccountFailure(error)) this.lockOut(error);
  }

  /** Stops every call for the account's cooldown, here and on the other replicas. */
  private lockOut(error: UpstreamError): void {
    this.account.lockOut(error);
    this.options.cluster?.accountLockedOut(error, this.options.resilience.accountCooldownMs);
  }

  private staleOr(error: unknown, cached: CacheLookup | undefined, resource: Resource, observers: Observers): unknown {
    if (!(error instanceof UpstreamError) || !cached?.entry.ok || !STALE_COVERS.has(error.failure)) throw error;
    if (!policyOf(resource.operation).staleIfError) throw error;
    const answer: StaleAnswer = { endpoint: resource.endpoint, path: resource.path, ageMs: Math.round(cached.ageMs), failure: error.failure };
    observers.forEach((o) => o?.stale?.(answer));
    return cached.entry.value;
  }

  private report(endpoint: Endpoint, exchange: Exchange, observers: Observers, started: number): void {
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

const expired = () => new UpstreamError('timeout', 'The operation’s upstream deadline passed');

/** Rejects with UPSTREAM_TIMEOUT once the operation's deadline passes (the shared call goes on for others). */
function withDeadline<T>(promise: Promise<T>, deadlineAt: number | undefined): Promise<T> {
  if (deadlineAt === undefined) return promise;
  const remaining = deadlineAt - Date.now();
  if (remaining <= 0) return Promise.reject(expired());
  // A timer only for lookups that reach the upstream: cache hits never get here.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), remaining);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
