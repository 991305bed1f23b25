/**
 * The scenarios of the credits issue, each with the minimum upstream calls it can be answered with,
 * and the equivalent operations for this server and for the generated Mesh gateway (where it has one).
 */

export type Post = (query: string, variables?: Record<string, unknown>) => Promise<{ data?: any; errors?: unknown[] }>;

/** Whether an answer matched the sandbox's own data; `why` says where it did not. */
export type Verdict = { correct: true } | { correct: false; why: string };

/** A run's GraphQL errors and, where the scenario checks its data, the verdict. */
export interface Outcome {
  errors: number;
  verdict?: Verdict;
}

/** Runs a scenario once; resolves to its GraphQL error count, or to an outcome with a verdict. */
export type Run = (post: Post) => Promise<number | Outcome>;

export const outcomeOf = (result: number | Outcome): Outcome => (typeof result === 'number' ? { errors: result } : result);

export interface Scenario {
  name: string;
  /** The fewest upstream calls that can answer it. */
  minCalls: number;
  /** The fewest sequential upstream round trips, where the issue names one. */
  minRoundTrips?: number;
  /** Runs it; resolves to the number of GraphQL errors in the responses (and a verdict, where checked). */
  ours: Run;
  mesh?: Run;
}

const errors = (response: { errors?: unknown[] }) => response.errors?.length ?? 0;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const OURS_USER = `query ($u: String!) { user(username: $u) { displayName followerCount likeCount } }`;
const MESH_USER = `query ($u: String!) { tiktokGetUser(username: $u) { ... on tiktokGetUser_200_response { data { name followerCount likeCount } } } }`;
const meshUser = (alias: string, username: string) =>
  `${alias}: tiktokGetUser(username: "${username}") { ... on tiktokGetUser_200_response { data { name followerCount } } }`;
const OURS_STORIES = `query ($after: String) { user(username: "khaby.lame") { stories(first: 10, after: $after) { pageInfo { endCursor } nodes { storyId } } } }`;
const MESH_STORIES = `query ($cursor: String) { tiktokGetUserStories(username: "khaby.lame", count: 10, cursor: $cursor) {
  ... on tiktokGetUserStories_200_response { data { nextCursor orderedItems { entityId } } } } }`;

export function scenarios(repeat: number): Scenario[] {
  const names = Array.from({ length: 12 }, (_, i) => `entity_user_${i}`);
  const five = ['alice', 'bob', '@Alice', 'carol', 'BOB'];
  return [
    {
      name: `the same user query ${repeat} times in a row`,
      minCalls: 1,
      ours: async (post) => {
        let n = 0;
        for (let i = 0; i < repeat; i++) n += errors(await post(OURS_USER, { u: 'khaby.lame' }));
        return n;
      },
      mesh: async (post) => {
        let n = 0;
        for (let i = 0; i < repeat; i++) n += errors(await post(MESH_USER, { u: 'khaby.lame' }));
        return n;
      },
    },
    {
      name: '`users` with 5 names, 3 distinct',
      minCalls: 3,
      minRoundTrips: 1,
      ours: async (post) => errors(await post(`{ users(usernames: ${JSON.stringify(five)}) { username followerCount } }`)),
      mesh: async (post) => errors(await post(`{ ${five.map((u, i) => meshUser(`u${i}`, u)).join(' ')} }`)),
    },
    {
      name: 'one user, profile fields, stories(first: 4), each author and audio',
      minCalls: 2,
      minRoundTrips: 1,
      ours: async (post) =>
        errors(
          await post(`{ user(username: "khaby.lame") { displayName followerCount likeCount
            stories(first: 4) { nodes { caption author { username displayName } audio { title duration } } } } }`),
        ),
      mesh: async (post) =>
        errors(
          await post(`{ p: tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { name followerCount likeCount } } }
            s: tiktokGetUserStories(username: "khaby.lame", count: 4) { ... on tiktokGetUserStories_200_response { data {
              orderedItems { content attributedTo { preferredUsername name } audio { name duration } } } } } }`),
        ),
    },
    {
      name: '50 concurrent cold requests for one user',
      minCalls: 1,
      ours: async (post) => sum(await Promise.all(Array.from({ length: 50 }, async () => errors(await post(OURS_USER, { u: 'concurrent.user' }))))),
      mesh: async (post) => sum(await Promise.all(Array.from({ length: 50 }, async () => errors(await post(MESH_USER, { u: 'concurrent.user' }))))),
    },
    {
      name: '`stories(first: 10)` then `after:` its `endCursor`',
      minCalls: 1,
      ours: async (post) => {
        const first = await post(OURS_STORIES);
        return errors(first) + errors(await post(OURS_STORIES, { after: first.data?.user?.stories?.pageInfo?.endCursor }));
      },
      mesh: async (post) => {
        const first = await post(MESH_STORIES);
        return errors(first) + errors(await post(MESH_STORIES, { cursor: first.data?.tiktokGetUserStories?.data?.nextCursor }));
      },
    },
    {
      name: '20 federation `_entities` representations, 12 distinct',
      minCalls: 12,
      minRoundTrips: 1,
      ours: async (post) => {
        const representations = [...names, ...names.slice(0, 8).map((n) => `@${n}`)].map((username) => ({ __typename: 'User', username }));
        return errors(await post(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { followerCount } } }`, { r: representations }));
      },
    },
  ];
}
