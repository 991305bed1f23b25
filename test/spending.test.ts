/** Spend each credit once: exact upstream call counts for every scenario of the credits issue. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CACHE, testConfig } from '../src/config.js';
import { codes, setup } from './helpers.js';
import { roundTripProbe } from '../bench/round-trips.js';

const LATENCY = { latencyMs: 5 };

describe('within one operation', () => {
  it('fetches a resource once across fields, aliases, fragments and list entries', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{
      a: user(username: "alice") { username ...F }
      b: user(username: "@ALICE") { followerCount }
      users(usernames: ["Alice", "alice", "@alice"]) { username }
    }
    fragment F on User { displayName }`);
    expect(res.errors).toBeUndefined();
    expect(calls()).toBe(1);
  });

  it('users with 5 names, 3 distinct: 3 calls in 1 round trip', async () => {
    const probe = roundTripProbe();
    const { gql, calls } = setup({ sandbox: LATENCY, wrapFetch: probe.wrap });
    const res = await gql(`{ users(usernames: ["alice", "bob", "@Alice", "carol", "BOB"]) { username followerCount } }`);
    expect(res.data!.users.map((u: any) => u.username)).toEqual(['alice', 'bob', 'alice', 'carol', 'bob']);
    expect(calls()).toBe(3);
    expect(probe.roundTrips()).toBe(1);
  });

  it('a user with profile fields, stories(first: 4), each author and audio: 2 calls in 1 round trip', async () => {
    const probe = roundTripProbe();
    const { gql, calls, sandbox } = setup({ sandbox: LATENCY, wrapFetch: probe.wrap });
    const res = await gql(`{ user(username: "khaby.lame") {
      displayName followerCount likeCount
      stories(first: 4) { nodes { caption author { username displayName isVerified followerCount } audio { title duration authors { username displayName } } } }
    } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.stories.nodes).toHaveLength(4);
    expect(sandbox.calls.map((c) => c.path.split('?')[0])).toEqual(
      expect.arrayContaining(['/v1/tiktok/users/khaby.lame', '/v1/tiktok/users/khaby.lame/stories']),
    );
    expect(calls()).toBe(2);
    expect(probe.roundTrips()).toBe(1);
  });

  it('starts the stories page with the profile through fragments, variables and node(id:)', async () => {
    const probe = roundTripProbe();
    const { gql, calls } = setup({ sandbox: LATENCY, wrapFetch: probe.wrap });
    const res = await gql(
      `query ($id: ID!, $n: Int!) { node(id: $id) { ... on User { ...S } } }
       fragment S on User { displayName stories(first: $n) { nodes { storyId } } }`,
      { id: Buffer.from('User:bob').toString('base64url'), n: 2 },
    );
    expect(res.data!.node.stories.nodes).toHaveLength(2);
    expect(calls()).toBe(2);
    expect(probe.roundTrips()).toBe(1);
  });

  it('asks only for the stories page when no profile field is selected, and still finds missing users', async () => {
    const { gql, sandbox } = setup();
    const res = await gql(`{ user(username: "alice") { id username stories(first: 3) { totalCount } } }`);
    expect(res.data!.user).toMatchObject({ username: 'alice', stories: { totalCount: expect.any(Number) } });
    expect(sandbox.calls.map((c) => c.path.split('?')[0])).toEqual(['/v1/tiktok/users/alice/stories']);
    const missing = await gql(`{ user(username: "nobody") { username stories { totalCount } } }`);
    expect(missing.data).toEqual({ user: null });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(missing.errors![0]!.path).toEqual(['user']);
  });

  it('does not fetch stories the operation skips or does not ask for', async () => {
    const { gql, sandbox } = setup();
    await gql(`query ($skip: Boolean!) { user(username: "alice") { username stories @skip(if: $skip) { totalCount } } }`, { skip: true });
    await gql(`{ user(username: "bob") { username } }`);
    expect(sandbox.calls.filter((c) => c.path.includes('/stories'))).toHaveLength(0);
  });

  it('answers story authors from the embedded copy when it has the fields asked for', async () => {
    const { gql, sandbox, calls } = setup();
    const page = await gql(`{ user(username: "bob") { stories(first: 5) { nodes { id } } } }`);
    const ids = page.data!.user.stories.nodes.map((n: any) => n.id);
    sandbox.calls.length = 0;
    // A fresh operation: the story page comes from the cache, the author fields from its embedded copy.
    const res = await gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Story { author { username displayName isVerified isPrivate url } } } }`, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data!.nodes.map((n: any) => n.author.displayName)).toEqual(Array(5).fill('Bob'));
    expect(calls()).toBe(0);
  });

  it('loads the full profile, once, for author fields the embedded copy lacks (never null from a partial copy)', async () => {
    const ids = (await setup().gql(`{ user(username: "bob") { stories(first: 5) { nodes { id } } } }`)).data!.user.stories.nodes.map((n: any) => n.id);
    const { gql, sandbox } = setup();
    const res = await gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Story { author { displayName followerCount secUid bio } } } }`, { ids });
    expect(res.errors).toBeUndefined();
    const authors = res.data!.nodes.map((n: any) => n.author);
    expect(new Set(authors.map((a: any) => JSON.stringify(a))).size).toBe(1);
    expect(authors[0]).toEqual({ displayName: 'Bob', followerCount: expect.any(Number), secUid: expect.any(String), bio: expect.any(String) });
    expect(sandbox.calls.map((c) => c.path.split('?')[0]).sort()).toEqual(['/v1/tiktok/users/bob', '/v1/tiktok/users/bob/stories']);
  });
});

describe('across operations', () => {
  it('the same user query 100 times in a row: 1 call, then cache hits', async () => {
    const { gql, calls } = setup();
    let last: Awaited<ReturnType<typeof gql>> | undefined;
    for (let i = 0; i < 100; i++) last = await gql(`{ user(username: "khaby.lame") { displayName likeCount } }`);
    expect(calls()).toBe(1);
    expect(last!.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0, cacheHits: 1 });
  });

  it('50 concurrent cold requests for one user share 1 call', async () => {
    const { gql, calls } = setup({ sandbox: { latencyMs: 20 } });
    const results = await Promise.all(Array.from({ length: 50 }, () => gql(`{ user(username: "dana") { followerCount } }`)));
    expect(new Set(results.map((r) => r.data!.user.followerCount)).size).toBe(1);
    expect(calls()).toBe(1);
    expect(results.reduce((sum, r) => sum + r.extensions!.upstream.sharedCalls, 0)).toBe(49);
    expect(results.reduce((sum, r) => sum + r.extensions!.upstream.creditsUsed, 0)).toBe(1);
  });

  it('stories(first: 10) then after its endCursor: one call per upstream page needed', async () => {
    const { gql, sandbox } = setup();
    const storyCalls = () => sandbox.calls.filter((c) => c.path.includes('/stories')).length;
    const q = `query ($after: String, $first: Int) { user(username: "khaby.lame") { stories(first: $first, after: $after) { pageInfo { endCursor } } } }`;
    const first = await gql(q, { first: 10 });
    await gql(q, { first: 10, after: first.data!.user.stories.pageInfo.endCursor });
    expect(storyCalls()).toBe(1); // stories 1-20 are all on the first page of 35
    const third = await gql(q, { first: 30, after: first.data!.user.stories.pageInfo.endCursor });
    expect(third.errors).toBeUndefined();
    expect(storyCalls()).toBe(2); // stories 11-40 need the second page too
  });

  it('refetches once the lifetime is over, each cache with its own', async () => {
    const cache = { ...DEFAULT_CACHE, profileTtlMs: 1000, storyPageTtlMs: 100 };
    const { gql, sandbox, advance } = setup({ config: { cache } });
    const q = `{ user(username: "alice") { displayName stories(first: 1) { totalCount } } }`;
    const count = (part: string) => sandbox.calls.filter((c) => c.path.endsWith(part) || c.path.includes(`${part}?`)).length;
    await gql(q);
    advance(150);
    await gql(q);
    expect([count('/alice'), count('/stories')]).toEqual([1, 2]);
    advance(1000);
    await gql(q);
    expect([count('/alice'), count('/stories')]).toEqual([2, 3]);
  });

  it('caches a 404 briefly (it is billed), and not the refunded failures', async () => {
    const cache = { ...DEFAULT_CACHE, notFoundTtlMs: 500 };
    const { gql, calls, advance } = setup({ config: { cache, resilience: { ...testConfig().resilience, maxRetries: 0 } } });
    for (let i = 0; i < 3; i++) expect(codes(await gql(`{ user(username: "nobody") { username } }`))).toEqual(['NOT_FOUND']);
    expect(calls()).toBe(1);
    advance(600);
    await gql(`{ user(username: "nobody") { username } }`);
    expect(calls()).toBe(2);
    for (let i = 0; i < 3; i++) await gql(`{ user(username: "status_503") { username } }`);
    expect(calls()).toBe(5);
  });

  it('stays within its size bound however many users pass through', async () => {
    const maxBytes = 64 * 1024;
    const { app } = setup({ config: { cache: { ...DEFAULT_CACHE, maxBytes } } });
    for (let i = 0; i < 2000; i++) await app.client.call('tiktokGetUser', { username: `user_${i}` });
    const sizes = app.caches.sizes();
    expect(sizes.user).toBeGreaterThan(maxBytes * 0.5);
    expect(sizes.user).toBeLessThanOrEqual(maxBytes);
  });
});

describe('federation _entities', () => {
  it('20 representations, 12 distinct users: 12 calls in 1 round trip', async () => {
    const probe = roundTripProbe();
    const { gql, calls } = setup({ sandbox: LATENCY, wrapFetch: probe.wrap });
    const names = Array.from({ length: 12 }, (_, i) => `fed_user_${i}`);
    const representations = [...names, ...names.slice(0, 8).map((n) => n.toUpperCase())].map((username) => ({ __typename: 'User', username }));
    const res = await gql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { username followerCount } } }`, { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toHaveLength(20);
    expect(res.data!._entities[12].username).toBe('fed_user_0');
    expect(calls()).toBe(12);
    expect(probe.roundTrips()).toBe(1);
  });
});

describe('visibility', () => {
  it('exports upstream calls, cache hits and misses, and shared calls to Prometheus', async () => {
    const { gql, app } = setup({ sandbox: { latencyMs: 5 } });
    await Promise.all([gql(`{ user(username: "alice") { username } }`), gql(`{ user(username: "alice") { username } }`)]);
    await gql(`{ user(username: "alice") { username } }`);
    await gql(`{ user(username: "nobody") { username } }`);
    const text = await (await app.yoga.fetch('http://localhost/metrics')).text();
    expect(text).toContain('konbini_upstream_calls_total{endpoint="user",status="200"} 1');
    expect(text).toContain('konbini_upstream_calls_total{endpoint="user",status="404"} 1');
    expect(text).toContain('tiktok_graph_cache_lookups_total{cache="user",result="hit"} 1');
    expect(text).toContain('tiktok_graph_cache_lookups_total{cache="user",result="miss"} 3');
    expect(text).toContain('konbini_upstream_shared_calls_total{endpoint="user"} 1');
    expect(text).toContain('konbini_credits_used_total 2');
  });
});
