import { describe, expect, it } from 'vitest';
import { codes, setup } from './helpers.js';

const PROFILE = `query ($u: String!) { user(username: $u) { username displayName } }`;

describe('upstream failures become coded GraphQL errors', () => {
  // Refunded 5xx are retried twice (the default); 4xx, billed 404s and malformed bodies never are.
  it.each([
    ['nobody', 'NOT_FOUND', 404, 1, 1],
    ['missing_someone', 'NOT_FOUND', 404, 1, 1],
    ['status_400', 'BAD_USER_INPUT', 400, 1, 0],
    ['status_500', 'UPSTREAM_UNAVAILABLE', 500, 3, 0],
    ['status_502', 'UPSTREAM_UNAVAILABLE', 502, 3, 0],
    ['status_503', 'UPSTREAM_UNAVAILABLE', 503, 3, 0],
    ['status_504', 'UPSTREAM_TIMEOUT', 504, 3, 0],
    ['bad_json', 'UPSTREAM_BAD_RESPONSE', 200, 1, 1],
    ['bad_html', 'UPSTREAM_BAD_RESPONSE', 200, 1, 1],
  ])('%s → %s', async (username, code, upstreamStatus, requests, credits) => {
    const { gql, calls } = setup();
    const res = await gql(PROFILE, { u: username });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ user: null });
    expect(codes(res)).toEqual([code]);
    expect(res.errors![0]!.message).toContain(username);
    if (upstreamStatus !== 200) expect(res.errors![0]!.extensions!.upstreamStatus).toBe(upstreamStatus);
    expect(res.extensions!.upstream).toMatchObject({ requests, creditsUsed: credits, retries: requests - 1 });
    expect(calls()).toBe(requests);
  });

  it('a 200 body that breaks the contract fails the fields that need what it lacks (billed, never retried)', async () => {
    const { gql, calls } = setup();
    const res = await gql(PROFILE, { u: 'bad_contract' });
    expect(res.data).toEqual({ user: { username: 'bad_contract', displayName: null } });
    expect(res.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['user', 'displayName'], 'UPSTREAM_BAD_RESPONSE']]);
    expect(res.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, retries: 0 });
    expect(calls()).toBe(1);
  });

  it.each([
    ['knbn_disabled', 'UPSTREAM_AUTH_FAILED'],
    ['knbn_expired', 'UPSTREAM_AUTH_FAILED'],
    ['knbn_no_credits', 'CREDITS_EXHAUSTED'],
    ['not_a_konbini_key', 'UPSTREAM_AUTH_FAILED'],
  ])('account-level failure with key %s → %s, and the key never shows', async (apiKey, code) => {
    const { gql } = setup({ config: { apiKey } });
    const res = await gql(PROFILE, { u: 'alice' });
    expect(codes(res)).toEqual([code]);
    expect(JSON.stringify(res)).not.toContain(apiKey);
  });

  it('reports a missing key as UPSTREAM_AUTH_FAILED', async () => {
    const { gql } = setup({ config: { apiKey: undefined } });
    const res = await gql(PROFILE, { u: 'alice' });
    expect(codes(res)).toEqual(['UPSTREAM_AUTH_FAILED']);
  });

  it('reports CREDITS_EXHAUSTED when the balance runs out mid-way', async () => {
    const { gql } = setup({ sandbox: { credits: 1 } });
    const res = await gql(`{ users(usernames: ["alice"]) { username } }`);
    expect(res.data!.users).toEqual([{ username: 'alice' }]);
    const after = await gql(PROFILE, { u: 'bob' });
    expect(codes(after)).toEqual(['CREDITS_EXHAUSTED']);
    expect(after.extensions!.upstream.creditsRemaining).toBe(0);
  });

  it('reports UPSTREAM_TIMEOUT when the upstream does not answer in time', async () => {
    const { gql } = setup({ config: { upstreamTimeoutMs: 50 } });
    const res = await gql(PROFILE, { u: 'hanging_user' });
    expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it('reports UPSTREAM_UNAVAILABLE when the upstream cannot be reached', async () => {
    const { gql } = setup({
      wrapFetch: () => () => Promise.reject(new TypeError('fetch failed: ECONNREFUSED')),
    });
    const res = await gql(PROFILE, { u: 'alice' });
    expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
  });

  it('keeps what could be answered: good users and stories beside failing ones', async () => {
    const { gql } = setup();
    const res = await gql(`{
      users(usernames: ["alice", "status_503", "nobody", "bob"]) { username }
      ok: user(username: "khaby.lame") { stories(first: 1) { nodes { storyId } } }
      broken: user(username: "status_502") { username }
    }`);
    expect(res.data!.users).toEqual([{ username: 'alice' }, null, null, { username: 'bob' }]);
    expect(res.data!.ok.stories.nodes).toHaveLength(1);
    expect(res.data!.broken).toBeNull();
    expect(new Set(codes(res))).toEqual(new Set(['UPSTREAM_UNAVAILABLE', 'NOT_FOUND']));
  });
});

describe('a contract that grows', () => {
  it('ignores fields and types the upstream adds', async () => {
    const { gql } = setup({
      wrapFetch: (fetch) => async (input, init) => {
        const response = await fetch(input, init);
        const body = await response.json();
        const grow = (value: unknown): unknown =>
          Array.isArray(value)
            ? value.map(grow)
            : value && typeof value === 'object'
              ? { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, grow(v)])), futureField: { nested: [1, 'x'] } }
              : value;
        return new Response(JSON.stringify(grow(body)), { status: response.status, headers: response.headers });
      },
    });
    const res = await gql(
      `{ user(username: "khaby.lame") { likeCount links { href } stories(first: 2) { nodes { caption media { urls } audio { title authors { username } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.likeCount).toBe(2_600_000_000);
    expect(res.data!.user.stories.nodes).toHaveLength(2);
  });
});

describe('credits made visible', () => {
  it('reports requests, credits and the balance per operation', async () => {
    const { gql } = setup({ sandbox: { credits: 500 } });
    const first = await gql(`{ user(username: "alice") { displayName stories(first: 1) { totalCount } } }`);
    expect(first.extensions!.upstream).toEqual({
      requests: 2,
      creditsUsed: 2,
      creditsRemaining: 498,
      estimatedCredits: 2,
      cacheHits: 0,
      sharedCalls: 0,
      retries: 0,
      stale: [],
    });
    const refunded = await gql(PROFILE, { u: 'status_503' });
    expect(refunded.extensions!.upstream).toMatchObject({ requests: 3, creditsUsed: 0, creditsRemaining: 498, retries: 2 });
  });

  it('has a null balance before the first upstream answer', async () => {
    const { gql } = setup();
    const res = await gql(PROFILE, { u: 'bad name' });
    expect(res.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0, creditsRemaining: null, cacheHits: 0, sharedCalls: 0 });
  });
});
