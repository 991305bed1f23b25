/**
 * Scenarios of the full graph (videos, comments and replies, hashtags, search), each in this server's
 * schema and in the generated gateway's, with the fewest upstream calls that answer it, and every answer
 * checked against the sandbox's own data (bench/graph-fixtures.ts). The generated gateway's operations
 * are what a careful client would write: the same data, no more calls than needed.
 */
import { EXAMPLE_VIDEO, type GraphFixtures, USER_QUERY } from './graph-fixtures.js';
import type { Outcome, Post, Scenario, Verdict } from './scenarios.js';

type Answer = Awaited<ReturnType<Post>>;
// GraphQL answers are read loosely here: each run picks the fields it asked for.
type Data = any;

/** The first place where `actual` differs from `expected`, as a path and the two values. */
function difference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const nulls = actual.filter((item) => item === null).length;
    if (actual.length !== expected.length) return `${path || 'list'}: ${actual.length} items, expected ${expected.length}`;
    const i = expected.findIndex((item, k) => JSON.stringify(item) !== JSON.stringify(actual[k]));
    return `${difference(expected[i], actual[i], `${path}[${i}]`)}${nulls ? ` (${nulls} null items)` : ''}`;
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    const key = Object.keys(expected).find((k) => JSON.stringify((expected as Data)[k]) !== JSON.stringify((actual as Data)[k]));
    if (key === undefined) return `${path || 'answer'}: fields that were not asked for`;
    return difference((expected as Data)[key], (actual as Data)[key], path ? `${path}.${key}` : key);
  }
  const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 40));
  return `${path || 'answer'}: ${show(actual)}, expected ${show(expected)}`;
}

/** Judges answers against the sandbox's data; the first GraphQL error, if any, says why they differ. */
function judged(expected: unknown, actual: unknown, answers: Answer[]): Outcome {
  const errors = answers.flatMap((a) => a.errors ?? []) as { message?: string }[];
  const diff = difference(expected, actual);
  const verdict: Verdict =
    diff === undefined ? { correct: true } : { correct: false, why: `${diff}${errors[0]?.message ? `; "${errors[0].message.slice(0, 100)}"` : ''}` };
  return { errors: errors.length, verdict };
}

/** A generated-gateway root field, its 200 answer's `data` selected (the other 10 statuses ignored). */
const meshField = (field: string, args: string, selection: string, alias = '') =>
  `${alias ? `${alias}: ` : ''}${field}(${args}) { ... on ${field}_200_response { data { ${selection} } } }`;

const SEARCH_ITEM = 'query_tiktokSearchContent_oneOf_0_data_orderedItems_items_oneOf';
/** A generated search item as a label: the union member Mesh chose by shape says what it is. */
const meshSearchLabel = (item: Data): string | null =>
  item === null ? null : item.__typename === `${SEARCH_ITEM}_0` ? `Video:${item.entityId}` : `User:${item.preferredUsername}`;

export function graphScenarios(f: GraphFixtures): Scenario[] {
  const videoVar = (videoId: string) => ({ v: videoId });
  return [
    {
      name: 'user, `videos(first: 35)`, each author',
      minCalls: 2,
      minRoundTrips: 1,
      ours: async (post) => {
        const a = await post('{ user(username: "khaby.lame") { displayName videos(first: 35) { nodes { author { displayName } } } } }');
        return judged(f.khaby, { name: a.data?.user?.displayName, authors: a.data?.user?.videos?.nodes?.map((n: Data) => n.author?.displayName ?? null) }, [a]);
      },
      mesh: async (post) => {
        const a = await post(`{ ${meshField('tiktokGetUser', 'username: "khaby.lame"', 'name', 'p')}
          ${meshField('tiktokGetUserVideos', 'username: "khaby.lame", count: 35', 'orderedItems { attributedTo { name } }', 'v')} }`);
        return judged(f.khaby, { name: a.data?.p?.data?.name, authors: a.data?.v?.data?.orderedItems?.map((i: Data) => i?.attributedTo?.name ?? null) }, [a]);
      },
    },
    {
      name: `\`comments(first: 20)\`, \`replies(first: 5)\` of each (${f.thread.commentsWithReplies} with replies)`,
      minCalls: 1 + f.thread.commentsWithReplies,
      minRoundTrips: f.thread.commentsWithReplies > 0 ? 2 : 1,
      ours: async (post) => {
        const a = await post(
          'query ($v: String!) { video(videoId: $v) { comments(first: 20) { nodes { replies(first: 5) { nodes { text } } } } } }',
          videoVar(f.thread.videoId),
        );
        return judged(
          f.thread.replies,
          a.data?.video?.comments?.nodes?.map((n: Data) => n.replies?.nodes?.map((r: Data) => r.text) ?? []),
          [a],
        );
      },
      // Two requests: the comments with their reply counts, then the replies of those that have some.
      mesh: async (post) => {
        const args = `videoId: "${f.thread.videoId}"`;
        const a = await post(`{ ${meshField('tiktokGetVideoComments', `${args}, count: 20`, 'orderedItems { entityId replyCount }', 'c')} }`);
        const comments: Data[] = a.data?.c?.data?.orderedItems ?? [];
        const asked = comments.map((c, i) => ({ c, i })).filter(({ c }) => (c?.replyCount ?? 0) > 0);
        const fields = asked.map(({ c, i }) =>
          meshField('tiktokGetCommentReplies', `${args}, commentId: "${c.entityId}", count: 5`, 'orderedItems { content }', `r${i}`),
        );
        const b = fields.length ? await post(`{ ${fields.join('\n')} }`) : {};
        const replies = comments.map((c, i) =>
          (c?.replyCount ?? 0) > 0 ? (b.data?.[`r${i}`]?.data?.orderedItems?.map((r: Data) => r?.content ?? null) ?? null) : [],
        );
        return judged(f.thread.replies, replies, [a, b]);
      },
    },
    {
      name: `\`hashtag(name: "${f.hashtag.name}")\`, \`videos(first: 30)\`, each audio title`,
      minCalls: 1,
      minRoundTrips: 1,
      ours: async (post) => {
        const a = await post('query ($t: String!) { hashtag(name: $t) { videos(first: 30) { nodes { audio { title } } } } }', { t: f.hashtag.name });
        return judged(
          f.hashtag.audioTitles,
          a.data?.hashtag?.videos?.nodes?.map((n: Data) => n.audio?.title ?? null),
          [a],
        );
      },
      mesh: async (post) => {
        const a = await post(`{ ${meshField('tiktokGetTagVideos', `tagName: "${f.hashtag.name}", count: 30`, 'orderedItems { audio { name } }', 't')} }`);
        return judged(
          f.hashtag.audioTitles,
          a.data?.t?.data?.orderedItems?.map((i: Data) => (i === null ? 'null item' : (i.audio?.name ?? null))),
          [a],
        );
      },
    },
    {
      name: '`search(query: "mixed", first: 30)`: videos, people, a company, an unknown item type',
      minCalls: 1,
      minRoundTrips: 1,
      ours: async (post) => {
        const a = await post('{ search(query: "mixed", first: 30) { nodes { __typename ... on Video { videoId } ... on User { username } } } }');
        const label = (n: Data) => (n.__typename === 'Video' ? `Video:${n.videoId}` : `User:${n.username}`);
        return judged(f.mixed, a.data?.search?.nodes?.map(label), [a]);
      },
      // The same upstream page as this server asks for (100 items, one credit); the first 30 are kept.
      mesh: async (post) => {
        const items = `orderedItems { __typename ... on ${SEARCH_ITEM}_0 { entityId } ... on ${SEARCH_ITEM}_1 { preferredUsername } ... on ${SEARCH_ITEM}_2 { preferredUsername } }`;
        const a = await post(`{ ${meshField('tiktokSearchContent', 'query: "mixed", count: 100', items, 's')} }`);
        return judged(f.mixed, a.data?.s?.data?.orderedItems?.slice(0, 30).map(meshSearchLabel), [a]);
      },
    },
    {
      name: `\`searchUsers(query: "${USER_QUERY}", first: 25)\`: three pages of 10, the last one final`,
      minCalls: 3,
      // Each page's cursor comes in the page before it.
      minRoundTrips: 3,
      ours: async (post) => {
        const a = await post(`{ searchUsers(query: "${USER_QUERY}", first: 25) { nodes { username } } }`);
        return judged(
          f.users,
          a.data?.searchUsers?.nodes?.map((n: Data) => n.username),
          [a],
        );
      },
      // A client paging as the contract says: `cursor` from the page before, until 25 or the end.
      mesh: async (post) => {
        const answers: Answer[] = [];
        const users: string[] = [];
        for (let cursor: string | null = '0'; cursor !== null && users.length < 25; ) {
          const a: Answer = await post(
            `{ ${meshField('tiktokSearchUsers', `query: "${USER_QUERY}", count: 10, cursor: "${cursor}"`, 'nextCursor orderedItems { preferredUsername }', 'u')} }`,
          );
          answers.push(a);
          users.push(...(a.data?.u?.data?.orderedItems ?? []).map((u: Data) => u?.preferredUsername ?? null));
          cursor = a.data?.u?.data?.nextCursor ?? null;
        }
        return judged(f.users, users.slice(0, 25), answers);
      },
    },
    {
      name: `a video with ${f.viral.viewCount.toLocaleString('en')} views (persona \`viral\`)`,
      minCalls: 1,
      minRoundTrips: 1,
      ours: async (post) => {
        const a = await post('query ($v: String!) { video(videoId: $v) { videoId viewCount } }', videoVar(f.viral.videoId));
        return judged(f.viral, a.data?.video ? { videoId: a.data.video.videoId, viewCount: a.data.video.viewCount } : null, [a]);
      },
      mesh: async (post) => {
        const a = await post(`{ ${meshField('tiktokGetVideo', `videoId: "${f.viral.videoId}"`, 'entityId viewCount', 'v')} }`);
        const video = a.data?.v?.data;
        return judged(f.viral, video ? { videoId: video.entityId, viewCount: video.viewCount } : null, [a]);
      },
    },
    {
      name: "the published example video's `comments(first: 20)`, author left out",
      minCalls: 1,
      minRoundTrips: 1,
      ours: async (post) => {
        const a = await post(`{ video(videoId: "${EXAMPLE_VIDEO}") { comments(first: 20) { nodes { text author { username } } } } }`);
        return judged(
          f.exampleComments,
          a.data?.video?.comments?.nodes?.map((n: Data) => ({ text: n.text, author: n.author?.username ?? null })),
          [a],
        );
      },
      mesh: async (post) => {
        const a = await post(
          `{ ${meshField('tiktokGetVideoComments', `videoId: "${EXAMPLE_VIDEO}", count: 20`, 'orderedItems { content attributedTo { preferredUsername } }', 'c')} }`,
        );
        const items: Data[] | undefined = a.data?.c?.data?.orderedItems;
        return judged(
          f.exampleComments,
          items?.map((c) => (c === null ? null : { text: c.content, author: c.attributedTo?.preferredUsername ?? null })),
          [a],
        );
      },
    },
  ];
}
