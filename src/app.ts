/** createApp(config): the Yoga server with schema, context and plugins. It never listens. */
import { createYoga } from 'graphql-yoga';
import type { AppConfig } from './config.js';
import { type GraphContext, contextFactory, useOperationLiveness } from './context.js';
import { graphiqlOptions, renderGraphiQL } from './graphiql.js';
import { type Logger, createLogger } from './logger.js';
import { type Metrics, createMetrics } from './metrics.js';
import { type Live, type LiveDependencies, createLive } from './live/live.js';
import { CreditBudgets } from './budget/credit-budgets.js';
import { type IdentityOptions, fingerprint } from './budget/client-identity.js';
import { createMemoryPersistedQueryStore, useAutomaticPersistedQueries } from './plugins/use-automatic-persisted-queries.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { localRateLimiter, useClientAccess } from './plugins/use-client-access.js';
import { useConnectionDrain } from './plugins/use-connection-drain.js';
import { useCreditBudget } from './plugins/use-credit-budget.js';
import { useCsrfProtection } from './plugins/use-csrf-protection.js';
import { useErrorCodes } from './plugins/use-error-codes.js';
import { useExecutionGuard } from './plugins/use-execution-guard.js';
import { useGraphiQLPage } from './plugins/use-graphiql-page.js';
import { type Lifecycle, useHealth } from './plugins/use-health.js';
import { useIncrementalDelivery } from './plugins/use-incremental-delivery.js';
import { useLiveSubscriptions } from './plugins/use-live-subscriptions.js';
import { useMetricsEndpoint } from './plugins/use-metrics-endpoint.js';
import { useOperationLimits } from './plugins/use-operation-limits.js';
import { useOperationTelemetry } from './plugins/use-operation-telemetry.js';
import { usePublicResponseCache } from './plugins/use-public-response-cache.js';
import { useRequestId } from './plugins/use-request-id.js';
import { loadManifest, useTrustedDocuments } from './plugins/use-trusted-documents.js';
import { useUpstreamReport } from './plugins/use-upstream-report.js';
import { useVariableLimits } from './plugins/use-variable-limits.js';
import { schema } from './schema/index.js';
import { documentCaches } from './validation/document-cache.js';
import { type UpstreamCaches, createUpstreamCaches } from './upstream/cache.js';
import { type Fetch, KonbiniClient } from './upstream/client.js';
import type { Sharing } from './redis/index.js';

export interface App {
  yoga: ReturnType<typeof createYoga<Record<string, unknown>, GraphContext>>;
  client: KonbiniClient;
  caches: UpstreamCaches;
  metrics: Metrics;
  logger: Logger;
  /** Set `draining` on SIGTERM: /readyz then answers 503. */
  lifecycle: Lifecycle;
  /** What replicas share through Redis (REDIS_URL); undefined alone. */
  sharing: Sharing | undefined;
  /** Subscriptions: the pollers and the streams they feed. */
  live: Live;
  /** Yoga's parsed documents by their text, bounded in characters (src/validation/document-cache.ts). */
  documents: ReturnType<typeof documentCaches>['documentCache'];
  /** Ends every subscription stream and stops polling (SIGTERM, tests). */
  close(): Promise<void>;
}

export interface AppDependencies {
  /** The upstream: the real `fetch`, or a sandbox's. */
  fetch: Fetch;
  /** Clock of the caches' lifetimes (tests move it by hand). */
  now?: () => number;
  /** Wall clock of the credit budgets, in epoch ms (tests move it by hand). */
  wallClock?: () => number;
  logger?: Logger;
  /** A shared poll coordinator and event target for subscriptions (Redis); in memory by default. */
  live?: LiveDependencies;
  /** Sharing through Redis (src/redis, imported only when REDIS_URL is set), built on the app's metrics registry. */
  share?: (registry: Metrics['registry'], logger: Logger) => Sharing;
}

/** Builds the app from its configuration and its upstream. */
export function createApp(
  config: AppConfig,
  { fetch: upstreamFetch, now, wallClock, logger = createLogger(), live: liveDependencies, share }: AppDependencies,
): App {
  const metrics = createMetrics();
  const lifecycle: Lifecycle = { draining: false };
  const { limits } = config;
  const sharing = share?.(metrics.registry, logger);
  const localBudgets = new CreditBudgets(limits, metrics.registry, wallClock);
  const budgets = sharing ? sharing.budgets(localBudgets, limits) : localBudgets;
  const rateLimit = limits.rateLimitPerMinute > 0 ? (sharing?.rateLimiter ?? localRateLimiter)(limits.rateLimitPerMinute) : undefined;
  const apqStore = limits.apqMaxEntries > 0 ? createMemoryPersistedQueryStore({ maxEntries: limits.apqMaxEntries, maxBytes: limits.apqMaxBytes }) : undefined;
  const identity: IdentityOptions = { keys: new Set(limits.clientKeys.map(fingerprint)), trustProxy: limits.trustProxy };
  const caches = createUpstreamCaches(config.cache, config.resilience.staleGraceMs, now);
  const client = new KonbiniClient({
    baseUrl: config.upstreamBaseUrl,
    apiKey: config.apiKey,
    fetch: upstreamFetch,
    caches,
    timeoutMs: config.upstreamTimeoutMs,
    resilience: config.resilience,
    cluster: sharing?.cluster,
    observer: {
      ...metrics.upstream,
      violation(endpoint, paths) {
        metrics.upstream.violation?.(endpoint, paths);
        logger.warn({ endpoint, violations: paths.slice(0, 10), count: paths.length }, 'KonbiniAPI body broke its contract; repaired');
      },
    },
  });
  const live = createLive(config.live, {
    client,
    registry: metrics.registry,
    logger,
    pollTimeoutMs: config.resilience.operationTimeoutMs,
    ...(liveDependencies ?? sharing?.live),
  });
  const operationContext = contextFactory(client, config);
  const parsed = documentCaches();
  const yoga = createYoga<Record<string, unknown>, GraphContext>({
    schema,
    context: () => ({ ...operationContext(), live }),
    // GraphiQL is served by useGraphiQLPage (rendered and compressed once), not rendered per GET.
    graphiql: false,
    landingPage: false,
    batching: false,
    parserAndValidationCache: parsed,
    // No cookies: a page's credentials would add nothing, so they are never allowed.
    cors: { origin: limits.corsOrigins, credentials: false },
    // useBodyLimit refuses a POST whose declared Content-Length is over the limit, or missing, and
    // Node's HTTP parser holds a body to its declared length. Yoga's own limiter would count the
    // same bytes again through a stream transform, a tenth of the CPU of a cached answer.
    maxRequestBodySize: false,
    logging: {
      debug: (...args) => logger.debug({ args }, 'yoga'),
      info: (...args) => logger.info({ args }, 'yoga'),
      warn: (...args) => logger.warn({ args }, 'yoga'),
      error: (...args) => logger.error({ args: args.map(String) }, 'yoga'),
    },
    plugins: [
      // graphql-js's own executor (fields in the order they were selected, as the spec requires), and
      // @graphql-tools/executor only for @defer or @stream sent by a client that accepts a stream.
      ...useIncrementalDelivery(),
      useGraphiQLPage(() => renderGraphiQL(graphiqlOptions())),
      useHealth(client, lifecycle, sharing),
      useConnectionDrain(lifecycle),
      useMetricsEndpoint(metrics.registry, { token: limits.metricsToken, clientKeys: limits.clientKeys.length > 0 }),
      useBodyLimit(config.limits.maxBodyBytes),
      useCsrfProtection(),
      useClientAccess(limits, identity, rateLimit),
      // Trusted documents run the manifest only, so nothing may register a query beside it.
      config.trustedDocumentsPath
        ? useTrustedDocuments(loadManifest(config.trustedDocumentsPath))
        : useAutomaticPersistedQueries(apqStore && sharing ? sharing.persistedQueries(apqStore) : apqStore),
      useErrorCodes(),
      useRequestId(),
      useVariableLimits(),
      useOperationTelemetry(logger, metrics, client),
      ...useOperationLimits(config),
      useCreditBudget(client, budgets, identity),
      useLiveSubscriptions(live, identity, budgets),
      useExecutionGuard(),
      useOperationLiveness(),
      useUpstreamReport(client),
      ...(config.responseCacheMaxEntries > 0
        ? [usePublicResponseCache(config, sharing?.responseCache({ maxEntries: config.responseCacheMaxEntries, maxBytes: config.responseCacheMaxBytes }))]
        : []),
    ],
  });
  return { yoga, client, caches, metrics, logger, lifecycle, sharing, live, documents: parsed.documentCache, close: () => live.close() };
}
