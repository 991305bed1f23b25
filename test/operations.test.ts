/** The example operations, as typed documents from GraphQL Code Generator, run against the server. */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CompareUsersDocument,
  type CompareUsersQuery,
  UserProfileDocument,
  type UserProfileQuery,
  UserStoriesDocument,
  type UserStoriesQuery,
  type UserStoriesQueryVariables,
} from './operations/generated/graphql.js';
import { codes, setup } from './helpers.js';

async function run<R, V>(server: ReturnType<typeof setup>, document: TypedDocumentNode<R, V>, variables: V) {
  const res = await server.gql(print(document), variables as Record<string, unknown>);
  return { ...res, data: res.data as R | undefined };
}

describe('example operations', () => {
  it('UserProfile', async () => {
    const server = setup();
    const { data, errors } = await run(server, UserProfileDocument, { username: '@khaby.lame' });
    expect(errors).toBeUndefined();
    expect(data?.user?.likeCount).toBe(2_600_000_000);
    expect(data?.user?.links?.map((l) => l.href)).toEqual(['https://linktr.ee/khaby.lame']);
  });

  it('UserStories, then the next page', async () => {
    const server = setup();
    const first = await run(server, UserStoriesDocument, { username: 'khaby.lame' });
    const stories = first.data!.user!.stories!;
    expect(stories.edges).toHaveLength(4);
    expect(stories.edges.every((e) => e.node.author.username === 'khaby.lame')).toBe(true);
    const next = await run(server, UserStoriesDocument, { username: 'khaby.lame', after: stories.pageInfo.endCursor });
    const ids = [...stories.edges, ...next.data!.user!.stories!.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(8);
    expect(server.calls()).toBe(2); // the profile and one page of 35 serve both pages
  });

  it('CompareUsers', async () => {
    const server = setup();
    const res = await run(server, CompareUsersDocument, { usernames: ['khaby.lame', 'nobody'] });
    expect(res.data?.users.map((u) => u?.username ?? null)).toEqual(['khaby.lame', null]);
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });
});

// Checked by `tsc -p .` (the first half of `npm test`): the custom scalars reach the typed results as
// their JSON types, in both directions, never as `any` or `unknown`.
describe('typed results use the custom scalars’ mappings', () => {
  type Story = NonNullable<NonNullable<UserStoriesQuery['user']>['stories']>['edges'][number]['node'];
  type Profile = NonNullable<UserProfileQuery['user']>;

  it('SafeInt is a number, DateTime and URL are strings', () => {
    expectTypeOf<Story['viewCount']>().toEqualTypeOf<number>();
    expectTypeOf<Story['publishedAt']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<Profile['avatar']>['url']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<NonNullable<CompareUsersQuery['users'][number]>['followerCount']>>().toEqualTypeOf<number>();
    expectTypeOf<UserStoriesQueryVariables['first']>().toEqualTypeOf<number | null | undefined>();
  });

  it('fields loaded on their own are nullable, the parent’s own fields are not', () => {
    expectTypeOf<Profile['followerCount']>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<Profile['username']>().toEqualTypeOf<string>();
    expectTypeOf<Story['author']['username']>().toEqualTypeOf<string>();
  });
});
