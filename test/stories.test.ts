import { describe, expect, it } from 'vitest';
import { sandboxStories } from '../src/sandbox/data.js';
import { personaFor } from '../src/sandbox/personas.js';
import { SANDBOX_NOW, codes, setup } from './helpers.js';

const STORIES = `query ($u: String!, $first: Int, $after: String) {
  user(username: $u) {
    stories(first: $first, after: $after) {
      totalCount
      edges { cursor node { storyId } }
      nodes { storyId }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

/** The story ids the sandbox holds for a user, newest first: what pagination must reproduce. */
const expectedIds = (username: string) => sandboxStories(username, personaFor(username), SANDBOX_NOW).map((s) => s.entityId);
const ids = (res: { data?: any }) => res.data.user.stories.edges.map((e: any) => e.node.storyId);

describe('Story fields', () => {
  it('maps every field of a video story and an image story', async () => {
    const { gql } = setup();
    const res = await gql(`{ user(username: "khaby.lame") { stories(first: 20) { nodes {
      id storyId url kind caption publishedAt expiresAt duration viewCount likeCount commentCount repostCount shareCount saveCount
      author { username displayName }
      media { urls mediaType width height quality codec bitrate downloadHeaders { name value } }
      cover { url width height } images { url } preview { url width height }
      audio { audioId title }
    } } } }`);
    expect(res.errors).toBeUndefined();
    const stories = res.data!.user.stories.nodes as any[];
    const raw = sandboxStories('khaby.lame', undefined, SANDBOX_NOW);
    const video = stories.find((s) => s.kind === 'VIDEO');
    const image = stories.find((s) => s.kind === 'IMAGE');
    const rawVideo = raw.find((s) => s.entityId === video.storyId)!;
    expect(video).toMatchObject({
      storyId: rawVideo.entityId,
      url: rawVideo.url,
      caption: rawVideo.content,
      publishedAt: rawVideo.published,
      expiresAt: rawVideo.endTime,
      duration: rawVideo.duration,
      viewCount: rawVideo.viewCount,
      saveCount: rawVideo.saveCount,
      author: { username: 'khaby.lame', displayName: 'Khabane Lame' },
      cover: { url: rawVideo.image![0]!.url },
      preview: { url: rawVideo.preview!.url },
      audio: { audioId: rawVideo.audio!.entityId, title: rawVideo.audio!.name },
    });
    expect(video.media).toHaveLength(rawVideo.attachment!.length);
    expect(video.media[0]).toEqual({
      urls: rawVideo.attachment![0]!.url,
      mediaType: 'video/mp4',
      width: 576,
      height: 1024,
      quality: 'normal_540_0',
      codec: 'h264',
      bitrate: rawVideo.attachment![0]!.bitrate,
      downloadHeaders: [
        { name: 'Cookie', value: rawVideo.attachment![0]!.headers!.Cookie },
        { name: 'Referer', value: 'https://www.tiktok.com/' },
      ],
    });
    expect(image.duration).toBeNull();
    expect(image.media.length).toBeGreaterThan(0);
    expect(image.media[0]).toMatchObject({ mediaType: null, codec: null, downloadHeaders: [] });
    expect(image.images.map((i: any) => i.url)).toEqual(image.media.map((m: any) => m.urls[0]));
  });

  it('answers null for the optional fields of minimal stories', async () => {
    const { gql } = setup();
    const res = await gql(
      `{ user(username: "minimal_user") { stories { nodes { caption expiresAt duration cover { url } preview { url } audio { title } media { urls } images { url } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    for (const story of res.data!.user.stories.nodes) {
      expect(story).toEqual({ caption: null, expiresAt: null, duration: null, cover: null, preview: null, audio: null, media: [], images: [] });
    }
  });
});

describe('StoryConnection', () => {
  it('is empty for a user without stories', async () => {
    const { gql } = setup();
    const res = await gql(STORIES, { u: 'no_stories' });
    expect(res.data!.user.stories).toEqual({
      totalCount: 0,
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('holds everything in one page when there are fewer stories than asked', async () => {
    const { gql, calls } = setup();
    const res = await gql(STORIES, { u: 'few_stories' });
    expect(ids(res)).toEqual(expectedIds('few_stories'));
    expect(res.data!.user.stories.pageInfo.hasNextPage).toBe(false);
    expect(res.data!.user.stories.totalCount).toBe(3);
    expect(calls()).toBe(1); // no profile field is asked for: the stories page alone answers
  });

  it('defaults to 10 stories, and nodes mirror edges', async () => {
    const { gql } = setup();
    const res = await gql(STORIES, { u: 'khaby.lame' });
    expect(ids(res)).toEqual(expectedIds('khaby.lame').slice(0, 10));
    expect(res.data!.user.stories.nodes.map((n: any) => n.storyId)).toEqual(ids(res));
    expect(res.data!.user.stories.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('resumes after any edge, not only the last, with no gap and no repeat', async () => {
    const { gql } = setup();
    const all = expectedIds('khaby.lame');
    const first = await gql(STORIES, { u: 'khaby.lame', first: 10 });
    const middle = first.data!.user.stories.edges[4].cursor;
    const resumed = await gql(STORIES, { u: 'khaby.lame', first: 10, after: middle });
    expect(ids(resumed)).toEqual(all.slice(5, 15));
    expect(resumed.data!.user.stories.pageInfo.hasPreviousPage).toBe(true);
  });

  it('walks every story across upstream pages of 35 and ends on the last page', async () => {
    const { gql } = setup();
    const all = expectedIds('khaby.lame');
    expect(all.length).toBeGreaterThan(70);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res = await gql(STORIES, { u: 'khaby.lame', first: 13, after });
      seen.push(...ids(res));
      const info = res.data!.user.stories.pageInfo;
      if (!info.hasNextPage) break;
      after = info.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('serves first: 100 from several upstream pages in one field', async () => {
    const { gql, sandbox } = setup();
    const all = expectedIds('khaby.lame');
    const res = await gql(STORIES, { u: 'khaby.lame', first: 100 });
    expect(ids(res)).toEqual(all.slice(0, 100));
    expect(res.data!.user.stories.pageInfo.hasNextPage).toBe(all.length > 100);
    expect(sandbox.calls.filter((c) => c.path.includes('/stories')).length).toBe(Math.ceil(Math.min(100, all.length) / 35));
  });

  it('exposes one full upstream page exactly', async () => {
    const { gql } = setup();
    const res = await gql(STORIES, { u: 'one_page', first: 35 });
    expect(ids(res)).toEqual(expectedIds('one_page'));
    expect(res.data!.user.stories.pageInfo.hasNextPage).toBe(false);
  });

  it('says totalCount is unknown when the upstream does not know it', async () => {
    const { gql } = setup();
    const res = await gql(STORIES, { u: 'unknown_total', first: 1 });
    expect(res.data!.user.stories.totalCount).toBeNull();
  });

  it.each([
    [{ first: 0 }, 'first'],
    [{ first: 101 }, 'first'],
    [{ first: -1 }, 'first'],
  ])('refuses %o locally', async (args, argument) => {
    const { gql, calls } = setup();
    const res = await gql(`query ($first: Int) { user(username: "khaby.lame") { stories(first: $first) { totalCount } } }`, args);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.argument).toBe(argument);
    expect(calls()).toBe(0); // checked before execution: nothing at all is fetched
  });

  it.each(['last: 5', 'before: "x"', 'first: 5, last: 5'])('refuses %s on a forward-only upstream', async (args) => {
    const { gql, sandbox } = setup();
    const res = await gql(`{ user(username: "khaby.lame") { stories(${args}) { totalCount } } }`);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toMatch(/forward only/);
    expect(sandbox.calls.filter((c) => c.path.includes('/stories'))).toHaveLength(0);
  });

  it('refuses forged, tampered and foreign cursors without an upstream call', async () => {
    const { gql, sandbox } = setup();
    const first = await gql(STORIES, { u: 'khaby.lame', first: 2 });
    const cursor: string = first.data!.user.stories.pageInfo.endCursor;
    const [payload] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify([1, 'khaby.lame', '0', 30])).toString('base64url')}.${cursor.split('.')[1]}`;
    const before = sandbox.calls.filter((c) => c.path.includes('/stories')).length;
    for (const after of ['garbage', `${payload}.AAAA`, forged, `${payload}`]) {
      const res = await gql(STORIES, { u: 'khaby.lame', after });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    const foreign = await gql(STORIES, { u: 'alice', after: cursor });
    expect(codes(foreign)).toEqual(['BAD_USER_INPUT']);
    expect(sandbox.calls.filter((c) => c.path.includes('/stories')).length).toBe(before);
  });
});
