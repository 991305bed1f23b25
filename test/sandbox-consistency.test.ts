/**
 * The sandbox is one TikTok: a video is the same body in every list that holds it and at /videos/{id}
 * (less `@context`); counts match the lists they count; walking a list by `nextCursor` ends, without
 * repeats, on the same items whatever the page size.
 */
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/sandbox/handler.js';
import { SANDBOX_NOW } from './helpers.js';
import { checkCall, walk } from './sandbox-contract-helpers.js';

const sandbox = createSandbox({ now: () => SANDBOX_NOW });
const get = (path: string) => checkCall(sandbox, path);
interface VideoItem {
  entityId: string;
  id: string;
  audio?: { entityId?: string };
  tag?: { name: string }[];
}

async function expectSameAsDetail(videos: VideoItem[]) {
  expect(videos.length).toBeGreaterThan(0);
  for (const video of videos) {
    const { status, body } = await get(`/v1/tiktok/videos/${video.entityId}`);
    expect(status).toBe(200);
    const { '@context': context, ...detail } = body.data;
    expect(context).toHaveLength(2);
    expect(detail).toEqual(video);
  }
}

describe('a video is the same everywhere', () => {
  it.each(['alice', 'khaby.lame', 'minimal_user', 'viral', 'creator_dance3'])('in the lists of %s', async (username) => {
    for (const list of ['videos', 'videos?order=popular', 'videos?order=oldest', 'likes', 'reposts']) {
      const { body } = await get(`/v1/tiktok/users/${username}/${list}${list.includes('?') ? '&' : '?'}count=5`);
      if (list === 'likes' && body.data.orderedItems.length === 0) continue; // hasLikes: false
      if (list.startsWith('videos'))
        for (const v of body.data.orderedItems) expect(v.id).toMatch(new RegExp(`^https://www.tiktok.com/@${username}/video/7\\d{18}$`));
      await expectSameAsDetail(body.data.orderedItems);
    }
  });

  it('in tag, audio, collection and search lists, which hold what they say', async () => {
    const tag = (await get('/v1/tiktok/tags/dance?count=30')).body.data.orderedItems as VideoItem[];
    for (const video of tag) expect(video.tag?.map((t) => t.name)).toContain('dance');
    await expectSameAsDetail(tag.slice(0, 10));
    const track = tag[0]!.audio!.entityId!;
    const audio = (await walk(sandbox, `/v1/tiktok/audios/${track}/videos`)).items as VideoItem[];
    for (const video of audio) expect(video.audio?.entityId).toBe(track);
    await expectSameAsDetail(audio.slice(0, 10));
    const own = (await get('/v1/tiktok/users/bob/videos?count=35')).body.data.orderedItems as VideoItem[];
    const ownTrack = own.map((v) => v.audio!.entityId!).find((id) => id.startsWith('7000'))!;
    const ownAudio = (await walk(sandbox, `/v1/tiktok/audios/${ownTrack}/videos`)).items as VideoItem[];
    const ownWithTrack = own.filter((v) => v.audio?.entityId === ownTrack).map((v) => v.entityId);
    expect(ownAudio.map((v) => v.entityId).slice(0, ownWithTrack.length)).toEqual(ownWithTrack);
    for (const video of ownAudio) expect(video.audio?.entityId).toBe(ownTrack);
    const collections = (await get('/v1/tiktok/users/khaby.lame/collections')).body.data.orderedItems;
    for (const collection of collections) {
      const { items } = await walk(sandbox, `/v1/tiktok/collections/${collection.entityId}?count=35`);
      if (collection.totalItems !== null) expect(items).toHaveLength(collection.totalItems);
      for (const video of items as VideoItem[]) expect(video.id).toMatch(/^https:\/\/www.tiktok.com\/@khaby.lame\/video\//);
      await expectSameAsDetail((items as VideoItem[]).slice(0, 3));
    }
    await expectSameAsDetail((await get('/v1/tiktok/search/videos?query=cats&count=10')).body.data.orderedItems);
    const hits = (await get('/v1/tiktok/search?query=cats&count=20')).body.data.orderedItems as (VideoItem & { type: string })[];
    await expectSameAsDetail(hits.filter((hit) => hit.type === 'Video'));
  });

  it('users in lists are the users their profiles describe', async () => {
    for (const list of ['followers', 'following']) {
      for (const user of (await get(`/v1/tiktok/users/alice/${list}?count=5`)).body.data.orderedItems) {
        const profile = (await get(`/v1/tiktok/users/${user.preferredUsername}`)).body.data;
        expect({ ...profile, '@context': undefined }).toMatchObject(user);
      }
    }
    for (const user of (await get('/v1/tiktok/search/users?query=cats')).body.data.orderedItems) {
      expect((await get(`/v1/tiktok/users/${user.preferredUsername}`)).body.data.id).toBe(user.id);
    }
  });
});

describe('counts match the lists they count', () => {
  it('replyCount is the number of replies served (0 for some comments)', async () => {
    const video = (await get('/v1/tiktok/users/carol/videos?count=1')).body.data.orderedItems[0];
    const { items } = await walk(sandbox, `/v1/tiktok/videos/${video.entityId}/comments?count=50`);
    const all = items as { entityId: string; replyCount: number }[];
    expect(all.some((c) => c.replyCount === 0)).toBe(true);
    const many = all.find((c) => c.replyCount > 50)!;
    expect(many).toBeDefined();
    for (const comment of [...all.slice(0, 10), many]) {
      const replies = await walk(sandbox, `/v1/tiktok/videos/${video.entityId}/comments/${comment.entityId}/replies?count=50`);
      expect(replies.items).toHaveLength(comment.replyCount);
    }
  });
});

describe('walking a list ends, without repeats, on the same items whatever the page size', () => {
  const LISTS = [
    '/v1/tiktok/users/alice/videos',
    '/v1/tiktok/users/alice/videos?order=popular',
    '/v1/tiktok/users/alice/videos?order=oldest',
    '/v1/tiktok/users/bob/likes',
    '/v1/tiktok/users/bob/reposts?order=oldest',
    '/v1/tiktok/users/alice/followers',
    '/v1/tiktok/users/alice/following',
    '/v1/tiktok/users/khaby.lame/collections',
    '/v1/tiktok/tags/fyp',
    '/v1/tiktok/audios/7100000000000000005/videos',
    '/v1/tiktok/search?query=cats',
    '/v1/tiktok/search/videos?query=cats&order=most-liked',
    '/v1/tiktok/search/users?query=cats',
  ];
  it.each(LISTS)('%s', async (list) => {
    const separator = list.includes('?') ? '&' : '?';
    const walks = [];
    for (const count of list.includes('search/users') ? [10] : [1, 7, 30]) walks.push(await walk(sandbox, `${list}${separator}count=${count}`, 400));
    const ids = walks.map((w) => (w.items as { id: string }[]).map((item) => item.id));
    expect(new Set(ids[0]).size).toBe(ids[0]!.length);
    for (const other of ids) expect(other).toEqual(ids[0]);
  });
});
