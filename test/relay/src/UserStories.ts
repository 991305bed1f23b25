// A Relay component's data needs: a paginated connection over a user's stories.
declare function graphql(strings: TemplateStringsArray): unknown;

export const userStoriesFragment = graphql`
  fragment UserStories_user on User
  @refetchable(queryName: "UserStoriesPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 5 }, after: { type: "String" }) {
    username
    stories(first: $first, after: $after) @connection(key: "UserStories_stories") {
      totalCount
      edges {
        node {
          id
          storyId
          kind
          caption
          author {
            ...UserProfile_user
          }
        }
      }
    }
  }
`;

export const userStoriesQuery = graphql`
  query UserStoriesQuery($username: String!) {
    user(username: $username) {
      ...UserStories_user
      ...UserProfile_user
    }
  }
`;
