/** Health, readiness, request ids and operation logs. */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { TRANSCRIPT_DIR, codes, setup } from './helpers.js';

const get = async (app: ReturnType<typeof setup>['app'], path: string) => {
  const res = await app.yoga.fetch(`http://localhost${path}`);
  return { status: res.status, body: await res.json() };
};

describe('/healthz and /readyz', () => {
  it('is alive and ready on a healthy upstream, with a free probe', async () => {
    const { app, sandbox } = setup();
    expect(await get(app, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await get(app, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', degraded: false, upstream: 'ok', account: { usable: true }, circuits: { user: 'closed' } });
    expect(sandbox.calls).toEqual([{ path: '/v1/tiktok/readiness-probe', status: 404, creditsUsed: 0 }]);
  });

  // Shared states (the account, the circuits, the upstream) are the same on every replica: taking them
  // all out of rotation would help nobody, and GraphQL answers already fail fast with their codes.
  it.each([
    ['knbn_no_credits', 'credits_exhausted', 'credits_exhausted', 'CREDITS_EXHAUSTED'],
    ['knbn_expired', 'auth_failed', 'api_key_expired', 'UPSTREAM_AUTH_FAILED'],
  ])('stays ready, degraded, when the account is paused (%s), and says why', async (apiKey, failure, code, graphqlCode) => {
    const { app, gql, sandbox } = setup({ config: { apiKey } });
    const ready = await get(app, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', degraded: true, upstream: failure, account: { usable: false, failure, code } });
    expect(ready.body.account.retryInMs).toBeGreaterThan(0);
    expect((await get(app, '/healthz')).status).toBe(200);
    // GraphQL answers fail fast, with no further upstream call.
    const res = await gql(`{ users(usernames: ["alice", "bob"]) { username } }`);
    expect(codes(res)).toEqual([graphqlCode, graphqlCode]);
    expect(res.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0 });
    expect(sandbox.calls).toHaveLength(1); // the readiness probe
  });

  it('stays ready, degraded, when the upstream cannot be reached', async () => {
    const { app, gql } = setup({ wrapFetch: () => () => Promise.reject(new TypeError('fetch failed')) });
    const ready = await get(app, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', degraded: true, upstream: 'unavailable' });
    expect(codes(await gql(`{ user(username: "alice") { username } }`))).toEqual(['UPSTREAM_UNAVAILABLE']);
  });

  it('stays ready, degraded, while a circuit is open, and GraphQL fails fast', async () => {
    const { app, gql, calls } = setup({
      config: { resilience: { ...testConfig().resilience, maxRetries: 0, breakerMinCalls: 2, breakerMinResources: 2 } },
      wrapFetch: (fetch) => (input, init) =>
        input.includes('readiness-probe')
          ? fetch(input, init)
          : Promise.resolve(new Response('{"errors":[{"code":"service_unavailable","message":"x"}],"data":null}', { status: 503 })),
    });
    for (let i = 0; i < 3; i++) await gql(`{ user(username: "user_${i}") { username } }`);
    expect(calls()).toBe(0); // every call was answered by the wrapper, none by the sandbox
    const ready = await get(app, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', degraded: true, upstream: 'ok', circuits: { user: 'open', stories: 'closed', audio: 'closed' } });
    const fast = await gql(`{ user(username: "someone") { username } }`);
    expect(codes(fast)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(fast.extensions!.upstream.requests).toBe(0);
  });

  it('is ready and not degraded on a healthy upstream', async () => {
    const { app } = setup();
    const ready = await get(app, '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', degraded: false, upstream: 'ok', account: { usable: true } } });
  });

  it('answers 503 while draining (after SIGTERM), without probing, and stays alive', async () => {
    const { app, sandbox } = setup();
    app.lifecycle.draining = true;
    const ready = await get(app, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('draining');
    expect(sandbox.calls).toHaveLength(0);
    expect((await get(app, '/healthz')).status).toBe(200);
  });
});

describe('request ids and operation logs', () => {
  it('returns the caller’s request id, or a new one, and logs one line per operation with it', async () => {
    const { gql } = setup();
    const given = await gql(`query Named { user(username: "alice") { displayName } }`, {}, { 'x-request-id': 'trace-abc-123' });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const fresh = await gql(`{ __typename }`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const lines = readdirSync(TRANSCRIPT_DIR)
      .flatMap((f) => readFileSync(new URL(f, TRANSCRIPT_DIR), 'utf8').split('\n'))
      .filter((l) => l.includes('"requestId":"trace-abc-123"'))
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'operation', operation: 'Named', outcome: 'ok', errors: [], upstream: { requests: 1, creditsUsed: 1 } });
  });
});

describe('request ids over Node HTTP', () => {
  it('sets one X-Request-Id on every response, the same the operation log line carries, from cache or not', async () => {
    const { app } = setup({ config: { responseCacheMaxEntries: 10 } });
    const server = createServer(app.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const post = (headers: Record<string, string> = {}) =>
        fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: 'query OverHttp { user(username: "alice") { displayName } }' }),
        });
      const executed = await post({ 'x-request-id': 'http-abc-1' });
      const cached = await post({ 'x-request-id': 'http-abc-2' });
      const fresh = await post();
      const invalid = await post({ 'x-request-id': 'not valid!' });
      const health = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'http-abc-3' } });
      expect([executed, cached, fresh, invalid, health].map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      // One header each (two would read back as "a, b").
      expect(executed.headers.get('x-request-id')).toBe('http-abc-1');
      expect(cached.headers.get('x-request-id')).toBe('http-abc-2');
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(invalid.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(health.headers.get('x-request-id')).toBe('http-abc-3');
      expect(cached.headers.get('etag')).toBe(executed.headers.get('etag'));
      const lines = readdirSync(TRANSCRIPT_DIR)
        .flatMap((f) => readFileSync(new URL(f, TRANSCRIPT_DIR), 'utf8').split('\n'))
        .filter((l) => l.includes('"operation":"OverHttp"'))
        .map((l) => JSON.parse(l) as { requestId: string; outcome: string });
      expect(lines.map((l) => [l.requestId, l.outcome])).toEqual([
        ['http-abc-1', 'ok'],
        ['http-abc-2', 'cached'],
        [fresh.headers.get('x-request-id'), 'cached'],
        [invalid.headers.get('x-request-id'), 'cached'],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
