/**
 * Nullability that keeps data: a field that needs its own upstream call (a profile field an embedded
 * copy lacks, audio details, a user's stories) is nullable, so that when that call fails the error
 * stays at the field and its parent and siblings are still answered.
 */
import { describe, expect, it } from 'vitest';
import { type GraphQLResponse, setup } from './helpers.js';

const status503 = () =>
  new Response(JSON.stringify({ errors: [{ code: 'service_unavailable', message: 'Service unavailable' }], data: null }), {
    status: 503,
    headers: { 'content-type': 'application/json', 'x-credits-used': '0', 'x-credits-remaining': '100' },
  });

const pathOf = (input: string) => new URL(input).pathname;

/**
 * A server whose upstream answers 503 for every path matching one of `failing` (a set the test may
 * change between operations), and can rewrite successful bodies.
 */
function server(options: { rewrite?: (path: string, body: any) => any } = {}) {
  const failing = new Set<RegExp>();
  const test = setup({
    wrapFetch: (fetch) => async (input, init) => {
      const path = pathOf(input);
      if ([...failing].some((pattern) => pattern.test(path))) return status503();
      const response = await fetch(input, init);
      if (!options.rewrite || response.status !== 200) return response;
      const body = options.rewrite(path, await response.json());
      return new Response(JSON.stringify(body), { status: 200, headers: response.headers });
    },
  });
  return { ...test, failing };
}

const PROFILE_PATH = /^\/v1\/tiktok\/users\/[^/]+$/;
const STORIES_PATH = /^\/v1\/tiktok\/users\/[^/]+\/stories$/;
const AUDIO_PATH = /^\/v1\/tiktok\/audios\//;

/** The errors' paths and codes, in a stable order. */
const failures = (res: GraphQLResponse) =>
  (res.errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code })).sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));

describe('a failing secondary load stays at its field', () => {
  it('a story author’s profile field: the user, the story and the author’s own fields survive', async () => {
    const { gql, failing } = server();
    failing.add(PROFILE_PATH);
    const res = await gql(
      `{ user(username: "alice") { username stories(first: 1) { totalCount nodes { storyId author { username isVerified followerCount } } } } }`,
    );
    expect(res.data!.user).toMatchObject({
      username: 'alice',
      stories: { nodes: [{ storyId: expect.any(String), author: { username: 'alice', followerCount: null } }] },
    });
    expect(typeof res.data!.user.stories.nodes[0].author.isVerified).toBe('boolean');
    expect(failures(res)).toEqual([{ path: ['user', 'stories', 'nodes', 0, 'author', 'followerCount'], code: 'UPSTREAM_UNAVAILABLE' }]);
  });

  it('the issue: a cached stories page, then the author’s profile fails: data.user and its stories are there', async () => {
    const { gql, failing, advance } = server();
    const warm = await gql(`{ user(username: "alice") { username stories(first: 3) { nodes { storyId } } } }`);
    expect(warm.errors).toBeUndefined();
    advance(1000);
    failing.add(PROFILE_PATH);
    const res = await gql(`{ user(username: "alice") { username stories(first: 3) { nodes { storyId caption author { username followerCount } } } } }`);
    expect(res.data!.user.username).toBe('alice');
    expect(res.data!.user.stories.nodes.map((n: any) => n.storyId)).toEqual(warm.data!.user.stories.nodes.map((n: any) => n.storyId));
    expect(res.data!.user.stories.nodes.every((n: any) => n.author.username === 'alice' && n.author.followerCount === null)).toBe(true);
    expect(failures(res)).toEqual([0, 1, 2].map((i) => ({ path: ['user', 'stories', 'nodes', i, 'author', 'followerCount'], code: 'UPSTREAM_UNAVAILABLE' })));
  });

  it('an audio field the story’s embedded copy lacks: the audio, the story and the user survive', async () => {
    // The embedded copies come without `name`, `url` and images: those fields ask the audio endpoint.
    const { gql, failing } = server({
      rewrite: (path, body) => {
        if (!STORIES_PATH.test(path)) return body;
        for (const story of body.data.orderedItems) {
          if (story.audio) story.audio = { ...story.audio, name: undefined, url: undefined, image: undefined };
        }
        return body;
      },
    });
    failing.add(AUDIO_PATH);
    const res = await gql(
      `{ user(username: "alice") { username stories(first: 1) { nodes { storyId audio { audioId duration title url covers { url } } } } } }`,
    );
    const audio = res.data!.user.stories.nodes[0].audio;
    expect(audio).toMatchObject({ audioId: expect.stringMatching(/^\d+$/), duration: expect.any(Number), title: null, url: null, covers: null });
    const at = ['user', 'stories', 'nodes', 0, 'audio'];
    expect(failures(res)).toEqual(['covers', 'title', 'url'].map((field) => ({ path: [...at, field], code: 'UPSTREAM_UNAVAILABLE' })));
  });

  it('an artist’s profile field: the track and its other fields survive', async () => {
    const { gql, failing } = server();
    failing.add(PROFILE_PATH);
    const res = await gql(`{ audio(audioId: "7000000000000000001") { audioId title authors { username followerCount } } }`);
    expect(res.data!.audio).toMatchObject({ audioId: '7000000000000000001', title: expect.any(String) });
    const authors = res.data!.audio.authors as { username: string; followerCount: number | null }[];
    expect(authors.length).toBeGreaterThan(0);
    expect(authors.every((a) => typeof a.username === 'string' && a.followerCount === null)).toBe(true);
    expect(failures(res)).toEqual(authors.map((_, i) => ({ path: ['audio', 'authors', i, 'followerCount'], code: 'UPSTREAM_UNAVAILABLE' })));
  });

  it('a user’s stories: the profile survives', async () => {
    const { gql, failing } = server();
    failing.add(STORIES_PATH);
    const res = await gql(`{ user(username: "alice") { username displayName stories(first: 2) { nodes { storyId } } } }`);
    expect(res.data!.user).toMatchObject({ username: 'alice', displayName: expect.any(String), stories: null });
    expect(failures(res)).toEqual([{ path: ['user', 'stories'], code: 'UPSTREAM_UNAVAILABLE' }]);
  });

  it('an author’s stories, reached through a story: the story survives', async () => {
    const { gql, failing } = server();
    const warm = await gql(`{ user(username: "bob") { stories(first: 1) { nodes { id } } } }`);
    expect(warm.errors).toBeUndefined();
    const storyId = warm.data!.user.stories.nodes[0].id;
    failing.add(STORIES_PATH);
    // bob has 91 stories: the first page is cached, the second (past 35) needs a call, which fails.
    const res = await gql(`query ($id: ID!) { node(id: $id) { ... on Story { storyId author { username stories(first: 40) { totalCount } } } } }`, {
      id: storyId,
    });
    expect(res.data!.node).toMatchObject({ storyId: expect.any(String), author: { username: 'bob', stories: null } });
    expect(failures(res)).toEqual([{ path: ['node', 'author', 'stories'], code: 'UPSTREAM_UNAVAILABLE' }]);
  });

  it('node(id:) refetches: a story whose author’s profile fails, a user whose stories fail', async () => {
    const { gql, failing } = server();
    const warm = await gql(`{ user(username: "bob") { id stories(first: 1) { nodes { id } } } }`);
    const userId = warm.data!.user.id;
    const storyId = warm.data!.user.stories.nodes[0].id;

    failing.add(PROFILE_PATH);
    const story = await gql(`query ($id: ID!) { node(id: $id) { id ... on Story { storyId author { username followerCount } } } }`, { id: storyId });
    expect(story.data!.node).toMatchObject({ id: storyId, storyId: expect.any(String), author: { username: 'bob', followerCount: null } });
    expect(failures(story)).toEqual([{ path: ['node', 'author', 'followerCount'], code: 'UPSTREAM_UNAVAILABLE' }]);

    failing.clear();
    failing.add(STORIES_PATH);
    const user = await gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { displayName stories(first: 40) { totalCount } } } }`, {
      ids: [userId, userId],
    });
    expect(user.data!.nodes).toEqual([
      { id: userId, displayName: expect.any(String), stories: null },
      { id: userId, displayName: expect.any(String), stories: null },
    ]);
    expect(failures(user)).toEqual([
      { path: ['nodes', 0, 'stories'], code: 'UPSTREAM_UNAVAILABLE' },
      { path: ['nodes', 1, 'stories'], code: 'UPSTREAM_UNAVAILABLE' },
    ]);
  });

  it('users entries: each entry keeps its profile when its stories fail', async () => {
    const { gql, failing } = server();
    failing.add(/^\/v1\/tiktok\/users\/bob\/stories$/);
    const res = await gql(`{ users(usernames: ["alice", "bob"]) { username displayName stories(first: 1) { totalCount } } }`);
    expect(res.data!.users).toEqual([
      { username: 'alice', displayName: expect.any(String), stories: { totalCount: expect.any(Number) } },
      { username: 'bob', displayName: expect.any(String), stories: null },
    ]);
    expect(failures(res)).toEqual([{ path: ['users', 1, 'stories'], code: 'UPSTREAM_UNAVAILABLE' }]);
  });

  it('_entities entries: a User entity keeps its profile when its stories fail, an Audio keeps its title when an artist fails', async () => {
    const { gql, failing } = server();
    failing.add(STORIES_PATH);
    failing.add(/^\/v1\/tiktok\/users\/(?!alice$)[^/]+$/);
    const res = await gql(
      `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on User { username displayName stories(first: 1) { totalCount } }
        ... on Audio { audioId title authors { username followerCount } } } }`,
      {
        r: [
          { __typename: 'User', username: 'alice' },
          { __typename: 'Audio', audioId: '7000000000000000001' },
        ],
      },
    );
    const [user, audio] = res.data!._entities;
    expect(user).toEqual({ username: 'alice', displayName: expect.any(String), stories: null });
    expect(audio).toMatchObject({ audioId: '7000000000000000001', title: expect.any(String) });
    const failed = (audio.authors as { username: string; followerCount: number | null }[]).flatMap((a, i) =>
      a.followerCount === null ? [{ path: ['_entities', 1, 'authors', i, 'followerCount'], code: 'UPSTREAM_UNAVAILABLE' }] : [],
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failures(res)).toEqual([{ path: ['_entities', 0, 'stories'], code: 'UPSTREAM_UNAVAILABLE' }, ...failed]);
  });
});
