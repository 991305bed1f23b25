/**
 * How pollers agree on who polls what, and what the last poll saw. In one process the in-memory
 * coordinator always grants the poll; a shared implementation (Redis) lets one replica poll a topic per
 * interval while the others only listen, and keeps the seen ids where every replica reads them.
 */

/** What the last poll of a topic saw: JSON-serialisable, small. */
export interface LiveState {
  /** Ids of the items already delivered or part of the baseline, newest first (stories, videos). */
  seen?: string[];
  /** A digest of the whole resource (profile). */
  fingerprint?: string;
  /** When the poll that wrote this state ran (epoch ms). */
  polledAt: number;
}

export interface LiveCoordinator {
  /**
   * Claims the poll of `topic` for this interval; false when another replica has it (then this process
   * only listens), or, under a credit cap, when another replica polled less than `spacingMs` ago (the
   * cap's spacing then holds for the whole cluster, not per replica).
   */
  claim(topic: string, intervalMs: number, spacingMs: number): Promise<boolean>;
  /** What the last poll of `topic` saw, on any replica (seen ids / profile fingerprint). */
  load(topic: string): Promise<LiveState | undefined>;
  save(topic: string, state: LiveState, ttlMs: number): Promise<void>;
  /** Frees what the coordinator holds (connections); the in-memory one has nothing to free. */
  close?(): Promise<void>;
}

/**
 * The single-process coordinator: every claim is granted, states live in a map and expire after their
 * `ttlMs` (checked when read, so no timer runs).
 */
export function createMemoryCoordinator(now: () => number = Date.now): LiveCoordinator {
  const states = new Map<string, { state: LiveState; expiresAt: number }>();
  return {
    claim: async () => true,
    async load(topic) {
      const stored = states.get(topic);
      if (!stored) return undefined;
      if (stored.expiresAt <= now()) {
        states.delete(topic);
        return undefined;
      }
      return stored.state;
    },
    async save(topic, state, ttlMs) {
      states.set(topic, { state, expiresAt: now() + ttlMs });
    },
  };
}
