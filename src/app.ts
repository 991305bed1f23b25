/** createApp(config): the Yoga server with schema, context and plugins. It never listens. */
import { createYoga } from 'graphql-yoga';
import type { AppConfig } from './config.js';
import { type GraphContext, contextFactory } from './context.js';
import { DEFAULT_QUERY } from './graphiql.js';
import { type Metrics, createMetrics } from './metrics.js';
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

/** Builds the app around an upstream `fetch` (the real one, or a sandbox's). */
export function createApp(config: AppConfig, upstreamFetch: Fetch): App {
  const metrics = createMetrics();
  const caches = createUpstreamCaches(config.cache);
  const client = new KonbiniClient({
    baseUrl: config.upstreamBaseUrl,
    apiKey: config.apiKey,
    fetch: upstreamFetch,
    caches,
    timeoutMs: config.upstreamTimeoutMs,
    observer: metrics.upstream,
  });
  const createContext = contextFactory(client, config);
  const yoga = createYoga<Record<string, unknown>, GraphContext>({
    schema,
    context: createContext,
    graphiql: { title: 'TikTok graph', defaultQuery: DEFAULT_QUERY },
    landingPage: false,
    plugins: [useUpstreamReport(client), useMetricsEndpoint(metrics.registry)],
  });
  return { yoga, client, caches, metrics };
}
