/** What GraphiQL opens with: a query that shows the graph's shape and its credit report. */
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
