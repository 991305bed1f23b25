/**
 * Hashtags (free until their videos are read), federation keys of `Hashtag` and `Video`, and the three
 * searches: exact upstream calls, estimates never below them, cursors bound to their list (H3) and
 * mixed search pages (H11).
 */
import { describe, expect, it } from 'vitest';
import { tagVideoRefs } from '../src/sandbox/pool.js';
import { MIXED_QUERY, searchHits, searchUserNames, searchVideoRefs } from '../src/sandbox/search.js';
import { videoIdFor } from '../src/sandbox/ids.js';
import { encodeGlobalID } from '../src/schema/global-ids.js';
import { SANDBOX_NOW, type TestServer, codes, setup, runWithinEstimate as run } from './helpers.js';

const estimate = async (server: TestServer, query: string, variables?: Record<string, unknown>) =>
  (await server.gql(query, variables, { 'x-dry-run': 'true' })).extensions!.upstream.estimatedCredits as number;

describe('Hashtag', () => {
  it('is answered from its name alone: no call for id, name and url', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ hashtag(name: "#FYP") { id name url } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.hashtag).toEqual({ id: encodeGlobalID('Hashtag', 'fyp'), name: 'fyp', url: 'https://www.tiktok.com/tag/fyp' });
    expect(used).toBe(0);
    expect(await estimate(server, `{ hashtag(name: "#FYP") { id name url } }`)).toBe(0);
  });

  it('reads its videos in pages of 30, one call per page', async () => {
    const server = setup();
    const all = tagVideoRefs('fyp').map((ref) => ref.id);
    expect(all.length).toBeGreaterThan(31);
    const { res, used } = await run(server, `{ hashtag(name: "fyp") { videos(first: 31) { totalCount nodes { videoId caption } pageInfo { hasNextPage } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.hashtag.videos.nodes.map((v: any) => v.videoId)).toEqual(all.slice(0, 31));
    expect(res.data!.hashtag.videos.totalCount).toBe(all.length);
    expect(used).toBe(2);
    expect(server.sandbox.calls.every((c) => c.path.startsWith('/v1/tiktok/tags/fyp?count=30'))).toBe(true);
  });

  it('is NOT_FOUND at `videos` when TikTok has no such tag (one billed call)', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ hashtag(name: "missingtag") { name videos { nodes { videoId } } } }`);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.path).toEqual(['hashtag', 'videos']);
    expect(res.errors![0]!.message).toMatch(/Hashtag "missingtag"/);
    expect(used).toBe(1);
  });

  it('refuses a malformed name before any call', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ hashtag(name: "two words") { videos { nodes { videoId } } } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(used).toBe(0);
  });

  it('refetches by node id without a call, and its videos with one', async () => {
    const server = setup();
    const id = encodeGlobalID('Hashtag', 'fyp');
    const { res, used } = await run(server, `query ($id: ID!) { node(id: $id) { ... on Hashtag { name videos(first: 2) { nodes { videoId } } } } }`, { id });
    expect(res.data!.node).toEqual({
      name: 'fyp',
      videos: {
        nodes: tagVideoRefs('fyp')
          .slice(0, 2)
          .map((r) => ({ videoId: r.id })),
      },
    });
    expect(used).toBe(1);
    const bare = await run(server, `query ($id: ID!) { node(id: $id) { id ... on Hashtag { url } } }`, { id });
    expect(bare.used).toBe(0);
  });

  it('refuses a cursor of one hashtag on another, with no call (H3)', async () => {
    const server = setup();
    const first = await server.gql(`{ hashtag(name: "fyp") { videos(first: 2) { pageInfo { endCursor } } } }`);
    const after = first.data!.hashtag.videos.pageInfo.endCursor;
    const { res, used } = await run(server, `query ($after: String) { hashtag(name: "comedy") { videos(first: 2, after: $after) { nodes { videoId } } } }`, {
      after,
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(used).toBe(0);
  });
});

describe('federation: Hashtag and Video entities', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Hashtag { name url } ... on Video { videoId caption } } }`;

  it('resolves a Hashtag by name for free and a Video by id with its detail', async () => {
    const server = setup();
    const videoId = videoIdFor('khaby.lame', 3);
    const { res, used } = await run(server, ENTITIES, {
      r: [
        { __typename: 'Hashtag', name: '#Comedy' },
        { __typename: 'Video', videoId },
        { __typename: 'Video', videoId },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({ __typename: 'Hashtag', name: 'comedy', url: 'https://www.tiktok.com/tag/comedy' });
    expect(res.data!._entities[1]).toMatchObject({ __typename: 'Video', videoId, caption: expect.any(String) });
    expect(used).toBe(1);
    expect(res.extensions!.upstream.estimatedCredits).toBe(1);
  });

  it('refuses malformed Video and Hashtag keys at their own entry', async () => {
    const server = setup();
    const { res, used } = await run(server, ENTITIES, {
      r: [{ __typename: 'Video', videoId: 'abc' }, { __typename: 'Hashtag' }, { __typename: 'Hashtag', name: 'ok' }],
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(res.errors!.map((e) => e.path)).toEqual([
      ['_entities', 0],
      ['_entities', 1],
    ]);
    expect(res.data!._entities[2]).toEqual({ __typename: 'Hashtag', name: 'ok', url: 'https://www.tiktok.com/tag/ok' });
    expect(used).toBe(0);
  });
});

const SEARCH = `query ($q: String!, $first: Int, $after: String, $order: SearchOrder, $within: PublishedWithin) {
  search(query: $q, first: $first, after: $after, order: $order, publishedWithin: $within) {
    nodes { __typename ... on Video { videoId } ... on User { username } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** What `search` must answer for a sandbox query: its hits, less the item of an unknown type. */
const expectedHits = (query: string, order = 'relevance', published = 'all-time'): Record<string, string>[] =>
  searchHits(query, order, published, SANDBOX_NOW, 0).flatMap((hit): Record<string, string>[] =>
    'video' in hit ? [{ __typename: 'Video', videoId: hit.video.id }] : 'user' in hit ? [{ __typename: 'User', username: hit.user }] : [],
  );

describe('search', () => {
  it('maps a mixed page to Video | User and drops an item of an unknown type (H11)', async () => {
    const server = setup();
    const raw = searchHits(MIXED_QUERY, 'relevance', 'all-time', SANDBOX_NOW, 0);
    expect(raw.some((hit) => 'unknown' in hit)).toBe(true);
    const { res, used } = await run(server, SEARCH, { q: MIXED_QUERY, first: 12 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.search.nodes;
    expect(nodes).toEqual(expectedHits(MIXED_QUERY).slice(0, 12));
    expect(new Set(nodes.map((n: any) => n.__typename))).toEqual(new Set(['Video', 'User']));
    expect(used).toBe(1);
  });

  it('answers an Organization as a User, from its embedded copy', async () => {
    const server = setup();
    const { res, used } = await run(server, `{ search(query: "mixed", first: 6) { nodes { ... on User { username displayName isVerified } } } }`);
    expect(res.errors).toBeUndefined();
    const users = res.data!.search.nodes.filter((n: any) => n.username);
    expect(users.length).toBeGreaterThanOrEqual(2);
    expect(users.every((u: any) => typeof u.displayName === 'string')).toBe(true);
    expect(used).toBe(1); // the copies carry every field asked: no profile call
  });

  it('resumes after an edge, and passes order and time window upstream', async () => {
    const server = setup();
    const all = expectedHits('cats', 'most-liked', 'this-month');
    const first = await run(server, SEARCH, { q: 'cats', first: 5, order: 'MOST_LIKED', within: 'THIS_MONTH' });
    expect(first.res.data!.search.nodes).toEqual(all.slice(0, 5));
    expect(server.sandbox.calls[0]!.path).toBe('/v1/tiktok/search?query=cats&order=most-liked&published=this-month&count=100');
    const next = await run(server, SEARCH, {
      q: 'cats',
      first: 5,
      order: 'MOST_LIKED',
      within: 'THIS_MONTH',
      after: first.res.data!.search.pageInfo.endCursor,
    });
    expect(next.res.data!.search.nodes).toEqual(all.slice(5, 10));
    expect(next.used).toBe(0); // the same page, cached
  });

  it.each([
    ['another query', { q: 'dogs' }],
    ['another order', { q: 'cats', order: 'DATE_POSTED' }],
    ['another time window', { q: 'cats', within: 'YESTERDAY' }],
  ])('refuses a cursor replayed on %s, with no call (H3)', async (_, variables) => {
    const server = setup();
    const first = await server.gql(SEARCH, { q: 'cats', first: 3 });
    const after = first.data!.search.pageInfo.endCursor;
    const before = server.calls();
    const res = await server.gql(SEARCH, { ...variables, first: 3, after });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(server.calls()).toBe(before);
  });

  it('refuses a search cursor on searchVideos and a video-search cursor on search (H3)', async () => {
    const server = setup();
    const mixed = (await server.gql(SEARCH, { q: 'cats', first: 3 })).data!.search.pageInfo.endCursor;
    const videos = (await server.gql(`{ searchVideos(query: "cats", first: 3) { pageInfo { endCursor } } }`)).data!.searchVideos.pageInfo.endCursor;
    const before = server.calls();
    const a = await server.gql(`query ($a: String) { searchVideos(query: "cats", after: $a) { nodes { videoId } } }`, { a: mixed });
    const b = await server.gql(SEARCH, { q: 'cats', after: videos });
    expect([...codes(a), ...codes(b)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(server.calls()).toBe(before);
  });

  it('treats queries differing only in spacing as one list', async () => {
    const server = setup();
    const first = await server.gql(SEARCH, { q: 'cats', first: 3 });
    const { res, used } = await run(server, SEARCH, { q: '  cats ', first: 3, after: first.data!.search.pageInfo.endCursor });
    expect(res.errors).toBeUndefined();
    expect(used).toBe(0);
  });

  it('refuses a blank query before any call', async () => {
    const server = setup();
    const { res, used } = await run(server, SEARCH, { q: '   ' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(used).toBe(0);
  });
});

describe('searchVideos and searchUsers', () => {
  it('searchVideos: one call for up to 100 videos, each a whole video', async () => {
    const server = setup();
    const all = searchVideoRefs('cats', 'relevance', 'all-time', SANDBOX_NOW, 0).map((r) => r.id);
    const { res, used } = await run(server, `{ searchVideos(query: "cats", first: 20) { nodes { videoId viewCount author { username } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.searchVideos.nodes.map((v: any) => v.videoId)).toEqual(all.slice(0, 20));
    expect(used).toBe(1);
  });

  it('estimates the author profile of every video, the ceiling, even when the copies answer (H5)', async () => {
    const server = setup();
    expect(await estimate(server, `{ searchVideos(query: "cats", first: 100) { nodes { author { followerCount } } } }`)).toBe(101);
    expect(await estimate(server, `{ searchVideos(query: "cats", first: 100) { nodes { author { username } } } }`)).toBe(1);
  });

  it('searchUsers: pages of 10, one call each, embedded copies with no profile call', async () => {
    const server = setup();
    const names = searchUserNames('cats');
    expect(names.length).toBeGreaterThan(20);
    const { res, used } = await run(server, `{ searchUsers(query: "cats", first: 25) { nodes { username isVerified } pageInfo { hasNextPage } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.searchUsers.nodes.map((u: any) => u.username)).toEqual(names.slice(0, 25));
    expect(used).toBe(3);
    expect(server.sandbox.calls.every((c) => /^\/v1\/tiktok\/search\/users\?query=cats&count=10/.test(c.path))).toBe(true);
    expect(await estimate(server, `{ searchUsers(query: "cats", first: 100) { nodes { username } } }`)).toBe(10);
  });

  it('refuses a searchUsers cursor on another query (H3)', async () => {
    const server = setup();
    const first = await server.gql(`{ searchUsers(query: "cats", first: 2) { pageInfo { endCursor } } }`);
    const before = server.calls();
    const res = await server.gql(`query ($a: String) { searchUsers(query: "dogs", after: $a) { nodes { username } } }`, {
      a: first.data!.searchUsers.pageInfo.endCursor,
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(server.calls()).toBe(before);
  });
});
