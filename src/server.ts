/** Entry point: environment -> config -> app -> listen; graceful stop on SIGTERM/SIGINT. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { attachWebSocket } from './live/websocket.js';
import { createLogger, flushLogger } from './logger.js';
import { createSandbox } from './sandbox/handler.js';
import { startTracing } from './tracing.js';
import { keepAliveFetch } from './upstream/keep-alive.js';

const logger = createLogger();
const config = loadConfig();
const tracing = startTracing();
if (tracing) logger.info('OpenTelemetry tracing on (OTEL_* variables)');

if (config.mode === 'sandbox') {
  logger.info(
    { sandboxLatencyMs: config.sandboxLatencyMs },
    'Using the built-in sandbox upstream (no KONBINI_API_KEY or KONBINI_BASE_URL set): data is made up, no credit is spent.',
  );
} else {
  logger.info({ apiKey: config.apiKey ? 'set' : 'none' }, `Using KonbiniAPI at ${config.upstreamBaseUrl}`);
}

// graphql-js stops awaiting the sibling fields of a field that fails synchronously; should one of them
// reject later, nobody handles it. That must cost a log line, never the process (and every client's answer).
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason instanceof Error ? { name: reason.name, message: reason.message } : String(reason) }, 'unhandled rejection (ignored)');
});

// The real upstream over keep-alive `node:http(s)` agents (src/upstream/keep-alive.ts); the sandbox stays a `fetch`.
const upstreamFetch = config.mode === 'sandbox' ? createSandbox({ latencyMs: config.sandboxLatencyMs }).fetch : keepAliveFetch();
// Redis (and its client) is loaded only when REDIS_URL is set.
const redis = config.redis;
const share = redis ? (await import('./redis/index.js')).createSharing.bind(null, { ...config, redis }) : undefined;
if (redis) logger.info({ timeoutMs: redis.timeoutMs }, 'Sharing caches, calls, pauses and budgets with other replicas through Redis');
const app = createApp(config, { fetch: upstreamFetch, logger, share });
const { yoga, lifecycle, sharing } = app;
// Against slow clients: the headers, and the whole request, must arrive in time (checked every second).
const server = createServer(
  {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: Math.max(config.requestTimeoutMs, config.headersTimeoutMs),
    connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs),
  },
  yoga,
);

// Subscriptions over WebSocket (graphql-ws) on the same port; over SSE, Yoga serves them itself.
const webSocket = attachWebSocket(server, app, config);

server.listen(config.port, () => {
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, `GraphQL on http://localhost:${port}/graphql (GraphiQL in a browser)`);
  // Whoever waits for this line (a supervisor, a test) should not wait for the next batch of lines.
  logger.flush();
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ graceMs: config.shutdownGraceMs }, `${signal}: no new connections; finishing the operations in flight`);
    // Readiness fails from now on, and each connection closes once its last answer is sent.
    lifecycle.draining = true;
    // Subscriptions end now: WebSockets close with 1001 (going away), SSE streams complete.
    void webSocket.close();
    void app.close();
    const exit = () => {
      void sharing?.close();
      logger.info('stopped');
      void (tracing?.shutdown() ?? Promise.resolve()).finally(() => flushLogger(logger, () => process.exit(0)));
    };
    server.close(exit);
    server.closeIdleConnections();
    setTimeout(() => {
      logger.warn('grace period over: closing the remaining connections');
      server.closeAllConnections();
      exit();
    }, config.shutdownGraceMs).unref();
  });
}
