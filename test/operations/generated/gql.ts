/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CompareUsers($usernames: [String!]!) {\n  users(usernames: $usernames) {\n    username\n    followerCount\n    likeCount\n    mediaCount\n  }\n}": typeof types.CompareUsersDocument,
    "query UserProfile($username: String!) {\n  user(username: $username) {\n    id\n    username\n    displayName\n    isVerified\n    followerCount\n    likeCount\n    bio\n    links {\n      href\n    }\n    avatar {\n      url\n    }\n  }\n}": typeof types.UserProfileDocument,
    "query UserStories($username: String!, $first: Int = 4, $after: String) {\n  user(username: $username) {\n    displayName\n    stories(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...StoryCard\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nfragment StoryCard on Story {\n  id\n  kind\n  caption\n  publishedAt\n  viewCount\n  author {\n    username\n    displayName\n  }\n  audio {\n    title\n    authors {\n      username\n    }\n  }\n}": typeof types.UserStoriesDocument,
};
const documents: Documents = {
    "query CompareUsers($usernames: [String!]!) {\n  users(usernames: $usernames) {\n    username\n    followerCount\n    likeCount\n    mediaCount\n  }\n}": types.CompareUsersDocument,
    "query UserProfile($username: String!) {\n  user(username: $username) {\n    id\n    username\n    displayName\n    isVerified\n    followerCount\n    likeCount\n    bio\n    links {\n      href\n    }\n    avatar {\n      url\n    }\n  }\n}": types.UserProfileDocument,
    "query UserStories($username: String!, $first: Int = 4, $after: String) {\n  user(username: $username) {\n    displayName\n    stories(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...StoryCard\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nfragment StoryCard on Story {\n  id\n  kind\n  caption\n  publishedAt\n  viewCount\n  author {\n    username\n    displayName\n  }\n  audio {\n    title\n    authors {\n      username\n    }\n  }\n}": types.UserStoriesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CompareUsers($usernames: [String!]!) {\n  users(usernames: $usernames) {\n    username\n    followerCount\n    likeCount\n    mediaCount\n  }\n}"): (typeof documents)["query CompareUsers($usernames: [String!]!) {\n  users(usernames: $usernames) {\n    username\n    followerCount\n    likeCount\n    mediaCount\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserProfile($username: String!) {\n  user(username: $username) {\n    id\n    username\n    displayName\n    isVerified\n    followerCount\n    likeCount\n    bio\n    links {\n      href\n    }\n    avatar {\n      url\n    }\n  }\n}"): (typeof documents)["query UserProfile($username: String!) {\n  user(username: $username) {\n    id\n    username\n    displayName\n    isVerified\n    followerCount\n    likeCount\n    bio\n    links {\n      href\n    }\n    avatar {\n      url\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserStories($username: String!, $first: Int = 4, $after: String) {\n  user(username: $username) {\n    displayName\n    stories(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...StoryCard\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nfragment StoryCard on Story {\n  id\n  kind\n  caption\n  publishedAt\n  viewCount\n  author {\n    username\n    displayName\n  }\n  audio {\n    title\n    authors {\n      username\n    }\n  }\n}"): (typeof documents)["query UserStories($username: String!, $first: Int = 4, $after: String) {\n  user(username: $username) {\n    displayName\n    stories(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...StoryCard\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nfragment StoryCard on Story {\n  id\n  kind\n  caption\n  publishedAt\n  viewCount\n  author {\n    username\n    displayName\n  }\n  audio {\n    title\n    authors {\n      username\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;