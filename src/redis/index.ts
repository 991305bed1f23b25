/**
 * What replicas share through Redis when REDIS_URL is set. This module (and ioredis with it) is
 * imported by src/server.ts only then: without REDIS_URL no Redis client is loaded.
 */
import type { Registry } from 'prom-client';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { BudgetLimits, Budgets, CreditBudgets } from '../budget/credit-budgets.js';
import type { AppConfig, RedisConfig } from '../config.js';
import type { LiveDependencies } from '../live/live.js';
import type { Logger } from '../logger.js';
import type { PersistedQueryStore } from '../plugins/use-automatic-persisted-queries.js';
import type { UpstreamCluster } from '../upstream/cluster.js';
import { type RedisLink, connectRedis } from './connection.js';
import { SharedCreditBudgets } from './credit-budgets.js';
import { createSharedPersistedQueryStore } from './persisted-queries.js';
import { createLiveSharing } from './live.js';
import { createSharedResponseCache } from './response-cache.js';
import { createUpstreamCluster } from './upstream-cluster.js';

/** Lease of the lock on one upstream call (renewed while the call runs). */
const CALL_LOCK_MS = 2_000;

export interface Sharing {
  link: RedisLink;
  cluster: UpstreamCluster;
  budgets(local: CreditBudgets, limits: BudgetLimits): Budgets;
  rateLimiter(perMinute: number): RateLimiterAbstract;
  responseCache(bounds: { maxEntries: number; maxBytes: number }): Cache;
  persistedQueries(local: PersistedQueryStore): PersistedQueryStore;
  /** Live subscriptions' poll claims, poll states and event fan-out. */
  live: LiveDependencies;
  /** For /readyz: 'ok' while Redis answers, 'degraded' while replicas go on without it. */
  state(): 'ok' | 'degraded';
  close(): Promise<void>;
}

/** Connects to Redis (without waiting: until it answers, the replica works alone) and builds what is shared. */
export function createSharing(config: AppConfig & { redis: RedisConfig }, registry: Registry, logger: Logger): Sharing {
  const link = connectRedis(config.redis, config.upstreamBaseUrl, registry, logger);
  const cluster = createUpstreamCluster(link, config.cache, config.resilience.staleGraceMs, CALL_LOCK_MS, registry);
  return {
    link,
    cluster,
    budgets: (local, limits) => new SharedCreditBudgets(link, limits, local),
    rateLimiter: (perMinute) =>
      new RateLimiterRedis({
        storeClient: link.command,
        keyPrefix: link.key('rate'),
        points: perMinute,
        duration: 60,
        rejectIfRedisNotReady: true,
        // Redis unavailable or failing: the limit holds per replica until it is back.
        insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
      }),
    responseCache: (bounds) => createSharedResponseCache(link, bounds),
    persistedQueries: (local) => createSharedPersistedQueryStore(link, local),
    live: createLiveSharing(link),
    state: () => (link.guard.healthy() ? 'ok' : 'degraded'),
    close: () => link.close(),
  };
}
