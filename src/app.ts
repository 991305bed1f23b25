/** createApp(config): the Yoga server with schema, context and plugins. It never listens. */
import { createYoga } from 'graphql-yoga';
import type { AppConfig } from './config.js';
import { type GraphContext, contextFactory } from './context.js';
import { DEFAULT_QUERY } from './graphiql.js';
import { type Metrics, createMetrics } from './metrics.js';
import { useCreditBudget } from './plugins/use-credit-budget.js';
import { useMetricsEndpoint } from './plugins/use-metrics-endpoint.js';
import { useUpstreamReport } from './plugins/use-upstream-report.js';
import { schema } from './schema/index.js';
import { type UpstreamCaches, createUpstreamCaches } from './upstream/cache.js';
import { type Fetch, KonbiniClient } from './upstream/client.js';

export interface App {
  yoga: ReturnType<typeof createYoga<Record<string, unknown>, GraphContext>>;
  client: KonbiniClient;
  caches: UpstreamCaches;
  metrics: Metrics;
}

export interface AppDependencies {
  /** The upstream: the real `fetch`, or a sandbox's. */
  fetch: Fetch;
  /** Clock of the caches' lifetimes (tests move it by hand). */
  now?: () => number;
}

/** Builds the app from its configuration and its upstream. */
export function createApp(config: AppConfig, { fetch: upstreamFetch, now }: AppDependencies): App {
  const metrics = createMetrics();
  const caches = createUpstreamCaches(config.cache, config.resilience.staleGraceMs, now);
  const client = new KonbiniClient({
    baseUrl: config.upstreamBaseUrl,
    apiKey: config.apiKey,
    fetch: upstreamFetch,
    caches,
    timeoutMs: config.upstreamTimeoutMs,
    resilience: config.resilience,
    observer: metrics.upstream,
  });
  const createContext = contextFactory(client, config);
  const yoga = createYoga<Record<string, unknown>, GraphContext>({
    schema,
    context: createContext,
    graphiql: { title: 'TikTok graph', defaultQuery: DEFAULT_QUERY },
    landingPage: false,
    plugins: [useCreditBudget(client), useUpstreamReport(client), useMetricsEndpoint(metrics.registry)],
  });
  return { yoga, client, caches, metrics };
}
