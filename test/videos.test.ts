/**
 * Videos: a user's lists (videos, likes, reposts, followers), the root lookups, and the hazards of the
 * design (docs in the README): calls at the minimum, estimates never below what is spent, cursors that
 * resume exactly and are refused on another list, short pages, exact big ids and counts.
 */
import { describe, expect, it } from 'vitest';
import { roundTripProbe } from '../bench/round-trips.js';
import { encodeGlobalID } from '../src/schema/global-ids.js';
import { VIRAL_VIEWS } from '../src/sandbox/videos.js';
import { testConfig } from '../src/config.js';
import { codes, setup } from './helpers.js';

const spent = (res: { extensions?: Record<string, any> }) => res.extensions!.upstream as { requests: number; creditsUsed: number; estimatedCredits: number };

describe('a user’s videos', () => {
  it('35 videos with their author’s profile: 2 calls, started together, the author loaded once', async () => {
    const probe = roundTripProbe();
    const { gql, sandbox } = setup({ wrapFetch: (fetch) => probe.wrap(fetch) });
    const res = await gql(`{ user(username: "khaby.lame") { displayName videos(first: 35) { nodes { videoId author { displayName followerCount } } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.user.videos.nodes;
    expect(nodes).toHaveLength(35);
    expect(new Set(nodes.map((n: any) => n.author.displayName))).toEqual(new Set(['Khabane Lame']));
    expect(sandbox.calls.map((c) => c.path).sort()).toEqual(['/v1/tiktok/users/khaby.lame', '/v1/tiktok/users/khaby.lame/videos?order=newest&count=35']);
    expect(spent(res)).toMatchObject({ requests: 2, estimatedCredits: 2 });
    expect(probe.roundTrips()).toBe(1);
  });

  it('without profile fields, the videos page alone answers (1 call)', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ user(username: "khaby.lame") { username videos(first: 5) { nodes { videoId author { username } } } } }`);
    expect(res.data!.user.videos.nodes).toHaveLength(5);
    expect(calls()).toBe(1);
    expect(spent(res).estimatedCredits).toBe(1);
  });

  it.each([1, 7, 34, 35, 36])('walking by first: %i yields the one-walk list, without repeats or gaps', async (k) => {
    const { gql } = setup();
    const all = await gql(`{ user(username: "khaby.lame") { videos(first: 100, order: POPULAR) { nodes { videoId } } } }`);
    const expected = all.data!.user.videos.nodes.map((n: any) => n.videoId);
    const walked: string[] = [];
    let after: string | null = null;
    while (walked.length < expected.length) {
      const page: any = await gql(
        `query ($after: String, $k: Int) { user(username: "khaby.lame") { videos(first: $k, after: $after, order: POPULAR) { edges { cursor node { videoId } } pageInfo { hasNextPage endCursor } } } }`,
        { after, k },
      );
      expect(page.errors).toBeUndefined();
      expect(spent(page).creditsUsed).toBeLessThanOrEqual(spent(page).estimatedCredits);
      walked.push(...page.data.user.videos.edges.map((e: any) => e.node.videoId));
      after = page.data.user.videos.pageInfo.endCursor;
      if (!page.data.user.videos.pageInfo.hasNextPage) break;
    }
    expect(walked.slice(0, expected.length)).toEqual(expected);
  });

  it('a cursor replayed on another order, list or user is BAD_USER_INPUT with 0 calls (H3)', async () => {
    const { gql, calls } = setup();
    const first = await gql(`{ user(username: "khaby.lame") { videos(first: 2) { pageInfo { endCursor } } } }`);
    const cursor = first.data!.user.videos.pageInfo.endCursor;
    const before = calls();
    for (const misuse of [
      `videos(first: 2, after: $c, order: POPULAR) { nodes { videoId } }`,
      `likedVideos(first: 2, after: $c) { nodes { videoId } }`,
      `reposts(first: 2, after: $c) { nodes { videoId } }`,
      `stories(first: 2, after: $c) { nodes { storyId } }`,
    ]) {
      const res = await gql(`query ($c: String) { user(username: "khaby.lame") { username ${misuse} } }`, { c: cursor });
      expect(codes(res), misuse).toEqual(['BAD_USER_INPUT']);
    }
    const other = await gql(`query ($c: String) { user(username: "alice") { videos(first: 2, after: $c) { nodes { videoId } } } }`, { c: cursor });
    expect(codes(other)).toEqual(['BAD_USER_INPUT']);
    expect(calls()).toBe(before);
  });

  it('short and empty pages with a next cursor: never more pages than estimated, no error (H1)', async () => {
    const { gql } = setup();
    for (const first of [1, 7, 34, 35, 36, 100]) {
      for (const list of ['videos', 'likedVideos', 'followers']) {
        const node = list === 'followers' ? 'username' : 'videoId';
        const res = await gql(`{ user(username: "sparse_pages") { ${list}(first: ${first}) { nodes { ${node} } pageInfo { hasNextPage } } } }`);
        expect(res.errors, `${list} ${first}`).toBeUndefined();
        expect(spent(res).creditsUsed, `${list} ${first}`).toBeLessThanOrEqual(spent(res).estimatedCredits);
        const { nodes, pageInfo } = res.data!.user[list];
        if (nodes.length < first) expect(pageInfo.hasNextPage || nodes.length === 40).toBe(true);
      }
    }
  });

  it('private likes: an empty page; no call at all when the copy in hand already says so (H6)', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ user(username: "private_likes") { hasLikes likedVideos(first: 5) { nodes { videoId } } } }`);
    expect(res.data!.user).toEqual({ hasLikes: false, likedVideos: { nodes: [] } });
    const before = calls();
    const followers = await gql(`{ user(username: "khaby.lame") { followers(first: 30) { nodes { hasLikes likedVideos(first: 1) { nodes { videoId } } } } } }`);
    expect(followers.errors).toBeUndefined();
    const nodes = followers.data!.user.followers.nodes;
    const hidden = nodes.filter((n: any) => n.hasLikes === false);
    expect(hidden.length).toBeGreaterThan(0);
    for (const n of hidden) expect(n.likedVideos.nodes).toEqual([]);
    // The followers page, then one likes page per follower whose copy does not say its likes are hidden.
    expect(calls() - before).toBe(1 + nodes.length - hidden.length);
    expect(spent(followers).estimatedCredits).toBeGreaterThanOrEqual(spent(followers).creditsUsed);
  });

  it('followers are embedded copies: the five copied fields cost nothing, any other loads each profile once', async () => {
    const { gql, calls } = setup();
    const cheap = await gql(`{ user(username: "khaby.lame") { followers(first: 30) { nodes { username isVerified } } } }`);
    expect(cheap.data!.user.followers.nodes).toHaveLength(30);
    expect(calls()).toBe(1);
    const full = await gql(`{ user(username: "khaby.lame") { followers(first: 3) { nodes { username bio } } } }`);
    expect(full.errors).toBeUndefined();
    expect(spent(full).creditsUsed).toBeLessThanOrEqual(spent(full).estimatedCredits);
    expect(spent(full).estimatedCredits).toBe(1 + 3);
  });
});

describe('root lookups', () => {
  it('video(videoId) costs 1 call; only id, videoId and comments cost the comments page alone', async () => {
    const { gql, sandbox } = setup();
    const list = await gql(`{ user(username: "viral") { videos(first: 2) { nodes { videoId viewCount } } } }`);
    const [top] = list.data!.user.videos.nodes;
    // H9: over 2^31, exact.
    expect(top.viewCount).toBe(VIRAL_VIEWS);
    sandbox.calls.length = 0;
    const detail = await gql(`query ($v: String!) { video(videoId: $v) { videoId viewCount author { username } } }`, { v: top.videoId });
    expect(detail.data!.video).toEqual({ videoId: top.videoId, viewCount: VIRAL_VIEWS, author: { username: 'viral' } });
    expect(sandbox.calls.map((c) => c.path)).toEqual([`/v1/tiktok/videos/${top.videoId}`]);
    sandbox.calls.length = 0;
    const comments = await gql(`query ($v: String!) { video(videoId: $v) { id videoId comments(first: 3) { nodes { text } } } }`, { v: top.videoId });
    expect(comments.data!.video.comments.nodes).toHaveLength(3);
    expect(sandbox.calls.map((c) => c.path)).toEqual([`/v1/tiktok/videos/${top.videoId}/comments?count=50`]);
  });

  it('19-digit ids stay exact through node ids, cursors and videos(videoIds); a missing one is null with NOT_FOUND', async () => {
    const { gql } = setup();
    const list = await gql(`{ user(username: "khaby.lame") { videos(first: 2) { nodes { id videoId } } } }`);
    const [a, b] = list.data!.user.videos.nodes;
    expect(a.videoId).toMatch(/^\d{19}$/);
    expect(a.id).toBe(encodeGlobalID('Video', a.videoId));
    const node = await gql(`query ($id: ID!) { node(id: $id) { ... on Video { videoId } } }`, { id: a.id });
    expect(node.data!.node).toEqual({ videoId: a.videoId });
    const many = await gql(`query ($ids: [String!]!) { videos(videoIds: $ids) { videoId } }`, { ids: [b.videoId, '7999999999999999999', a.videoId] });
    expect(many.data!.videos).toEqual([{ videoId: b.videoId }, null, { videoId: a.videoId }]);
    expect(many.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['videos', 1], 'NOT_FOUND']]);
  });

  it('refuses malformed ids before any call', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ video(videoId: "12ab") { videoId } videos(videoIds: ["1", "../x"]) { videoId } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(calls()).toBe(0);
  });
});

describe('comments and replies', () => {
  it('replies: none asked for a reply or a comment with replyCount 0; the estimate covers the rest', async () => {
    const { gql } = setup();
    const res = await gql(
      `{ user(username: "khaby.lame") { videos(first: 1) { nodes { comments(first: 20) { nodes { replyCount replies(first: 5) { nodes { isReply replies(first: 5) { nodes { text } } } } } } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const comments = res.data!.user.videos.nodes[0].comments.nodes;
    const withReplies = comments.filter((c: any) => c.replyCount > 0).length;
    // 1 videos page + 1 comments page + 1 replies page per comment with replies; a reply's replies cost nothing.
    expect(spent(res).creditsUsed).toBe(2 + withReplies);
    expect(spent(res).estimatedCredits).toBeGreaterThanOrEqual(spent(res).creditsUsed);
    for (const c of comments) for (const r of c.replies.nodes) expect(r).toEqual({ isReply: true, replies: { nodes: [] } });
  });

  it('comments(first: 100) { replies(first: 100) } is refused before any call (202 credits > the cap) (H4)', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ video(videoId: "7084819792000000148") { comments(first: 100) { nodes { replies(first: 100) { nodes { text } } } } } }`);
    expect(codes(res)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(calls()).toBe(0);
  });

  it('on comments that move between fetches, a cursor never yields its own comment again (H2)', async () => {
    const { gql, advance } = setup();
    const list = await gql(`{ user(username: "busy_comments") { videos(first: 1) { nodes { videoId } } } }`);
    const videoId = list.data!.user.videos.nodes[0].videoId;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 4; i++) {
      advance(3 * 60_000); // past the page's lifetime: each page is fetched again, and has moved
      const page: any = await gql(
        `query ($v: String!, $after: String) { video(videoId: $v) { comments(first: 5, after: $after) { edges { cursor node { commentId } } } } }`,
        { v: videoId, after },
      );
      expect(page.errors).toBeUndefined();
      const ids = page.data.video.comments.edges.map((e: any) => e.node.commentId);
      if (after !== null) expect(ids).not.toContain(seen.at(-1));
      seen.push(...ids);
      after = page.data.video.comments.edges.at(-1).cursor;
    }
  });

  it('a comment refetches through node(id:)', async () => {
    const { gql } = setup();
    const res = await gql(`{ video(videoId: "7084819792000000148") { comments(first: 2) { nodes { id commentId text } } } }`);
    const [first] = res.data!.video.comments.nodes;
    const node = await gql(`query ($id: ID!) { node(id: $id) { ... on Comment { commentId text video { videoId } } } }`, { id: first.id });
    expect(node.data!.node).toEqual({ commentId: first.commentId, text: first.text, video: { videoId: '7084819792000000148' } });
  });
});

describe('a failing list keeps its parent', () => {
  it.each([
    ['videos', '/videos?', 'videos(first: 2) { nodes { videoId } }'],
    ['likedVideos', '/likes?', 'likedVideos(first: 2) { nodes { videoId } }'],
    ['followers', '/followers?', 'followers(first: 2) { nodes { username } }'],
  ])('%s failing is null at its own path; the user and its siblings answer', async (field, fragment, selection) => {
    const failing = (fetch: (input: string, init?: RequestInit) => Promise<Response>) => (input: string, init?: RequestInit) =>
      input.includes(fragment)
        ? Promise.resolve(new Response(JSON.stringify({ errors: [{ code: 'platform_error', message: 'TikTok failed' }] }), { status: 503 }))
        : fetch(input, init);
    const { gql } = setup({ wrapFetch: failing, config: { resilience: { ...testConfig().resilience, maxRetries: 0 } } });
    const res = await gql(`{ user(username: "khaby.lame") { displayName ${selection} stories(first: 1) { nodes { storyId } } } }`);
    expect(res.data!.user.displayName).toBe('Khabane Lame');
    expect(res.data!.user[field]).toBeNull();
    expect(res.data!.user.stories.nodes).toHaveLength(1);
    expect(res.errors!.map((e) => [e.path, e.extensions!.code])).toEqual([[['user', field], 'UPSTREAM_UNAVAILABLE']]);
  });
});

describe('lists of many authors', () => {
  it('a hashtag’s videos with their authors’ profiles: 1 page and 1 profile per distinct author (H5)', async () => {
    const { gql, sandbox } = setup();
    const res = await gql(`{ hashtag(name: "dance") { videos(first: 30) { nodes { author { username displayName followerCount } } } } }`);
    expect(res.errors).toBeUndefined();
    const authors = new Set(res.data!.hashtag.videos.nodes.map((n: any) => n.author.username));
    expect(authors.size).toBeGreaterThan(1);
    const paths = sandbox.calls.map((c) => c.path);
    expect(paths.filter((p) => p.startsWith('/v1/tiktok/tags/'))).toHaveLength(1);
    // Copies that hold displayName and followerCount answer without a profile: at most one per distinct author.
    expect(paths.filter((p) => /^\/v1\/tiktok\/users\/[^/]+$/.test(p)).length).toBeLessThanOrEqual(authors.size);
    expect(spent(res).estimatedCredits).toBe(1 + 30);
  });

  it('on search results that move between fetches, a cursor never yields its own item again (H2)', async () => {
    const { gql, advance } = setup();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      advance(11 * 60_000); // past the page's lifetime: each page is fetched again, and has moved
      const page: any = await gql(`query ($after: String) { searchVideos(query: "drifting", first: 5, after: $after) { edges { cursor node { videoId } } } }`, {
        after,
      });
      expect(page.errors).toBeUndefined();
      const ids = page.data.searchVideos.edges.map((e: any) => e.node.videoId);
      if (after !== null) expect(ids).not.toContain(seen.at(-1));
      seen.push(...ids);
      after = page.data.searchVideos.edges.at(-1).cursor;
    }
    expect(seen.length).toBe(15);
  });
});
