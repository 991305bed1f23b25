/** Builds the app in-process against a sandbox and sends GraphQL through Yoga's HTTP layer. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { type App, createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { type AppConfig, testConfig } from '../src/config.js';
import { type Sandbox, type SandboxOptions, createSandbox } from '../src/sandbox/handler.js';
import type { Fetch } from '../src/upstream/client.js';
import { expect } from 'vitest';

/**
 * The API key every test server is configured with. Every response and log line of the suite is
 * written to `TRANSCRIPT_DIR`; the global teardown fails the run if this key appears in any.
 */
export const TEST_API_KEY = 'knbn_test_0f9c2e71d4b8a6secret';
export const TRANSCRIPT_DIR = new URL('../artifacts/transcripts/', import.meta.url);
mkdirSync(TRANSCRIPT_DIR, { recursive: true });
const transcript = new URL(`worker-${process.pid}-${process.env.VITEST_POOL_ID ?? 0}.log`, TRANSCRIPT_DIR);
const record = (line: string) => {
  // Another vitest run's global setup may have just cleared the folder: recreate it rather than fail.
  mkdirSync(TRANSCRIPT_DIR, { recursive: true });
  appendFileSync(transcript, `${line}\n`);
};

/** A fixed instant for the sandbox, so stories are the same in every run. */
export const SANDBOX_NOW = Date.parse('2026-11-22T12:00:00.000Z');

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface TestServer {
  app: App;
  sandbox: Sandbox;
  /** Upstream calls the sandbox answered so far. */
  calls(): number;
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  /** Moves the caches' clock forward. */
  advance(ms: number): void;
}

export function setup(
  options: { config?: Partial<AppConfig>; sandbox?: SandboxOptions; wrapFetch?: (fetch: Fetch) => Fetch; wallClock?: () => number } = {},
): TestServer {
  const sandbox = createSandbox({ now: () => SANDBOX_NOW, ...options.sandbox });
  let clock = 1_000_000;
  const upstream = options.wrapFetch ? options.wrapFetch(sandbox.fetch) : sandbox.fetch;
  const base = testConfig();
  // Retries back off for a millisecond or two here, so that fault tests stay fast.
  const config = {
    ...base,
    apiKey: TEST_API_KEY,
    // Off unless a test turns it on: most tests look at the upstream layer under it.
    responseCacheMaxEntries: 0,
    ...options.config,
    resilience: { ...base.resilience, retryBaseMs: 1, ...options.config?.resilience },
  };
  const logger = createLogger({ write: (line: string) => record(line.trimEnd()) });
  const app = createApp(config, { fetch: upstream, now: () => clock, wallClock: options.wallClock, logger });
  return {
    app,
    sandbox,
    calls: () => sandbox.calls.length,
    advance: (ms) => {
      clock += ms;
    },
    async gql(query, variables, headers = {}) {
      const response = await app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      record(`${response.status} ${JSON.stringify(Object.fromEntries(response.headers))} ${text}`);
      const body = JSON.parse(text) as Omit<GraphQLResponse, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body };
    },
  };
}

/** The `extensions.code` of every error, in order. */
export const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);

/** Runs `query` and returns the answer with the upstream calls it made, checking that the estimate covered them. */
export async function runWithinEstimate(server: TestServer, query: string, variables?: Record<string, unknown>) {
  const before = server.calls();
  const res = await server.gql(query, variables);
  const used = server.calls() - before;
  expect(used, 'estimate ≥ calls').toBeLessThanOrEqual(res.extensions!.upstream.estimatedCredits);
  return { res, used };
}

/** The paths (with queries) of the upstream calls a server made so far. */
export const upstreamPaths = (server: TestServer) => server.sandbox.calls.map((c) => c.path);
