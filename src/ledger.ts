/** Per-operation upstream accounting, reported in `extensions.upstream` of every response. */
import type { StaleAnswer, UpstreamCallEvent, UpstreamObserver } from './upstream/client.js';

export interface UpstreamReport {
  /** Upstream HTTP calls this operation made (retries included). */
  requests: number;
  /** Credits those calls cost (X-Credits-Used). */
  creditsUsed: number;
  /** Account balance after the newest upstream answer (null before the server's first one). */
  creditsRemaining: number | null;
  /** Most credits the operation could cost, estimated before execution (null when not estimated). */
  estimatedCredits: number | null;
  /** Lookups answered by the cross-request cache instead of a call. */
  cacheHits: number;
  /** Lookups that joined an identical call already in flight for another operation. */
  sharedCalls: number;
  /** Calls repeated after a refunded, transient failure. */
  retries: number;
  /** Cached copies served past their lifetime because the upstream failed: the data may be dated. */
  stale: { resource: string; ageSeconds: number; because: string }[];
}

/** The report of an operation that made no upstream call and was not estimated (answered from the response cache). */
export const idleReport = (creditsRemaining: number | null): UpstreamReport => ({
  requests: 0,
  creditsUsed: 0,
  creditsRemaining,
  estimatedCredits: 0,
  cacheHits: 0,
  sharedCalls: 0,
  retries: 0,
  stale: [],
});

export class UpstreamLedger implements UpstreamObserver {
  private requests = 0;
  private creditsUsed = 0;
  private cacheHits = 0;
  private sharedCalls = 0;
  private retries = 0;
  private started = 0;
  private readonly staleAnswers: StaleAnswer[] = [];
  /** Set before execution; new upstream calls beyond it are refused (a backstop for the estimate). */
  estimatedCredits: number | null = null;

  call(event: UpstreamCallEvent): void {
    this.requests += 1;
    this.creditsUsed += event.creditsUsed;
  }

  cacheHit(): void {
    this.cacheHits += 1;
  }

  sharedCall(): void {
    this.sharedCalls += 1;
  }

  retry(): void {
    this.retries += 1;
  }

  stale(answer: StaleAnswer): void {
    this.staleAnswers.push(answer);
  }

  /**
   * The most credits the operation can have spent: calls it started (each costs at most one credit,
   * and only refunded failures are retried), or what the upstream reported if that is more.
   */
  get creditsCommitted(): number {
    return Math.max(this.started, this.creditsUsed);
  }

  mayCall(): boolean {
    if (this.estimatedCredits !== null && this.started >= this.estimatedCredits) return false;
    this.started += 1;
    return true;
  }

  report(creditsRemaining: number | null): UpstreamReport {
    const { requests, creditsUsed, estimatedCredits, cacheHits, sharedCalls, retries } = this;
    const stale = this.staleAnswers.map((a) => ({ resource: a.path, ageSeconds: Math.round(a.ageMs / 1000), because: a.failure }));
    return { requests, creditsUsed, creditsRemaining, estimatedCredits, cacheHits, sharedCalls, retries, stale };
  }
}
