/** Prometheus metrics of one app instance (its own registry, so tests can build many apps). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamObserver } from './upstream/client.js';

export interface Metrics {
  registry: Registry;
  /** Records one executed GraphQL operation: its outcome and how long it took. */
  operation(name: string, outcome: string, seconds: number): void;
  /** Records one answer from the response cache (counted, not timed: nothing executed). */
  cached(name: string): void;
  /** Feeds the upstream counters; handed to the KonbiniAPI client. */
  upstream: UpstreamObserver;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: 'konbini_upstream_calls_total',
    help: 'KonbiniAPI calls made, by endpoint and HTTP status (timeout/network when no answer came).',
    labelNames: ['endpoint', 'status'],
    registers: [registry],
  });
  const credits = new Counter({
    name: 'konbini_credits_used_total',
    help: 'KonbiniAPI credits spent, as reported by X-Credits-Used.',
    registers: [registry],
  });
  const remaining = new Gauge({
    name: 'konbini_credits_remaining',
    help: 'KonbiniAPI credit balance, as of the newest X-Credits-Remaining.',
    registers: [registry],
  });
  const cache = new Counter({
    name: 'tiktok_graph_cache_lookups_total',
    help: 'Cross-request cache lookups, by cache (user, stories, audio) and result (hit, miss).',
    labelNames: ['cache', 'result'],
    registers: [registry],
  });
  const shared = new Counter({
    name: 'konbini_upstream_shared_calls_total',
    help: 'Requests that joined an identical upstream call already in flight instead of making their own.',
    labelNames: ['endpoint'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'konbini_upstream_retries_total',
    help: 'Upstream calls repeated after a refunded, transient failure.',
    labelNames: ['endpoint'],
    registers: [registry],
  });
  const stale = new Counter({
    name: 'tiktok_graph_stale_answers_total',
    help: 'Cached copies served past their lifetime because the upstream failed.',
    labelNames: ['cache'],
    registers: [registry],
  });
  const violations = new Counter({
    name: 'konbini_upstream_contract_violations_total',
    help: 'Properties of 200 bodies that broke the OpenAPI contract (missing, invalid, or items dropped), by endpoint.',
    labelNames: ['endpoint'],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'konbini_upstream_refused_total',
    help:
      'Upstream lookups or attempts failed without a call, by endpoint and reason: queue_full, circuit_open, ' +
      'abandoned (nobody waited any more), account_paused (after a 402/401/403), resource_failure (remembered).',
    labelNames: ['endpoint', 'reason'],
    registers: [registry],
  });
  // Answers from the response cache, by operation name: tallied here and added to the counter when it
  // is read. A labelled increment per answer (label checks, a key string) profiled at a few µs of a
  // hit's CPU; this costs one map update.
  const cachedAnswers = new Map<string, number>();
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations, by operation name and outcome (ok, partial, error; cached: answered by the response cache; cancelled: a @defer or @stream answer its client left).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
    collect() {
      for (const [operation, count] of cachedAnswers) this.inc({ operation, outcome: 'cached' }, count);
      cachedAnswers.clear();
    },
  });
  const durations = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time to execute GraphQL operations, by operation name (answers from the response cache are counted, not timed).',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    operation(name, outcome, seconds) {
      operations.inc({ operation: name, outcome });
      durations.observe({ operation: name }, seconds);
    },
    cached(name) {
      cachedAnswers.set(name, (cachedAnswers.get(name) ?? 0) + 1);
    },
    upstream: {
      call(event) {
        calls.inc({ endpoint: event.endpoint, status: String(event.status) });
        credits.inc(event.creditsUsed);
        if (event.creditsRemaining !== null) remaining.set(event.creditsRemaining);
      },
      cacheHit: (endpoint) => cache.inc({ cache: endpoint, result: 'hit' }),
      cacheMiss: (endpoint) => cache.inc({ cache: endpoint, result: 'miss' }),
      sharedCall: (endpoint) => shared.inc({ endpoint }),
      retry: (endpoint) => retries.inc({ endpoint }),
      stale: (answer) => stale.inc({ cache: answer.endpoint }),
      refused: (endpoint, reason) => refused.inc({ endpoint, reason }),
      violation: (endpoint, paths) => violations.inc({ endpoint }, paths.length),
    },
  };
}
