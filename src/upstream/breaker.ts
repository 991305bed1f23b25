/**
 * A circuit breaker that trips on the upstream, not on one resource: it opens only when, within a
 * rolling window, enough calls were made, enough of them were service failures, and those failures
 * were spread over enough distinct resources (paths). One profile that TikTok refuses, however often
 * it is asked for, cannot open it. Open, it refuses calls for a cooldown, then lets one probe through:
 * an answer closes it, a service failure opens it again.
 */

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerOptions {
  /** Calls within the window before the failure rate can open the circuit. */
  minCalls: number;
  /** Distinct resources that must have failed within the window. */
  minResources: number;
  /** Share of the window's calls, in percent, that must be service failures. */
  errorPercent: number;
  windowMs: number;
  /** How long the circuit stays open before a probe. */
  cooldownMs: number;
  now?: () => number;
}

/** Permission to make one call; hand it back with its outcome, or `release` it if no call was made. */
export interface Permit {
  readonly probe: boolean;
}

/** The window is kept in this many buckets (the oldest drops out as time moves on). */
const BUCKETS = 10;

interface Bucket {
  start: number;
  calls: number;
  failures: number;
  /** Resources that failed in this bucket. */
  failed: Set<string>;
}

export class CircuitBreaker {
  private buckets: Bucket[] = [];
  private openedAt: number | null = null;
  private probing = false;
  private readonly bucketMs: number;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.bucketMs = Math.max(1, Math.ceil(options.windowMs / BUCKETS));
    this.now = options.now ?? Date.now;
  }

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.probing || this.now() - this.openedAt >= this.options.cooldownMs ? 'halfOpen' : 'open';
  }

  /** A permit to call, or undefined while the circuit is open (or its one probe is out). */
  acquire(): Permit | undefined {
    if (this.openedAt === null) return CLOSED_PERMIT;
    if (this.probing || this.now() - this.openedAt < this.options.cooldownMs) return undefined;
    this.probing = true;
    return PROBE_PERMIT;
  }

  /** No call was made with the permit (refused before it was sent). */
  release(permit: Permit): void {
    if (permit.probe) this.probing = false;
  }

  /** The upstream answered (with data, a 404, a 4xx, or a failure of that one resource). */
  answered(permit: Permit): void {
    if (permit.probe) {
      this.probing = false;
      this.openedAt = null;
      this.buckets = [];
      return;
    }
    this.bucket().calls += 1;
  }

  /** The upstream itself failed (5xx, timeout, connection error) for `resource`. True when this opened the circuit. */
  failed(permit: Permit, resource: string): boolean {
    if (permit.probe) {
      this.probing = false;
      this.openedAt = this.now();
      return true;
    }
    const bucket = this.bucket();
    bucket.calls += 1;
    bucket.failures += 1;
    bucket.failed.add(resource);
    if (this.openedAt === null && this.shouldOpen()) {
      this.trip();
      return true;
    }
    return false;
  }

  /** Opens the circuit now (its own failures, or another replica's). */
  trip(): void {
    if (this.probing) return;
    this.openedAt = this.now();
    this.buckets = [];
  }

  private shouldOpen(): boolean {
    const { minCalls, minResources, errorPercent } = this.options;
    let calls = 0;
    let failures = 0;
    for (const b of this.buckets) {
      calls += b.calls;
      failures += b.failures;
    }
    if (calls < minCalls || failures * 100 < errorPercent * calls) return false;
    const resources = new Set<string>();
    for (const b of this.buckets) {
      for (const resource of b.failed) {
        resources.add(resource);
        if (resources.size >= minResources) return true;
      }
    }
    return false;
  }

  /** The current bucket, after dropping the ones that left the window. */
  private bucket(): Bucket {
    const at = this.now();
    const start = at - (at % this.bucketMs);
    const horizon = at - this.options.windowMs;
    while (this.buckets.length > 0 && this.buckets[0]!.start + this.bucketMs <= horizon) this.buckets.shift();
    let last = this.buckets.at(-1);
    if (!last || last.start !== start) {
      last = { start, calls: 0, failures: 0, failed: new Set() };
      this.buckets.push(last);
    }
    return last;
  }
}

const CLOSED_PERMIT: Permit = Object.freeze({ probe: false });
const PROBE_PERMIT: Permit = Object.freeze({ probe: true });
