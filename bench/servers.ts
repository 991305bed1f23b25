/** Starts the sandbox and the GraphQL server on loopback ports for the benchmark. */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type Sandbox, createSandbox } from '../src/sandbox/handler.js';
import type { Fetch } from '../src/upstream/client.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<Running> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The sandbox KonbiniAPI over HTTP, with injected latency. */
export async function startSandbox(latencyMs: number): Promise<Running & { sandbox: Sandbox }> {
  const sandbox = createSandbox({ latencyMs });
  const adapter = createServerAdapter((request: Request) =>
    sandbox.fetch(request.url, { method: request.method, headers: request.headers, signal: request.signal }),
  );
  return { ...(await listen(createServer(adapter))), sandbox };
}

/** Our server, cold (empty caches), calling the sandbox over HTTP like it would call KonbiniAPI. */
export async function startGraph(upstreamUrl: string, upstreamFetch: Fetch = fetch): Promise<Running> {
  const base = testConfig({ mode: 'upstream', upstreamBaseUrl: upstreamUrl, apiKey: 'knbn_bench' });
  // The scenarios come from one client, whose credit budget is not what they measure.
  const config = { ...base, limits: { ...base.limits, clientCreditsPerMinute: 0 } };
  const { yoga } = createApp(config, { fetch: upstreamFetch, logger: createLogger(undefined, 'warn') });
  return listen(createServer(yoga));
}
