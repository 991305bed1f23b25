/** Per-operation upstream accounting, reported in `extensions.upstream` of every response. */
import type { UpstreamCallEvent, UpstreamObserver } from './upstream/client.js';

export interface UpstreamReport {
  /** Upstream HTTP calls this operation made. */
  requests: number;
  /** Credits those calls cost (X-Credits-Used). */
  creditsUsed: number;
  /** Account balance after the newest upstream answer (null before the server's first one). */
  creditsRemaining: number | null;
  /** Lookups answered by the cross-request cache instead of a call. */
  cacheHits: number;
  /** Lookups that joined an identical call already in flight for another operation. */
  sharedCalls: number;
}

export class UpstreamLedger implements UpstreamObserver {
  private requests = 0;
  private creditsUsed = 0;
  private cacheHits = 0;
  private sharedCalls = 0;

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

  report(creditsRemaining: number | null): UpstreamReport {
    const { requests, creditsUsed, cacheHits, sharedCalls } = this;
    return { requests, creditsUsed, creditsRemaining, cacheHits, sharedCalls };
  }
}
