/** Access checks, rate limits and budgets hold on every URL the server answers GraphQL on; /metrics is not public with client keys. */
import { describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { setup } from './helpers.js';

const limits = (overrides: Partial<ReturnType<typeof testConfig>['limits']>) => ({ limits: { ...testConfig().limits, ...overrides } });
const QUERY = JSON.stringify({ query: '{ user(username: "alice") { username } }' });
/** Spellings of the GraphQL endpoint, and paths that answer nothing. */
const PATHS = ['/graphql', '/graphql/', '//graphql', '/graphql?x=1', '/graphql/?a=b', '/./graphql', '/x/../graphql', '/GRAPHQL', '/graphql//', '/other', '/'];

async function post(app: ReturnType<typeof setup>['app'], path: string, headers: Record<string, string> = {}) {
  const res = await app.yoga.fetch(`http://localhost${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(QUERY.length), ...headers },
    body: QUERY,
  });
  return { status: res.status, body: await res.text() };
}

describe('client keys on every path', () => {
  it.each(PATHS)('%s answers no data without a key, and costs nothing', async (path) => {
    const { app, calls } = setup({ config: limits({ clientKeys: ['client-key'] }) });
    const res = await post(app, path);
    expect(res.status).toBe(401);
    expect(res.body).toContain('UNAUTHENTICATED');
    expect(calls()).toBe(0);
  });

  it('answers the GraphQL spellings with a key', async () => {
    const { app } = setup({ config: limits({ clientKeys: ['client-key'] }) });
    for (const path of ['/graphql', '/graphql/', '//graphql', '/graphql?x=1']) {
      const res = await post(app, path, { authorization: 'Bearer client-key' });
      expect([path, res.status, res.body]).toEqual([path, 200, expect.stringContaining('"username":"alice"')]);
    }
  });

  it('still opens GraphiQL’s page and the health checks without a key', async () => {
    const { app } = setup({ config: limits({ clientKeys: ['client-key'] }) });
    expect((await app.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await app.yoga.fetch('http://localhost/healthz')).status).toBe(200);
  });
});

describe('rate limits and budgets on every path', () => {
  it('counts every spelling of the endpoint against the same client', async () => {
    const { app, calls } = setup({ config: limits({ clientCreditsPerMinute: 2, rateLimitPerMinute: 100 }) });
    const statuses: number[] = [];
    for (const path of ['/graphql', '/graphql/', '//graphql', '/graphql?x=1']) {
      const body = JSON.stringify({ query: `{ user(username: "p${statuses.length}") { username displayName } }` });
      const res = await app.yoga.fetch(`http://localhost${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        body,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(calls()).toBe(2);
  });
});

describe('/metrics', () => {
  const metrics = (app: ReturnType<typeof setup>['app'], headers: Record<string, string> = {}) => app.yoga.fetch('http://localhost/metrics', { headers });

  it('is open when clients need no key', async () => {
    const { app } = setup();
    const res = await metrics(app);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('konbini_credits_remaining');
  });

  it('is closed when clients need keys and no metrics token is set, even to a client key', async () => {
    const { app } = setup({ config: limits({ clientKeys: ['client-key'] }) });
    expect((await metrics(app)).status).toBe(404);
    expect((await metrics(app, { authorization: 'Bearer client-key' })).status).toBe(404);
  });

  it('requires the metrics token when one is set', async () => {
    const { app } = setup({ config: limits({ clientKeys: ['client-key'], metricsToken: 'scrape-token' }) });
    expect((await metrics(app)).status).toBe(401);
    expect((await metrics(app, { authorization: 'Bearer client-key' })).status).toBe(401);
    const ok = await metrics(app, { authorization: 'Bearer scrape-token' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('konbini_credits_remaining');
  });
});
