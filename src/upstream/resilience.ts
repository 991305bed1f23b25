/**
 * What keeps a sick upstream from taking the server (and the credits) with it: a retry budget,
 * a circuit breaker per endpoint (breaker.ts), an account-level lockout after 402/401/403, and a
 * concurrency cap with a bounded queue that drops calls nobody waits for any more.
 */
import type { ResilienceConfig } from '../config.js';
import { type BreakerState, CircuitBreaker } from './breaker.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { LocalRefusal, UpstreamError } from './errors.js';

export type { BreakerState } from './breaker.js';

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
  /** KonbiniAPI's own code for it (credits_exhausted, api_key_expired, …). */
  code?: string;
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

  /** Stops calls for the cooldown, or for `forMs` (what is left of a lockout another replica began). */
  lockOut(error: UpstreamError, forMs = this.cooldownMs): void {
    this.lock = { error, until: this.now() + forMs };
  }

  unlock(): void {
    this.lock = undefined;
  }

  state(): AccountState {
    const error = this.blocked();
    if (!error) return { usable: true };
    return { usable: false, failure: error.failure, ...(error.upstreamCode ? { code: error.upstreamCode } : {}), retryInMs: this.lock!.until - this.now() };
  }
}

/** One breaker per endpoint; only service failures spread over several resources open it. */
export function createBreakers(config: ResilienceConfig): Record<Endpoint, CircuitBreaker> {
  const options = {
    minCalls: config.breakerMinCalls,
    minResources: config.breakerMinResources,
    errorPercent: config.breakerErrorPercent,
    windowMs: config.breakerWindowMs,
    cooldownMs: config.breakerCooldownMs,
  };
  return Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, new CircuitBreaker(options)])) as Record<Endpoint, CircuitBreaker>;
}

export const breakerState = (breaker: CircuitBreaker): BreakerState => breaker.state();

/** The error an open circuit answers with. */
export const circuitOpenError = (endpoint: Endpoint) =>
  new UpstreamError('unavailable', `KonbiniAPI ${endpoint} calls are failing: pausing them for a moment (circuit open)`, null, LocalRefusal.CIRCUIT_OPEN);

/** The error a full queue answers with, at once. */
export const queueFullError = () =>
  new UpstreamError('unavailable', 'Too many KonbiniAPI calls are waiting: refusing this one rather than queueing it', null, LocalRefusal.QUEUE_FULL);

/** The error of a call that was not started because nobody waits for it any more. */
export const abandonedError = () =>
  new UpstreamError('timeout', 'Every operation waiting for this KonbiniAPI call has answered or passed its deadline', null, LocalRefusal.ABANDONED);

interface Waiting {
  start: () => void;
  reject: (error: UpstreamError) => void;
  isLive: () => boolean;
}

/**
 * At most `max` tasks run at once; at most `maxQueue` wait. A waiting task nobody needs any more
 * (`isLive()` false) is dropped when it reaches the head of the queue, or when the queue is full.
 */
export class ConcurrencyLimit {
  private active = 0;
  private queue: Waiting[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
  ) {}

  get activeCount(): number {
    return this.active;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** Runs `task` in a free slot, or queues it; rejects at once with `queue_full` when the queue is full. */
  run<T>(task: () => Promise<T>, isLive: () => boolean): Promise<T> {
    if (this.active < this.max) {
      this.active += 1;
      return this.execute(task);
    }
    if (this.queue.length >= this.maxQueue) this.dropDead();
    if (this.queue.length >= this.maxQueue) return Promise.reject(queueFullError());
    // The task runs in a `then` of a promise made here, so it keeps the caller's async context (its trace).
    return new Promise<void>((start, reject) => this.queue.push({ start, reject, isLive })).then(() => this.execute(task));
  }

  private async execute<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      if (this.queue.length === 0) this.active -= 1;
      // The slot passes on after the answer's own waiters have run (their operations may be done with
      // it, and so with the queued calls they asked for); meanwhile it stays taken, so nobody jumps the queue.
      else setImmediate(() => this.handOn());
    }
  }

  private handOn(): void {
    this.active -= 1;
    this.next();
  }

  private next(): void {
    while (this.active < this.max && this.queue.length > 0) {
      const waiting = this.queue.shift()!;
      if (!waiting.isLive()) {
        waiting.reject(abandonedError());
        continue;
      }
      this.active += 1;
      waiting.start();
    }
  }

  private dropDead(): void {
    const live: Waiting[] = [];
    for (const waiting of this.queue) {
      if (waiting.isLive()) live.push(waiting);
      else waiting.reject(abandonedError());
    }
    this.queue = live;
  }
}

/** Full-jitter exponential backoff. */
export const backoffMs = (attempt: number, baseMs: number) => Math.random() * baseMs * 2 ** attempt;
