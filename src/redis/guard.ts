/**
 * Redis is a helper, never a dependency: every command goes through `run`, which answers undefined
 * instead of failing when Redis is not connected, when the command fails or passes its deadline (the
 * connection's `commandTimeout`), or while the guard's own breaker is open after consecutive failures.
 * The caller then does without Redis for that step (its own cache, its own call). Counted in `/metrics`.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Consecutive failures that open the breaker, and how long it stays open before one command tries again. */
const FAILURES_TO_OPEN = 3;
const COOLDOWN_MS = 1_000;

export interface Connected {
  /** Whether the connection is up (ioredis' `status === 'ready'`). */
  ready(): boolean;
}

export class RedisGuard {
  private failures = 0;
  private openUntil = 0;
  private readonly errors: Counter<'operation'>;
  private readonly skipped: Counter<'operation'>;

  constructor(
    private readonly connection: Connected,
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    this.errors = new Counter({
      name: 'tiktok_graph_redis_errors_total',
      help: 'Redis commands that failed or passed their deadline, by operation (the replica went on without Redis).',
      labelNames: ['operation'],
      registers: [registry],
    });
    this.skipped = new Counter({
      name: 'tiktok_graph_redis_skipped_total',
      help: 'Steps done without Redis because it was disconnected or its breaker open, by operation.',
      labelNames: ['operation'],
      registers: [registry],
    });
    const guard = this;
    new Gauge({
      name: 'tiktok_graph_redis_up',
      help: '1 while Redis is connected and answering, 0 while replicas go on without it.',
      registers: [registry],
      collect() {
        this.set(guard.healthy() ? 1 : 0);
      },
    });
  }

  /** Whether commands are sent now: connected, and the breaker closed or letting one through. */
  available(): boolean {
    return this.connection.ready() && this.now() >= this.openUntil;
  }

  /** Whether Redis answers: connected, and its last command did not fail (for /readyz and the gauge). */
  healthy(): boolean {
    return this.connection.ready() && this.failures === 0;
  }

  /** Runs one Redis step; undefined when Redis is unavailable or the step failed. A `probe` goes through an open breaker. */
  async run<T>(operation: string, step: () => Promise<T>, probe = false): Promise<T | undefined> {
    if (!(probe ? this.connection.ready() : this.available())) {
      this.skipped.inc({ operation });
      return undefined;
    }
    try {
      const value = await step();
      this.reset();
      return value;
    } catch {
      this.errors.inc({ operation });
      this.failures += 1;
      if (this.failures >= FAILURES_TO_OPEN) this.openUntil = this.now() + COOLDOWN_MS;
      return undefined;
    }
  }

  /** The connection came back: use it at once. */
  reset(): void {
    this.failures = 0;
    this.openUntil = 0;
  }
}
