/**
 * What replicas share about the upstream (implemented over Redis in src/redis/upstream-cluster.ts;
 * absent for a process on its own): answers, the one call in flight for a resource, the account
 * lockout and open circuits. The client never waits on it for long and never fails because of it.
 */
import type { CacheEntry, Remaining } from './cache.js';
import type { Endpoint, OperationId } from './endpoints.js';
import type { UpstreamError } from './errors.js';

/** An answer for the cluster, and, when it is a copy another replica stored, what is left of its lifetime. */
export interface ClusterAnswer {
  entry: CacheEntry;
  left?: Remaining;
}

/** What the other replicas tell this one. */
export interface ClusterMember {
  lockOut(error: UpstreamError, forMs: number): void;
  openCircuit(endpoint: Endpoint): void;
}

export interface UpstreamCluster {
  /**
   * The answer to `path` for the whole cluster: a fresh copy another replica stored, the answer of the
   * replica calling for it now (awaited until its lock lapses), or `call()` made here as the cluster's
   * one caller, its answer stored for the others; never past `limits.deadlineAt`, and never a copy
   * older than `limits.maxAgeMs`. A stale copy found on the way goes to `keepStale` (it may cover for
   * a failure).
   */
  load(
    operation: OperationId,
    path: string,
    call: () => Promise<CacheEntry>,
    limits: { deadlineAt?: number; maxAgeMs?: number },
    keepStale: (entry: CacheEntry, left: Remaining) => void,
  ): Promise<ClusterAnswer>;
  /** The account was locked out here: the others stop calling too. */
  accountLockedOut(error: UpstreamError, forMs: number): void;
  /** An endpoint's circuit opened here: the others open theirs. */
  circuitOpened(endpoint: Endpoint): void;
  /** Called once, by the client, to hear what the others report. */
  join(member: ClusterMember): void;
}
