/** The scenarios of the credits issue: each sends GraphQL to a cold server and names its minimum. */

export interface Scenario {
  name: string;
  /** The fewest upstream calls that can answer it. */
  minCalls: number;
  /** The fewest sequential upstream round trips, where the issue names one. */
  minRoundTrips?: number;
  run(post: (query: string, variables?: Record<string, unknown>) => Promise<any>): Promise<void>;
}

const USER = `query ($u: String!) { user(username: $u) { displayName followerCount likeCount } }`;
const STORIES = `query ($after: String) { user(username: "khaby.lame") { stories(first: 10, after: $after) { pageInfo { endCursor } nodes { storyId } } } }`;

function check(response: any): any {
  if (response.errors) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

export function scenarios(repeat: number): Scenario[] {
  const names = Array.from({ length: 12 }, (_, i) => `entity_user_${i}`);
  return [
    {
      name: `the same user query ${repeat} times in a row`,
      minCalls: 1,
      run: async (post) => {
        for (let i = 0; i < repeat; i++) check(await post(USER, { u: 'khaby.lame' }));
      },
    },
    {
      name: '`users` with 5 names, 3 distinct',
      minCalls: 3,
      minRoundTrips: 1,
      run: async (post) => check(await post(`{ users(usernames: ["alice", "bob", "@Alice", "carol", "BOB"]) { username followerCount } }`)),
    },
    {
      name: 'one user, profile fields, stories(first: 4), each author and audio',
      minCalls: 2,
      minRoundTrips: 1,
      run: async (post) =>
        check(
          await post(`{ user(username: "khaby.lame") { displayName followerCount likeCount
            stories(first: 4) { nodes { caption author { username displayName } audio { title duration authors { username } } } } } }`),
        ),
    },
    {
      name: '50 concurrent cold requests for one user',
      minCalls: 1,
      run: async (post) => {
        await Promise.all(Array.from({ length: 50 }, async () => check(await post(USER, { u: 'concurrent.user' }))));
      },
    },
    {
      name: '`stories(first: 10)` then `after:` its `endCursor`',
      minCalls: 1,
      run: async (post) => {
        const first = check(await post(STORIES));
        check(await post(STORIES, { after: first.user.stories.pageInfo.endCursor }));
      },
    },
    {
      name: '20 federation `_entities` representations, 12 distinct',
      minCalls: 12,
      minRoundTrips: 1,
      run: async (post) => {
        const representations = [...names, ...names.slice(0, 8).map((n) => `@${n}`)].map((username) => ({ __typename: 'User', username }));
        check(await post(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { followerCount } } }`, { r: representations }));
      },
    },
  ];
}
