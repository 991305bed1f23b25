/**
 * Apollo Client (InMemoryCache, `relayStylePagination` on `User.stories`) against the real server
 * process over HTTP: a `fetchMore` walk through every page merges into the same list the server gives
 * in one request, normalised under the ids the server hands out, for the minimum of upstream calls.
 */
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeGlobalID } from '../../src/schema/global-ids.js';
import { BUSY_USER, type RealServer, fullStoryList, sandboxStoryIds, startRealServer, storyPageCalls } from './real-server.js';

const USER_STORIES = gql`
  query UserStories($username: String!, $first: Int!, $after: String) {
    user(username: $username) {
      id
      username
      displayName
      stories(first: $first, after: $after) {
        totalCount
        edges {
          cursor
          node {
            id
            storyId
            caption
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

interface StoriesData {
  user: {
    id: string;
    username: string;
    displayName: string | null;
    stories: {
      totalCount: number | null;
      edges: { cursor: string; node: { id: string; storyId: string; caption: string | null } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
}

let real: RealServer;
const requests: string[] = [];
let client: ApolloClient;

beforeAll(async () => {
  real = await startRealServer();
  client = new ApolloClient({
    link: new HttpLink({
      uri: real.server.url,
      fetch: (input, init) => {
        requests.push(String(init?.body));
        return fetch(input, init);
      },
    }),
    cache: new InMemoryCache({ typePolicies: { User: { fields: { stories: relayStylePagination() } } } }),
  });
});

afterAll(async () => {
  client?.stop();
  await real?.close();
});

describe('Apollo Client with relayStylePagination', () => {
  it('walks every page with fetchMore into one list equal to the whole list, in order, without duplicates', async () => {
    real.resetCalls();
    const watched = client.watchQuery<StoriesData>({ query: USER_STORIES, variables: { username: BUSY_USER, first: 15 } });
    const results: StoriesData[] = [];
    let loaded!: (data: StoriesData) => void;
    const firstPage = new Promise<StoriesData>((resolve) => (loaded = resolve));
    const subscription = watched.subscribe((result) => {
      if (result.dataState !== 'complete') return;
      results.push(result.data as StoriesData);
      loaded(result.data as StoriesData);
    });
    try {
      let data = await firstPage;
      let pages = 1;
      while (data.user.stories.pageInfo.hasNextPage) {
        const before = data.user.stories.edges.length;
        await watched.fetchMore({ variables: { after: data.user.stories.pageInfo.endCursor } });
        // fetchMore resolves with its own page; the cache holds the merged list (watchers hear of it a tick later).
        data = client.readQuery<StoriesData>({ query: USER_STORIES, variables: { username: BUSY_USER, first: 15 } })!;
        // The merged list grows by one page each time (15, or what remains).
        expect(data.user.stories.edges.length).toBe(Math.min(before + 15, 100));
        pages++;
        expect(pages).toBeLessThan(20);
      }
      expect(pages).toBe(7); // 6 × 15 + 10
      const merged = data.user.stories.edges.map((e) => e.node);
      const whole = await fullStoryList(real.server, BUSY_USER);
      expect(merged.map((n) => n.id)).toEqual(whole.map((n) => n.id));
      expect(new Set(merged.map((n) => n.id)).size).toBe(100);
      expect(merged.map((n) => n.storyId)).toEqual(sandboxStoryIds(BUSY_USER));
      expect(data.user.stories.totalCount).toBe(100);
      expect(data.user.stories.pageInfo.hasNextPage).toBe(false);
      // The watcher saw the list grow, up to the whole list.
      await vi.waitFor(() => expect(results.at(-1)!.user.stories.edges).toHaveLength(100));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('made one HTTP request per page and the fewest upstream calls: one profile, each upstream page once', () => {
    // Seven pages of 15 over three upstream pages of 35: the shared cache answers every repeat.
    expect(requests.filter((r) => r.includes('UserStories'))).toHaveLength(7);
    expect(real.calls().filter((p) => p === `/v1/tiktok/users/${BUSY_USER}`)).toHaveLength(1);
    const pages = storyPageCalls(real.calls(), BUSY_USER);
    expect(pages).toHaveLength(3);
    expect(new Set(pages).size).toBe(3);
    expect(real.calls()).toHaveLength(4);
  });

  it('normalises the user under its global id, and every story once', async () => {
    const cache = client.cache.extract() as Record<string, any>;
    const userId = encodeGlobalID('User', BUSY_USER);
    expect(cache[`User:${userId}`]).toMatchObject({ __typename: 'User', id: userId, username: BUSY_USER, displayName: 'Khabane Lame' });
    expect(cache.ROOT_QUERY[`user({"username":"${BUSY_USER}"})`]).toEqual({ __ref: `User:${userId}` });
    const stories = Object.keys(cache).filter((key) => key.startsWith('Story:'));
    expect(stories).toHaveLength(100);
    // The merged field lives on the user record once (keyArgs: false), its edges referencing the stories.
    const field = Object.keys(cache[`User:${userId}`]).filter((key) => key.startsWith('stories'));
    expect(field).toEqual(['stories']);
    expect(cache[`User:${userId}`].stories.edges.map((e: any) => e.node.__ref)).toEqual(stories);
    // Reading the query back is answered by the cache, with no request.
    const count = requests.length;
    const cached = client.readQuery<StoriesData>({ query: USER_STORIES, variables: { username: BUSY_USER, first: 15 } });
    expect(cached!.user.stories.edges).toHaveLength(100);
    expect(requests).toHaveLength(count);
  });
});
