/** The response cache in front of execution: hot answers from memory, fresh credit reports, no stale errors. */
import { describe, expect, it } from 'vitest';
import { responseLifetimes } from '../src/plugins/use-public-response-cache.js';
import { DEFAULT_CACHE } from '../src/config.js';
import { RECENT_KEYS_MAX_BYTES, createLocalResponseCache, recentKeysBytes, responseCacheKey } from '../src/plugins/use-public-response-cache.js';
import { setup } from './helpers.js';

const QUERY = `query ($u: String!) { user(username: $u) { displayName followerCount stories(first: 2) { nodes { storyId } } } }`;

describe('response cache', () => {
  const on = (extra = {}) => setup({ config: { responseCacheMaxEntries: 100, ...extra } });

  it('answers a repeated operation from memory, reporting that it cost nothing', async () => {
    const { gql, calls } = on();
    const first = await gql(QUERY, { u: 'alice' });
    const second = await gql(QUERY, { u: 'alice' });
    expect(second.data).toEqual(first.data);
    expect(calls()).toBe(2);
    expect(first.extensions!.upstream).toMatchObject({ requests: 2, creditsUsed: 2 });
    expect(second.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0 });
    expect(second.extensions!.responseCache).toBeUndefined();
  });

  it('keys on variables: another user is another answer', async () => {
    const { gql, calls } = on();
    await gql(QUERY, { u: 'alice' });
    const bob = await gql(QUERY, { u: 'bob' });
    expect(bob.data!.user.displayName).toBe('Bob');
    expect(calls()).toBe(4);
  });

  it('keys on the operation name: another operation of the same document is another answer', async () => {
    const { app } = on();
    const document = `query Alice { user(username: "alice") { displayName } } query Bob { user(username: "bob") { displayName } }`;
    const run = async (operationName: string) => {
      const response = await app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document, operationName }),
      });
      return ((await response.json()) as { data: { user: { displayName: string } } }).data.user.displayName;
    };
    expect([await run('Alice'), await run('Bob'), await run('Alice'), await run('Bob')]).toEqual(['Alice', 'Bob', 'Alice', 'Bob']);
  });

  it('hashes the operation, its name and its variables into the key, each apart', () => {
    const key = (documentString: string, operationName: string | undefined, variableValues: Record<string, unknown>) =>
      responseCacheKey({ documentString, operationName, variableValues, sessionId: null, request: new Request('http://localhost/'), context: {} });
    const keys = new Set([
      key('{ a }', undefined, {}),
      key('{ a }', 'A', {}),
      key('{ a }', undefined, { u: 1 }),
      key('{ a }A', undefined, {}),
      key('{ a }', undefined, {}),
    ]);
    expect(keys.size).toBe(4);
    expect(key('{ a }', undefined, {})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not cache answers with errors', async () => {
    const { gql, calls } = on();
    await gql(QUERY, { u: 'nobody' });
    await gql(`{ user(username: "status_400") { displayName } }`);
    await gql(`{ user(username: "status_400") { displayName } }`);
    expect(calls()).toBe(1 + 1 + 1 + 1); // nobody: profile and stories page; status_400 twice
  });

  it('lasts as long as the shortest lifetime in the answer', async () => {
    const { gql, calls, advance } = on({ cache: { ...DEFAULT_CACHE, storyPageTtlMs: 50, profileTtlMs: 60_000 } });
    await gql(QUERY, { u: 'alice' });
    await gql(QUERY, { u: 'alice' });
    expect(calls()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 80)); // the response cache's clock is real time
    advance(80); // the upstream caches' clock is the test's
    await gql(QUERY, { u: 'alice' });
    expect(calls()).toBe(3); // the story page expired (50 ms); the profile (1 min) is still cached
  });

  it('never answers a dry run from the cache', async () => {
    const { gql } = on();
    await gql(QUERY, { u: 'alice' });
    const dry = await gql(QUERY, { u: 'alice' }, { 'x-dry-run': 'true' });
    expect(dry.data).toBeUndefined();
    expect(dry.extensions!.upstream).toMatchObject({ dryRun: true, estimatedCredits: 2 });
  });

  it('holds answers within RESPONSE_CACHE_MAX_BYTES, however few entries they are', async () => {
    const { gql } = on({ responseCacheMaxBytes: 4096 });
    // From the response cache: no upstream call and no upstream cache hit (the upstream cache under it keeps everything here).
    const cached = async (query: string) => {
      const { upstream } = (await gql(query)).extensions!;
      return upstream.requests === 0 && upstream.cacheHits === 0;
    };
    const small = (u: string) => `{ user(username: "${u}") { displayName } }`;
    expect(await cached(small('alice'))).toBe(false);
    expect(await cached(small('alice'))).toBe(true);
    // An answer over a quarter of the bound is not kept.
    const big = `{ user(username: "alice") { videos(first: 20) { nodes { videoId caption viewCount } } } }`;
    expect(await cached(big)).toBe(false);
    expect(await cached(big)).toBe(false);
    // Small answers push the oldest out long before the entry bound (100).
    for (let i = 0; i < 20; i++) await gql(small(`pusher_${i}`));
    expect(await cached(small('pusher_19'))).toBe(true);
    expect(await cached(small('alice'))).toBe(false);
  });

  it('counts every answer against the byte bound: many large answers stay within it', () => {
    const maxBytes = 1024 * 1024;
    const cache = createLocalResponseCache({ maxEntries: 1_000, maxBytes });
    const answer = (i: number) => ({ data: { user: { username: `user_${i}`, biography: 'x'.repeat(10_000) } } });
    for (let i = 0; i < 1_000; i++) void cache.set(`key_${i}`, answer(i), [], 60_000);
    expect(cache.bytes()).toBeLessThanOrEqual(maxBytes);
    expect(cache.bytes()).toBeGreaterThan(maxBytes / 2);
    expect(cache.get('key_999')).toEqual(answer(999));
    expect(cache.get('key_0')).toBeUndefined();
  });

  it('remembers the keys of recent operations within a byte bound, however long their texts', () => {
    for (let i = 0; i < 1_000; i++) {
      const documentString = `{ user(username: "u${i}") { displayName } }${' '.repeat(4_000)}`;
      responseCacheKey({
        documentString,
        operationName: undefined,
        variableValues: {},
        sessionId: null,
        request: new Request('http://localhost/'),
        context: {},
      });
    }
    expect(recentKeysBytes()).toBeLessThanOrEqual(RECENT_KEYS_MAX_BYTES);
    expect(recentKeysBytes()).toBeGreaterThan(RECENT_KEYS_MAX_BYTES / 2);
  });

  it('keeps live state and download URLs short: their fields carry their own lifetimes', () => {
    const lifetimes = responseLifetimes(DEFAULT_CACHE);
    expect(lifetimes['User.liveStream']).toBe(30_000);
    expect(lifetimes.LiveStream).toBe(30_000);
    expect(lifetimes['Video.downloadUrl']).toBe(30 * 60_000);
    expect(lifetimes.Transcript).toBe(24 * 60 * 60_000);
    // A type shared by several lists lives as long as the shortest of them.
    expect(lifetimes.VideoConnection).toBe(5 * 60_000);
    expect(lifetimes.User).toBe(DEFAULT_CACHE.profileTtlMs);
  });
});
