/** Entry point: environment -> config -> app -> listen; graceful stop on SIGTERM/SIGINT. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createSandbox } from './sandbox/handler.js';

const config = loadConfig();
const log = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }));

if (config.mode === 'sandbox') {
  log('Using the built-in sandbox upstream (no KONBINI_API_KEY or KONBINI_BASE_URL set): data is made up, no credit is spent.', {
    sandboxLatencyMs: config.sandboxLatencyMs,
  });
} else {
  log(`Using KonbiniAPI at ${config.upstreamBaseUrl}`, { apiKey: config.apiKey ? 'set' : 'none' });
}

const upstreamFetch = config.mode === 'sandbox' ? createSandbox({ latencyMs: config.sandboxLatencyMs }).fetch : fetch;
const { yoga } = createApp(config, { fetch: upstreamFetch });
const server = createServer(yoga);

server.listen(config.port, () => {
  const { port } = server.address() as AddressInfo;
  log(`GraphQL on http://localhost:${port}/graphql (GraphiQL in a browser)`, { port });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log(`${signal}: closing`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
