/** The response cache in front of execution: hot answers from memory, fresh credit reports, no stale errors. */
import { describe, expect, it } from 'vitest';
import { responseLifetimes } from '../src/plugins/use-public-response-cache.js';
import { DEFAULT_CACHE } from '../src/config.js';
import { responseCacheKey } from '../src/plugins/use-public-response-cache.js';
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
