/** A user's followers and following, their collections (playlists) and their live broadcast. */
import type { components } from '../upstream/konbini-api.js';
import type { OkData } from '../upstream/types.js';
import { CONTEXT, image, profileUrl, titleCase, WORDS } from './common.js';
import { collectionIdFor, meetOwner, roomIdFor } from './ids.js';
import { personaFor } from './personas.js';
import { POOL_USERS, type VideoRef, userVideoRefs } from './pool.js';
import { embeddedUser, sandboxProfile } from './profiles.js';
import { hash32, memoize, seededRandom } from './random.js';
import { videoTotal } from './videos.js';

export type Collection = components['schemas']['TikTokCollection'];
export type LiveStream = OkData<'tiktokGetUserLive'>;

const HANDLES = ['sunny', 'pixel', 'nova', 'echo', 'lumen', 'mango', 'orbit', 'velvet', 'juno', 'ziggy'];

/** Accounts following `username` (names derived from it), at most 200. */
export const followerNames = memoize(
  (username: string) => username,
  (username: string): string[] => {
    const persona = personaFor(username);
    const n = persona?.socialCount ?? Math.min(sandboxProfile(username, persona).followerCount, 20 + (hash32(`followers:${username}`) % 180));
    return Array.from({ length: n }, (_, i) => {
      const h = hash32(`follower:${username}:${i}`);
      return `${HANDLES[h % HANDLES.length]}_${(h % 46_656).toString(36)}${i}`;
    });
  },
);

/** Accounts `username` follows: creators of the pool first, then others. */
export const followingNames = memoize(
  (username: string) => username,
  (username: string): string[] => {
    const persona = personaFor(username);
    const n = persona?.socialCount ?? Math.min(sandboxProfile(username, persona).followingCount, 10 + (hash32(`following:${username}`) % 100));
    const start = hash32(`following-start:${username}`);
    return Array.from({ length: n }, (_, i) =>
      i < POOL_USERS.length ? POOL_USERS[(start + i) % POOL_USERS.length]! : `${HANDLES[(start + i) % HANDLES.length]}.${i}`,
    ).filter((name) => name !== username);
  },
);

/** How many collections `owner` has (none when the profile says `hasPlaylists: false`). */
export function collectionCount(owner: string): number {
  const persona = personaFor(owner);
  if (persona?.sparsePages) return persona.socialCount ?? 12;
  if (sandboxProfile(owner, persona).hasPlaylists === false) return 0;
  return 1 + (hash32(`collections:${owner}`) % 8);
}

/** The videos in `owner`'s collection `index`: a stride through their own videos. */
export const collectionVideoRefs = memoize(
  (owner: string, index: number) => `${owner}:${index}`,
  (owner: string, index: number): VideoRef[] => {
    const all = userVideoRefs(owner, 'newest');
    const h = hash32(`collection:${owner}:${index}`);
    const size = Math.min(all.length, 3 + (h % 45));
    const stride = 1 + (h % 3);
    return Array.from({ length: size }, (_, i) => all[(index + i * stride) % all.length]!).filter((ref, i, refs) => refs.indexOf(ref) === i);
  },
);

/** `owner`'s collection `index` as listed on the profile (`totalItems` null for some, as the contract allows). */
export const collectionAt = memoize(
  (owner: string, index: number) => `${owner}:${index}`,
  (owner: string, index: number): Collection => {
    const entityId = collectionIdFor(owner, index);
    const rng = seededRandom(`collection-item:${entityId}`);
    const size = videoTotal(owner) === 0 ? 0 : collectionVideoRefs(owner, index).length;
    const required: Collection = {
      type: 'OrderedCollection',
      id: `${profileUrl(owner)}/playlist/${entityId}`,
      name: `${titleCase(rng.pick(WORDS))} ${rng.pick(['favourites', 'series', 'part 2', 'best of'])}`,
      totalItems: index % 4 === 3 ? null : size,
      entityId,
      attributedTo: embeddedUser(owner, rng),
    };
    if (personaFor(owner)?.minimal) return required;
    return { ...required, image: [image(`playlist/${entityId}/cover`, 720, 720)] };
  },
);

const LIVE_BLOCK_MS = 3 * 60 * 60 * 1000;

/** The broadcast of a user whose profile says `isLive: true`: a new room every 3 hours of the sandbox's clock. */
export function liveStreamOf(username: string, nowMs: number): LiveStream {
  meetOwner(username);
  const startedMs = Math.floor(nowMs / LIVE_BLOCK_MS) * LIVE_BLOCK_MS;
  const entityId = roomIdFor(username, startedMs);
  const rng = seededRandom(`live:${entityId}`);
  const url = `${profileUrl(username)}/live`;
  const required: LiveStream = { '@context': CONTEXT, type: 'Video', id: url, url, entityId, isLive: true, attributedTo: embeddedUser(username, rng) };
  if (personaFor(username)?.minimal) return required;
  return {
    ...required,
    published: new Date(startedMs).toISOString(),
    viewCount: rng.int(1_000, 5_000_000),
    viewerCount: rng.int(10, 50_000),
    content: `${titleCase(rng.pick(WORDS))} ${rng.pick(WORDS)} live`,
    image: [image(`live/${entityId}/cover`, 720, 1280)],
    attachment: [
      {
        type: 'Video',
        url: [`https://pull-flv-l11.tiktokcdn.com/stage/stream-${entityId}_or4.flv`],
        mediaType: 'video/x-flv',
        width: 720,
        height: 1280,
        name: 'flv',
        codec: 'h264',
        bitrate: 2_500_000,
      },
      { type: 'Video', url: [`https://pull-hls-l11.tiktokcdn.com/stage/stream-${entityId}_sd/index.m3u8`], mediaType: 'application/x-mpegURL', name: 'hls' },
    ],
  };
}
