import { describe, expect, it } from 'vitest';
import { codes, setup } from './helpers.js';

const ALL_USER_FIELDS = `
  id username secUid displayName bio url links { href rel } createdAt isPrivate isVerified isLive
  hasLikes hasPlaylists followerCount followingCount likeCount likedCount mediaCount language
  avatar { url width height } avatars { url width height }
`;

describe('Query.user', () => {
  it('returns every profile field of the sample profile, with counts above 2^31 exact', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ user(username: "khaby.lame") { ${ALL_USER_FIELDS} } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user).toEqual({
      id: expect.any(String),
      username: 'khaby.lame',
      secUid: 'MS4wLjABAAAAwAg0rSzO65WQfz4RzQgGv2Xdv108BgPXhRrrmNVIHQZ9PO8-flwwRtEppYTS0OjA',
      displayName: 'Khabane Lame',
      bio: 'Just a guy who reacts',
      url: 'https://www.tiktok.com/@khaby.lame',
      links: [{ href: 'https://linktr.ee/khaby.lame', rel: 'preferred' }],
      createdAt: '2020-03-15T00:00:00.000Z',
      isPrivate: false,
      isVerified: true,
      isLive: false,
      hasLikes: true,
      hasPlaylists: true,
      followerCount: 160300000,
      followingCount: 85,
      likeCount: 2600000000,
      likedCount: 5300,
      mediaCount: 1309,
      language: 'en',
      avatar: { url: 'https://p16-sign.tiktokcdn-us.com/tos-maliva-avt-0068/avatar.jpeg', width: 576, height: 1024 },
      avatars: [{ url: 'https://p16-sign.tiktokcdn-us.com/tos-maliva-avt-0068/avatar.jpeg', width: 576, height: 1024 }],
    });
    expect(res.data!.user.likeCount).toBeGreaterThan(2 ** 31);
    expect(calls()).toBe(1);
  });

  it('answers fields in the order they were selected, sync or async', async () => {
    const { gql } = setup();
    const res = await gql(`{ user(username: "alice") { likeCount id username stories(first: 1) { totalCount } displayName } }`);
    expect(Object.keys(res.data!.user)).toEqual(['likeCount', 'id', 'username', 'stories', 'displayName']);
  });

  it('accepts @name and any case, and treats them as one user', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ a: user(username: "@Khaby.Lame") { username } b: user(username: "KHABY.LAME") { username } }`);
    expect(res.data).toEqual({ a: { username: 'khaby.lame' }, b: { username: 'khaby.lame' } });
    expect(calls()).toBe(1);
  });

  it('answers null for optional fields the upstream leaves out', async () => {
    const { gql } = setup();
    const res = await gql(`{ user(username: "minimal_user") { ${ALL_USER_FIELDS} } }`);
    expect(res.errors).toBeUndefined();
    const user = res.data!.user;
    expect(user).toMatchObject({
      bio: null,
      createdAt: null,
      hasLikes: null,
      hasPlaylists: null,
      likedCount: null,
      language: null,
      avatar: null,
      links: [],
      avatars: [],
    });
    expect(user.displayName).toEqual(expect.any(String));
  });

  it('returns null and NOT_FOUND for a user that does not exist', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ user(username: "nobody") { username } }`);
    expect(res.data).toEqual({ user: null });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.path).toEqual(['user']);
    expect(calls()).toBe(1);
  });

  it.each(['', '@', 'has space', 'a'.repeat(25), 'emoji🙂', 'semi;colon'])('refuses the username %j locally', async (username) => {
    const { gql, calls } = setup();
    const res = await gql(`query ($u: String!) { user(username: $u) { username } }`, { u: username });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/not a TikTok username/);
    expect(calls()).toBe(0);
  });
});

describe('Query.users', () => {
  it('returns one entry per input, in order, with null and an error for the missing ones', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ users(usernames: ["alice", "nobody", "@Bob", "ALICE"]) { username } }`);
    expect(res.data!.users).toEqual([{ username: 'alice' }, null, { username: 'bob' }, { username: 'alice' }]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['users', 1], extensions: { code: 'NOT_FOUND' } });
    expect(calls()).toBe(3);
  });

  it('refuses the whole operation when an entry is malformed, before any call', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ users(usernames: ["alice", "bad name"]) { username } }`);
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'usernames' }, locations: [{ line: 1, column: 3 }] });
    expect(res.errors![0]!.message).toContain('bad name');
    expect(calls()).toBe(0);
  });

  it('refuses a list longer than the configured maximum before any call', async () => {
    const { gql, calls } = setup({ config: { maxListLength: 3 } });
    const res = await gql(`{ users(usernames: ["a", "b", "c", "d"]) { username } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(calls()).toBe(0);
  });
});
