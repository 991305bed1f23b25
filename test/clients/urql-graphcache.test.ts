/**
 * urql with Graphcache (normalised, `relayPagination()` on `User.stories`) against the real server
 * process over HTTP: querying page after page with `after` gives, at the last page, the whole list
 * merged, equal to what the server gives in one request, for the minimum of upstream calls.
 */
import { Client, fetchExchange, gql } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_USER, type RealServer, fullStoryList, sandboxStoryIds, startRealServer, storyPageCalls } from './real-server.js';

const USER_STORIES = gql`
  query UserStories($username: String!, $first: Int!, $after: String) {
    user(username: $username) {
      id
      username
      followerCount
      stories(first: $first, after: $after) {
        totalCount
        edges {
          cursor
          node {
            id
            storyId
            kind
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
    followerCount: number | null;
    stories: {
      totalCount: number | null;
      edges: { cursor: string; node: { id: string; storyId: string; kind: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
}

let real: RealServer;
let client: Client;
const requests: string[] = [];
const warnings: unknown[][] = [];
const warn = console.warn;

beforeAll(async () => {
  real = await startRealServer();
  const cache = cacheExchange({
    // Connection, edge and page info have no id: embedded in their parent, as Graphcache expects.
    keys: { StoryConnection: () => null, StoryEdge: () => null, PageInfo: () => null },
    resolvers: { User: { stories: relayPagination() } },
  });
  client = new Client({
    url: real.server.url,
    exchanges: [cache, fetchExchange],
    preferGetMethod: false,
    fetch: (input, init) => {
      requests.push(String(init?.body));
      return fetch(input, init);
    },
  });
  // Graphcache warns (console.warn) about anything it cannot normalise: there should be nothing to warn about.
  console.warn = (...args: unknown[]) => {
    warnings.push(args);
    warn(...args);
  };
});

afterAll(async () => {
  console.warn = warn;
  await real?.close();
});

describe('urql with Graphcache relayPagination', () => {
  it('merges page after page into one list equal to the whole list, in order, without duplicates', async () => {
    real.resetCalls();
    let after: string | null = null;
    let data: StoriesData | undefined;
    const sizes: number[] = [];
    for (let page = 0; page < 20; page++) {
      const result = await client.query<StoriesData>(USER_STORIES, { username: BUSY_USER, first: 15, after }).toPromise();
      expect(result.error).toBeUndefined();
      data = result.data!;
      sizes.push(data.user.stories.edges.length);
      if (!data.user.stories.pageInfo.hasNextPage) break;
      after = data.user.stories.pageInfo.endCursor;
    }
    // Each result is every page so far, merged by relayPagination.
    expect(sizes).toEqual([15, 30, 45, 60, 75, 90, 100]);
    const merged = data!.user.stories.edges.map((e) => e.node);
    const whole = await fullStoryList(real.server, BUSY_USER);
    expect(merged.map((n) => n.id)).toEqual(whole.map((n) => n.id));
    expect(new Set(merged.map((n) => n.id)).size).toBe(100);
    expect(merged.map((n) => n.storyId)).toEqual(sandboxStoryIds(BUSY_USER));
    expect(data!.user.stories.pageInfo).toMatchObject({ hasNextPage: false, endCursor: data!.user.stories.edges.at(-1)!.cursor });
    expect(data!.user).toMatchObject({ username: BUSY_USER, followerCount: 160_300_000 });
  });

  it('made one HTTP request per page and the fewest upstream calls: one profile, each upstream page once', () => {
    expect(requests.filter((r) => r.includes('UserStories'))).toHaveLength(7);
    expect(real.calls().filter((p) => p === `/v1/tiktok/users/${BUSY_USER}`)).toHaveLength(1);
    const pages = storyPageCalls(real.calls(), BUSY_USER);
    expect(pages).toHaveLength(3);
    expect(new Set(pages).size).toBe(3);
    expect(real.calls()).toHaveLength(4);
  });

  it('answers a page it has from the normalised cache, without a request, and warned about nothing', async () => {
    const count = requests.length;
    const again = await client.query<StoriesData>(USER_STORIES, { username: BUSY_USER, first: 15, after: null }).toPromise();
    expect(requests).toHaveLength(count);
    expect(again.operation.context.meta?.cacheOutcome).toBe('hit');
    // The first page's arguments read the merged connection back: the whole list.
    expect(again.data!.user.stories.edges).toHaveLength(100);
    expect(warnings).toEqual([]);
  });
});
