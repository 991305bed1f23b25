/**
 * Every field of a `Video` against the sandbox's own body of that video, for list items (answered
 * from the page, no call more) and for a video named by id (one detail call).
 */
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

const FIELDS = `videoId url caption publishedAt duration viewCount likeCount commentCount repostCount shareCount saveCount
  language isSponsored location { name placeId url latitude longitude } hashtags { name url }
  author { username } audio { audioId title } media { urls mediaType width height quality codec bitrate downloadHeaders { name value } }
  cover { url width height } images { url } preview { url }`;

const TIKTOK = 'https://api.konbiniapi.com/v1/tiktok';

describe('every Video field', () => {
  it('on list items: one page, every field equal to the upstream body', async () => {
    const { gql, sandbox, calls } = setup();
    const res = await gql(`{ user(username: "khaby.lame") { videos(first: 20) { nodes { ${FIELDS} } } } }`);
    expect(res.errors).toBeUndefined();
    expect(calls()).toBe(1);
    const page = (await (await sandbox.fetch(`${TIKTOK}/users/khaby.lame/videos?count=35`, { headers: { authorization: 'Bearer knbn_test' } })).json()).data;
    const nodes = res.data!.user.videos.nodes;
    expect(nodes.some((n: any) => n.location !== null)).toBe(true);
    nodes.forEach((node: any, i: number) => {
      const video = page.orderedItems[i];
      expect(node.videoId).toBe(video.entityId);
      expect(node.url).toBe(video.url);
      expect(node.caption).toBe(video.content ?? null);
      expect(new Date(node.publishedAt).getTime()).toBe(new Date(video.published).getTime());
      for (const key of ['viewCount', 'likeCount', 'commentCount', 'repostCount', 'shareCount', 'saveCount']) expect(node[key]).toBe(video[key]);
      expect(node.language).toBe(video.language ?? null);
      expect(node.isSponsored).toBe(video.isSponsored ?? null);
      expect(node.location).toEqual(
        video.location
          ? {
              name: video.location.name,
              placeId: video.location.id ?? null,
              url: video.location.url ?? null,
              latitude: video.location.latitude ?? null,
              longitude: video.location.longitude ?? null,
            }
          : null,
      );
      const tags = (video.tag ?? []).filter((t: any) => !t.href?.includes('/@')).map((t: any) => t.name.replace(/^#/, '').toLowerCase());
      expect(node.hashtags.map((h: any) => h.name)).toEqual(tags);
      expect(node.author.username).toBe('khaby.lame');
      expect(node.media).toHaveLength(video.attachment?.length ?? 0);
      expect(node.media[0]?.urls).toEqual(video.attachment?.[0]?.url);
      expect(node.images.map((img: any) => img.url)).toEqual((video.image ?? []).map((img: any) => img.url));
      expect(node.cover?.url).toBe(video.image?.[0]?.url);
      expect(node.preview?.url).toBe(video.preview?.url);
    });
  });

  it('named by id: one detail call answers the same fields as the list item', async () => {
    const { gql, calls } = setup();
    const list = await gql(`{ user(username: "khaby.lame") { videos(first: 1) { nodes { ${FIELDS} } } } }`);
    const item = list.data!.user.videos.nodes[0];
    const before = calls();
    const detail = await gql(`query ($v: String!) { video(videoId: $v) { ${FIELDS} } }`, { v: item.videoId });
    expect(detail.errors).toBeUndefined();
    expect(calls() - before).toBe(1);
    expect(detail.data!.video).toEqual(item);
  });
});
