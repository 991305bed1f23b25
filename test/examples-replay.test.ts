/**
 * The published example bodies, replayed verbatim by the sandbox (persona `example_replay` and the
 * examples' own ids), answer every field without an error (H7): five of them lack a required
 * `attributedTo`, and the fields that read it fall back or are null. A transcript sent as bare
 * WebVTT is wrapped, not called malformed (H12).
 */
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

const USER = `{
  user(username: "example_replay") {
    displayName followerCount likeCount
    stories(first: 5) { nodes { storyId author { username } } }
    videos(first: 5) { nodes { videoId viewCount author { username } audio { title } hashtags { name } } }
    likedVideos(first: 5) { nodes { videoId } }
    reposts(first: 5) { nodes { videoId } }
    collections(first: 5) { nodes { collectionId name videoCount owner { username } } }
    followers(first: 5) { nodes { username } }
    following(first: 5) { nodes { username } }
    liveStream { roomId isLive host { username } }
  }
}`;

const VIDEO = `{
  video(videoId: "7611615657754381599") {
    videoId caption viewCount author { username } audio { audioId title }
    comments(first: 5) { nodes { commentId text likeCount author { username } } }
  }
  audio(audioId: "6988100049893232686") { title authors { username } videos(first: 5) { nodes { videoId } } }
  hashtag(name: "learnfromkhaby") { videos(first: 5) { nodes { videoId } } }
  search(query: "khaby.lame") { nodes { __typename ... on Video { videoId } ... on User { username } } }
  searchVideos(query: "khaby.lame") { nodes { videoId } }
  searchUsers(query: "khaby.lame") { nodes { username } }
}`;

describe('the published examples, verbatim', () => {
  it('a user’s every list answers without an error, the missing authors filled in from the request', async () => {
    const { gql } = setup();
    const res = await gql(USER);
    expect(res.errors).toBeUndefined();
    const user = res.data!.user;
    expect(user.likeCount).toBe(2_600_000_000);
    for (const story of user.stories.nodes) expect(story.author.username).toBe('example_replay');
    for (const collection of user.collections.nodes) expect(collection.owner.username).toBe('example_replay');
    if (user.liveStream) expect(user.liveStream.host.username).toBe('example_replay');
  });

  it('videos, comments without authors, audio, hashtag and searches answer without an error', async () => {
    const { gql } = setup();
    const res = await gql(VIDEO);
    expect(res.errors).toBeUndefined();
    expect(res.data!.video.videoId).toBe('7611615657754381599');
    const comments = res.data!.video.comments.nodes;
    expect(comments.length).toBeGreaterThan(0);
    // The example comments lack `attributedTo`: their author is null, without an error.
    expect(comments.some((c: any) => c.author === null)).toBe(true);
  });
});

describe('transcripts as bare WebVTT', () => {
  it('are wrapped into the document the contract describes (H12)', async () => {
    const asVtt = (fetch: (input: string, init?: RequestInit) => Promise<Response>) => (input: string, init?: RequestInit) =>
      fetch(input, input.includes('/transcripts/') ? { ...init, headers: { ...(init?.headers as Record<string, string>), accept: 'text/vtt' } } : init);
    const { gql, sandbox } = setup({ wrapFetch: asVtt });
    const list = await gql(`{ user(username: "khaby.lame") { videos(first: 10) { nodes { videoId transcript { language mediaType webvtt } } } } }`);
    expect(list.errors).toBeUndefined();
    const transcripts = list.data!.user.videos.nodes.map((v: any) => v.transcript).filter(Boolean);
    expect(transcripts.length).toBeGreaterThan(0);
    for (const t of transcripts) {
      expect(t.webvtt).toMatch(/^WEBVTT/);
      expect(t.mediaType).toBe('text/vtt');
    }
    expect(sandbox.calls.some((c) => c.path.includes('/transcripts/'))).toBe(true);
  });
});
