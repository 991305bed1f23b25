/**
 * Comments of a video and their replies. A comment's `replyCount` is exactly the number of replies its
 * list serves (0 for many). Top-level comments come newest first; replies oldest first.
 * H2: the videos of a `shiftingComments` persona gain 3 comments at the top on every fetch of their
 * comments, counted per sandbox, so an offset cursor taken before sees 3 items again.
 */
import type { components } from '../upstream/konbini-api.js';
import { commentIdFor, commentSerial, replyIdFor } from './ids.js';
import { personaFor } from './personas.js';
import { embeddedUser } from './profiles.js';
import { hash32, memoize, seededRandom } from './random.js';
import type { Video } from './videos.js';

export type Comment = components['schemas']['TikTokComment'];

const NAMES = ['maria', 'leo', 'sam', 'yuki', 'ana', 'tom', 'lina', 'omar', 'zoe', 'ivan'];
const SAYINGS = [
  'This man never misses',
  'I needed this today',
  'wait for the end',
  'the simpler way is always right',
  'who else is here in 2026',
  'tutorial please',
  'not me trying this at 3am',
];
const SHIFT = 3;
const MINUTE_MS = 60_000;

/** The username of someone who comments (many distinct, all valid). */
const commenter = (seed: string) => {
  const h = hash32(seed);
  return `${NAMES[h % NAMES.length]}${['_', '.', ''][h % 3]}${h % 1000}`;
};

/** How many comments a video has before any shift. */
const baseCount = (video: Video) => Math.min(video.commentCount, 10 + (hash32(`comment-count:${video.entityId}`) % 140));

/** Whether the comments of this video shift between fetches (H2). */
export const shifts = (_video: Video, owner: string) => Boolean(personaFor(owner)?.shiftingComments);

/** Comment serials of the video, as served at its `fetches`-th fetch (0-based): newest first. */
export function commentSerials(video: Video, fetches: number): number[] {
  const total = baseCount(video) + SHIFT * fetches;
  return Array.from({ length: total }, (_, i) => total - 1 - i);
}

/** Whether `commentId` is a comment the video has had (by its `fetches`-th fetch). */
export function commentExists(video: Video, commentId: string, fetches: number): number | undefined {
  const serial = commentSerial(video.entityId, commentId);
  return serial !== undefined && serial < baseCount(video) + SHIFT * fetches ? serial : undefined;
}

/** How many replies comment `serial` of a video has. */
export const replyCountOf = (videoId: string, serial: number) => {
  const rng = seededRandom(`replies:${videoId}:${serial}`);
  return rng.chance(0.4) ? 0 : rng.int(1, 75);
};

/** Comment `serial` of a video. */
export const commentAt = memoize((video: Video, _owner: string, serial: number) => `${video.entityId}:${serial}`, commentOf);

function commentOf(video: Video, owner: string, serial: number): Comment {
  const entityId = commentIdFor(video.entityId, serial);
  return note(
    `comment:${entityId}`,
    video,
    owner,
    entityId,
    video.url,
    Date.parse(video.published) + (serial + 1) * 7 * MINUTE_MS,
    replyCountOf(video.entityId, serial),
    serial === 0,
  );
}

/** Reply `serial` to a comment (`parent` its permalink). */
export const replyAt = memoize(
  (_video: Video, _owner: string, commentId: string, serial: number) => `${commentId}:${serial}`,
  (video: Video, owner: string, commentId: string, serial: number) => {
    const entityId = replyIdFor(commentId, serial);
    const parentMs = Date.parse(video.published) + 7 * MINUTE_MS;
    return note(`reply:${entityId}`, video, owner, entityId, `${video.url}/comment/${commentId}`, parentMs + (serial + 1) * 3 * MINUTE_MS, undefined, false);
  },
);

function note(
  seed: string,
  video: Video,
  owner: string,
  entityId: string,
  inReplyTo: string,
  publishedMs: number,
  replyCount: number | undefined,
  maybePinned: boolean,
): Comment {
  const rng = seededRandom(seed);
  const id = `${video.url}/comment/${entityId}`;
  const required: Comment = {
    type: 'Note',
    id,
    content: `${rng.pick(SAYINGS)}${rng.chance(0.3) ? ' 😂' : ''}`,
    likeCount: rng.int(0, 100_000),
    attributedTo: embeddedUser(commenter(seed), rng),
  };
  if (personaFor(owner)?.minimal) return required;
  return {
    ...required,
    url: id,
    entityId,
    language: rng.pick(['en', 'fr', 'es']),
    published: new Date(publishedMs).toISOString(),
    ...(replyCount === undefined ? {} : { replyCount }),
    status: '1',
    isPinned: maybePinned && hash32(video.entityId) % 3 === 0,
    isLiked: rng.chance(0.1),
    inReplyTo,
  };
}
