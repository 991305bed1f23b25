/** Builds the app in-process against a sandbox and sends GraphQL through Yoga's HTTP layer. */
import { type App, createApp } from '../src/app.js';
import { type AppConfig, testConfig } from '../src/config.js';
import { type Sandbox, type SandboxOptions, createSandbox } from '../src/sandbox/handler.js';
import type { Fetch } from '../src/upstream/client.js';

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
  options: { config?: Partial<AppConfig>; sandbox?: SandboxOptions; wrapFetch?: (fetch: Fetch) => Fetch } = {},
): TestServer {
  const sandbox = createSandbox({ now: () => SANDBOX_NOW, ...options.sandbox });
  let clock = 1_000_000;
  const upstream = options.wrapFetch ? options.wrapFetch(sandbox.fetch) : sandbox.fetch;
  const base = testConfig();
  // Retries back off for a millisecond or two here, so that fault tests stay fast.
  const config = { ...base, ...options.config, resilience: { ...base.resilience, retryBaseMs: 1, ...options.config?.resilience } };
  const app = createApp(config, { fetch: upstream, now: () => clock });
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
      const body = (await response.json()) as Omit<GraphQLResponse, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body };
    },
  };
}

/** The `extensions.code` of every error, in order. */
export const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);
