/**
 * Collections: `User.collections`, a collection's fields and videos, its owner, and `node(id:)`, which
 * looks a collection up in its owner's list only when a field needs that entry (H13).
 */
import { describe, expect, it } from 'vitest';
import { collectionIdFor, videoIdFor } from '../src/sandbox/ids.js';
import { type ListQuery, type Slice, sparseSlice } from '../src/sandbox/pages.js';
import { collectionAt, collectionCount, collectionVideoRefs } from '../src/sandbox/social.js';
import { encodeGlobalID } from '../src/schema/global-ids.js';
import { codes, setup, runWithinEstimate as run, upstreamPaths as paths } from './helpers.js';

const collectionNodeId = (owner: string, index: number) => encodeGlobalID('Collection', `${owner}:${collectionIdFor(owner, index)}`);

describe('User.collections', () => {
  it('maps every field of the owner’s list from one call: no profile call when the entries’ owner copy answers', async () => {
    const server = setup();
    const { res, used } = await run(
      server,
      `{ user(username: "khaby.lame") { collections(first: 10) { totalCount nodes {
        id collectionId name url videoCount cover { url } covers { url } owner { username displayName }
      } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const count = collectionCount('khaby.lame');
    const nodes = res.data!.user.collections.nodes;
    expect(res.data!.user.collections.totalCount).toBe(count);
    expect(nodes).toHaveLength(Math.min(10, count));
    const raw = collectionAt('khaby.lame', 0);
    expect(nodes[0]).toEqual({
      id: collectionNodeId('khaby.lame', 0),
      collectionId: raw.entityId,
      name: raw.name,
      url: raw.id,
      videoCount: raw.totalItems,
      cover: { url: raw.image![0]!.url },
      covers: raw.image!.map((i) => ({ url: i.url })),
      owner: { username: 'khaby.lame', displayName: 'Khabane Lame' },
    });
    // The contract allows `totalItems: null` on an entry: `videoCount` is then null, not an error.
    expect(nodes[3].videoCount).toBeNull();
    expect(used).toBe(1); // one page of collections; its entries embed the owner's name
  });

  it('loads the owner’s profile once for a field the copies lack, at the same time as the list', async () => {
    const server = setup();
    const query = `{ user(username: "khaby.lame") { collections(first: 5) { nodes { owner { followerCount } } } } }`;
    const { res, used } = await run(server, query);
    expect(res.errors).toBeUndefined();
    expect(new Set(res.data!.user.collections.nodes.map((n: any) => n.owner.followerCount)).size).toBe(1);
    expect(used).toBe(2);
    const withProfile = await run(setup(), `{ user(username: "khaby.lame") { followerCount collections(first: 5) { nodes { owner { followerCount } } } } }`);
    expect(withProfile.used).toBe(2); // the profile the user field loaded answers every owner
  });

  it('reads a collection’s videos in pages of 35', async () => {
    const server = setup();
    const expected = collectionVideoRefs('khaby.lame', 0).map((r) => r.id);
    const { res, used } = await run(server, `{ user(username: "khaby.lame") { collections(first: 1) { nodes { videos(first: 3) { nodes { videoId } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.collections.nodes[0].videos.nodes.map((v: any) => v.videoId)).toEqual(expected.slice(0, 3));
    expect(used).toBe(2); // the list, then the collection's first page (no profile field is read)
    expect(paths(server)).toContain(`/v1/tiktok/collections/${collectionIdFor('khaby.lame', 0)}?count=35`);
  });

  it('loads the owner’s profile once for the whole list when the parent user is an embedded copy', async () => {
    const server = setup();
    const videoId = videoIdFor('khaby.lame', 2);
    const query = `{ video(videoId: "${videoId}") { author { collections(first: 5) { nodes { name owner { followerCount } } } } } }`;
    const { res, used } = await run(server, query);
    expect(res.errors).toBeUndefined();
    expect(res.data!.video.author.collections.nodes).toHaveLength(5);
    expect(used).toBe(3); // the video, the collections page, one profile for five owners
    expect(res.extensions!.upstream.estimatedCredits).toBe(3);
  });

  it.each([1, 29, 30, 31, 100])('reads no more pages than estimated on empty and half pages, first: %i (H1)', async (first) => {
    const server = setup();
    const { res, used } = await run(
      server,
      `{ user(username: "sparse_pages") { collections(first: ${first}) { nodes { collectionId } pageInfo { hasNextPage } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(used).toBe(Math.ceil(first / 30)); // the estimate's pages: each one read even when short
    expect(res.data!.user.collections.nodes.length).toBeLessThanOrEqual(first);
    expect(res.data!.user.collections.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses a cursor of one user’s collections on another user’s, with no call (H3)', async () => {
    const server = setup();
    const first = await server.gql(`{ user(username: "khaby.lame") { collections(first: 1) { pageInfo { endCursor } } } }`);
    const before = server.calls();
    const res = await server.gql(`query ($a: String) { user(username: "alice") { username collections(after: $a) { nodes { name } } } }`, {
      a: first.data!.user.collections.pageInfo.endCursor,
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(server.calls()).toBe(before);
  });

  it('refuses a cursor of one collection’s videos on another collection, with no call (H3)', async () => {
    const server = setup();
    const [a, b] = [collectionNodeId('khaby.lame', 0), collectionNodeId('khaby.lame', 1)];
    const query = `query ($id: ID!, $after: String) { node(id: $id) { ... on Collection { videos(first: 1, after: $after) { pageInfo { endCursor } } } } }`;
    const first = await server.gql(query, { id: a });
    const before = server.calls();
    const res = await server.gql(query, { id: b, after: first.data!.node.videos.pageInfo.endCursor });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(server.calls()).toBe(before);
  });
});

describe('node(id:) of a collection (H13)', () => {
  const NODE = (fields: string) => `query ($id: ID!) { node(id: $id) { id ... on Collection { ${fields} } } }`;

  it('makes no scan call when only id, collectionId and videos are selected', async () => {
    const server = setup();
    const id = collectionNodeId('khaby.lame', 0);
    const bare = await run(server, NODE('collectionId'), { id });
    expect(bare.res.data!.node).toEqual({ id, collectionId: collectionIdFor('khaby.lame', 0) });
    expect(bare.used).toBe(0);
    const { res, used } = await run(server, NODE('videos(first: 2) { nodes { videoId } }'), { id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.node.videos.nodes.map((v: any) => v.videoId)).toEqual(
      collectionVideoRefs('khaby.lame', 0)
        .slice(0, 2)
        .map((r) => r.id),
    );
    expect(used).toBe(1);
    expect(paths(server).some((p) => p.includes('/users/'))).toBe(false);
  });

  it('scans the owner’s list for the other fields: one page when the entry is on it', async () => {
    const server = setup();
    const raw = collectionAt('khaby.lame', 2);
    const { res, used } = await run(server, NODE('name videoCount owner { username displayName }'), { id: collectionNodeId('khaby.lame', 2) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toMatchObject({ name: raw.name, videoCount: raw.totalItems, owner: { username: 'khaby.lame', displayName: 'Khabane Lame' } });
    expect(used).toBe(1); // the entry's embedded owner has a display name: no profile call
  });

  it('scans at most 3 pages, then answers NOT_FOUND', async () => {
    const server = setup();
    // sparse_pages serves its collections on an empty page, a half page, an empty one...: beyond three pages,
    // a collection that exists is not found.
    const all = Array.from({ length: collectionCount('sparse_pages') }, (_, i) => i);
    const onFirstPages: number[] = [];
    let cursor: string | null = '0';
    for (let page = 0; page < 3 && cursor !== null; page++) {
      const slice: Slice<number> = sparseSlice(all, { cursor, count: 30 } as ListQuery);
      onFirstPages.push(...slice.items);
      cursor = slice.nextCursor;
    }
    const beyond = collectionCount('sparse_pages') - 1;
    expect(onFirstPages).not.toContain(beyond);
    const { res, used } = await run(server, NODE('name'), { id: collectionNodeId('sparse_pages', beyond) });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.data!.node).toBeNull();
    expect(used).toBe(3);
    expect(res.extensions!.upstream.estimatedCredits).toBe(3);
    const found = await run(server, NODE('name'), { id: collectionNodeId('sparse_pages', onFirstPages[0]!) });
    expect(found.res.data!.node.name).toBe(collectionAt('sparse_pages', onFirstPages[0]!).name);
    expect(found.used).toBe(0); // the pages scanned are cached
  });

  it('is NOT_FOUND at `videos` when TikTok has no such collection', async () => {
    const server = setup();
    const { res, used } = await run(server, NODE('videos { nodes { videoId } }'), { id: collectionNodeId('khaby.lame', 99) });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.path).toEqual(['node', 'videos']);
    expect(used).toBe(1);
  });

  it('refuses malformed collection ids without a call', async () => {
    const server = setup();
    for (const local of ['khaby.lame', 'khaby.lame:abc', 'khaby.lame:1:2', 'bad name!:123']) {
      const { res, used } = await run(server, NODE('name'), { id: encodeGlobalID('Collection', local) });
      expect(codes(res), local).toEqual(['BAD_USER_INPUT']);
      expect(used).toBe(0);
    }
  });
});
