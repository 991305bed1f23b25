/**
 * GraphiQL, served with its assets inlined (no CDN: many deployments sit on closed networks), opening
 * with a query that shows the graph's shape and example tabs for the other things it does.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

export const DEFAULT_QUERY = `# Welcome to the TikTok graph over KonbiniAPI.
# Every response says what it cost in extensions.upstream.
query Profile {
  user(username: "@khaby.lame") {
    displayName
    followerCount
    likeCount
    stories(first: 3) {
      totalCount
      edges {
        cursor
        node { kind caption publishedAt audio { title authors { username } } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`;

const EXAMPLE_TABS = [
  {
    query: `# Resume after any edge cursor: paste one as $after.
query Stories($username: String!, $after: String) {
  user(username: $username) {
    stories(first: 5, after: $after) {
      edges { cursor node { id kind caption expiresAt media { quality urls } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
    variables: JSON.stringify({ username: 'khaby.lame', after: null }, null, 2),
  },
  {
    query: `# One entry per username, in order; a missing user is null with NOT_FOUND.
query Compare {
  users(usernames: ["khaby.lame", "@Alice", "nobody"]) { username followerCount likeCount }
}`,
  },
  {
    query: `# How much would this cost? The X-Dry-Run header answers without spending a credit.
query Expensive {
  users(usernames: ["a", "b", "c"]) { displayName stories(first: 100) { totalCount } }
}`,
    headers: JSON.stringify({ 'X-Dry-Run': 'true' }, null, 2),
  },
];

const OPTIONS: GraphiQLOptions = { title: 'TikTok graph', defaultQuery: DEFAULT_QUERY, defaultTabs: [{ query: DEFAULT_QUERY }, ...EXAMPLE_TABS] };

export const graphiqlOptions = () => OPTIONS;
export { renderGraphiQL };
