/**
 * What the full-graph scenarios ask for, and the right answers. Ids are found by asking this server (so
 * that they follow the sandbox's data); the right answers and the minimum calls come from the sandbox's
 * own REST answers, read before a scenario runs, so that a server and its expectation cannot agree by
 * sharing a bug.
 */
import type { Sandbox } from '../src/sandbox/handler.js';
import { poster } from './processes.js';
import { startGraph } from './servers.js';

/** The published example's video (contract/examples): its comments come without `attributedTo`. */
export const EXAMPLE_VIDEO = '7611615657754381599';
/** A search whose users fill three pages of 10, the third being the last (`nextCursor: null`). */
export const USER_QUERY = 'khaby';

export interface GraphFixtures {
  /** khaby.lame's display name and the display name of each author of its 35 newest videos. */
  khaby: { name: string; authors: string[] };
  /** khaby.lame's newest video: the texts of the first 5 replies of each of its first 20 comments. */
  thread: { videoId: string; replies: string[][]; commentsWithReplies: number };
  /** A hashtag of that video, and the audio title of each of its first 30 videos. */
  hashtag: { name: string; audioTitles: (string | null)[] };
  /** The first 30 results of the search `mixed` the contract knows (`Video:<id>` or `User:<username>`). */
  mixed: string[];
  /** The first 25 accounts of the user search `USER_QUERY`. */
  users: string[];
  /** The `viral` persona's newest video and its views (over 2^31). */
  viral: { videoId: string; viewCount: number };
  /** The example video's first 20 comments, with their authors' usernames (null: left out). */
  exampleComments: { text: string; author: string | null }[];
}

// Upstream bodies are read loosely here: the fixtures only pick fields out of them.
type Body = any;

/** A GET to the sandbox in-process, as this server would send it; resolves to the body's `data`. */
const rest =
  (sandbox: Sandbox) =>
  async (path: string): Promise<Body> => {
    const response = await sandbox.fetch(`https://sandbox.invalid/v1/tiktok${path}`, { headers: { authorization: 'Bearer knbn_bench_truth' } });
    return ((await response.json()) as { data: Body }).data;
  };

/** A search item as a label, `null` for an item of a type the contract does not know. */
export const searchLabel = (item: Body): string | null =>
  item.type === 'Video' ? `Video:${item.entityId}` : item.type === 'Person' || item.type === 'Organization' ? `User:${item.preferredUsername}` : null;

/** Finds the scenarios' ids through a throwaway server of ours, and their right answers in the sandbox. */
export async function graphFixtures(upstream: { url: string; sandbox: Sandbox }): Promise<GraphFixtures> {
  const graph = await startGraph(upstream.url);
  const post = poster(`${graph.url}/graphql`);
  const newest = (username: string) => post(`{ user(username: "${username}") { videos(first: 1) { nodes { videoId hashtags { name } } } } }`);
  const [khabyVideo, viralVideo] = await Promise.all([newest('khaby.lame'), newest('viral')]);
  await graph.close();
  const first = khabyVideo.data?.user?.videos?.nodes?.[0];
  const viralId: string | undefined = viralVideo.data?.user?.videos?.nodes?.[0]?.videoId;
  if (!first?.videoId || !first.hashtags?.[0]?.name || !viralId) throw new Error(`graph fixtures: no ids in ${JSON.stringify([khabyVideo, viralVideo])}`);

  const get = rest(upstream.sandbox);
  const videoId: string = first.videoId;
  const tag: string = first.hashtags[0].name;
  const [profile, videos, comments, tagPage, search, viral, example] = await Promise.all([
    get('/users/khaby.lame'),
    get('/users/khaby.lame/videos?order=newest&count=35'),
    get(`/videos/${videoId}/comments?count=20`),
    get(`/tags/${encodeURIComponent(tag)}?count=30`),
    get('/search?query=mixed&count=100'),
    get(`/videos/${viralId}`),
    get(`/videos/${EXAMPLE_VIDEO}/comments?count=20`),
  ]);
  const replies = await Promise.all(
    (comments.orderedItems as Body[]).map(async (c) =>
      (c.replyCount ?? 0) > 0
        ? ((await get(`/videos/${videoId}/comments/${c.entityId}/replies?count=5`)).orderedItems as Body[]).map((r) => r.content as string)
        : [],
    ),
  );
  const users: string[] = [];
  for (let cursor: string | null = '0'; cursor !== null && users.length < 25; ) {
    const page: Body = await get(`/search/users?query=${USER_QUERY}&count=10&cursor=${cursor}`);
    users.push(...(page.orderedItems as Body[]).map((u) => u.preferredUsername as string));
    cursor = page.nextCursor;
  }
  return {
    khaby: { name: profile.name, authors: (videos.orderedItems as Body[]).map((v) => v.attributedTo.name) },
    thread: { videoId, replies, commentsWithReplies: (comments.orderedItems as Body[]).filter((c) => (c.replyCount ?? 0) > 0).length },
    hashtag: { name: tag, audioTitles: (tagPage.orderedItems as Body[]).map((v) => v.audio?.name ?? null) },
    mixed: (search.orderedItems as Body[])
      .map(searchLabel)
      .filter((label): label is string => label !== null)
      .slice(0, 30),
    users: users.slice(0, 25),
    viral: { videoId: viralId, viewCount: viral.viewCount },
    exampleComments: (example.orderedItems as Body[]).map((c) => ({ text: c.content, author: c.attributedTo?.preferredUsername ?? null })),
  };
}
