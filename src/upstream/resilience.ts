/**
 * What keeps a sick upstream from taking the server (and the credits) with it: a retry budget,
 * a circuit breaker per endpoint, an account-level lockout after 402/401/403, and a concurrency cap.
 */
import CircuitBreaker from 'opossum';
import pLimit from 'p-limit';
import type { ResilienceConfig } from '../config.js';
import { ENDPOINTS, type Endpoint } from './cache.js';
import { UpstreamError, isUpstreamFault } from './errors.js';

/**
 * Retries may be at most a share of calls: each call earns `ratio` of a token, each retry spends one,
 * so during an outage retries stop multiplying the load once the small reserve is gone.
 */
export class RetryBudget {
  private tokens: number;
  constructor(
    private readonly ratio: number,
    private readonly reserve = 10,
  ) {
    this.tokens = reserve;
  }

  recordCall(): void {
    this.tokens = Math.min(this.reserve, this.tokens + this.ratio);
  }

  tryRetry(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface AccountState {
  usable: boolean;
  /** The failure that locked the account out, while it lasts. */
  failure?: UpstreamError['failure'];
  retryInMs?: number;
}

/** After a 402, 401 or 403 every call would fail the same way: stop calling for a while. */
export class AccountGuard {
  private lock?: { error: UpstreamError; until: number };
  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The error to answer with at once while locked out. */
  blocked(): UpstreamError | undefined {
    if (this.lock && this.now() >= this.lock.until) this.lock = undefined;
    return this.lock?.error;
  }

  lockOut(error: UpstreamError): void {
    this.lock = { error, until: this.now() + this.cooldownMs };
  }

  unlock(): void {
    this.lock = undefined;
  }

  state(): AccountState {
    const error = this.blocked();
    return error ? { usable: false, failure: error.failure, retryInMs: this.lock!.until - this.now() } : { usable: true };
  }
}

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** One breaker per endpoint; only upstream faults (5xx, timeouts, malformed bodies) count against it. */
export function createBreakers(config: ResilienceConfig): Record<Endpoint, CircuitBreaker<[() => Promise<unknown>], unknown>> {
  const breaker = () =>
    new CircuitBreaker((action: () => Promise<unknown>) => action(), {
      timeout: false,
      resetTimeout: config.breakerCooldownMs,
      errorThresholdPercentage: 50,
      volumeThreshold: config.breakerThreshold,
      rollingCountTimeout: 10_000,
      enableSnapshots: false,
      errorFilter: (error: unknown) => !(error instanceof UpstreamError && isUpstreamFault(error)),
    });
  return Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, breaker()])) as Record<
    Endpoint,
    CircuitBreaker<[() => Promise<unknown>], unknown>
  >;
}

export const breakerState = (breaker: CircuitBreaker): BreakerState =>
  breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed';

/** The error an open circuit answers with. */
export const circuitOpenError = (endpoint: Endpoint) =>
  new UpstreamError('unavailable', `KonbiniAPI ${endpoint} calls are failing: pausing them for a moment (circuit open)`);

export const concurrencyLimit = (max: number) => pLimit(max);

/** Full-jitter exponential backoff. */
export const backoffMs = (attempt: number, baseMs: number) => Math.random() * baseMs * 2 ** attempt;
