/**
 * Videos: each derives from its id alone (owner, serial: see ids.ts), so a video is the same body in
 * every list that holds it and at /videos/{id}. A user's videos are serials 0 (oldest) to total − 1.
 */
import type { components } from '../upstream/konbini-api.js';
import type { OkData } from '../upstream/types.js';
import { audioBody } from './audios.js';
import { CONTEXT, DAY_MS, image, profileUrl, VIDEO_CDN, VIDEO_EPOCH_MS, videoUrl, WORDS } from './common.js';
import { CATALOGUE_SIZE, catalogueTrack, parseVideoId, SOUND_SLOTS, soundIdFor, videoIdFor } from './ids.js';
import { personaFor } from './personas.js';
import { embeddedUser, sandboxProfile } from './profiles.js';
import { hash32, memoize, seededRandom } from './random.js';

export type Video = components['schemas']['TikTokVideo'];
export type VideoDetails = OkData<'tiktokGetVideo'>;
export type VideoOrder = 'newest' | 'popular' | 'oldest';

/** Hashtags videos carry; tag lists are made of these (any other tag has no video). */
export const TAGS = [...WORDS, 'fyp', 'comedy', 'food', 'pets', 'diy', 'music'];
export const VIRAL_VIEWS = 3_000_000_000;

/** Whether the sandbox has such a user (every valid username but the failing personas). */
export const userExists = (username: string) => personaFor(username)?.status === undefined && !personaFor(username)?.brokenBody;

/** How many videos `owner` has posted. */
export const videoTotal = memoize(
  (owner: string) => owner,
  (owner: string) => {
    const persona = personaFor(owner);
    if (persona?.videoCount !== undefined) return persona.videoCount;
    return Math.min(sandboxProfile(owner, persona).mediaCount, 30 + (hash32(`videos:${owner}`) % 120));
  },
);

const cadence = memoize(
  (owner: string) => owner,
  (owner: string) => {
    const h = hash32(`cadence:${owner}`);
    const step = (1 + (h % 4)) * DAY_MS + (h % 3600) * 1000;
    const newest = VIDEO_EPOCH_MS - (hash32(`latest:${owner}`) % (30 * 86_400)) * 1000;
    return { step, oldest: newest - (videoTotal(owner) - 1) * step };
  },
);

/** When `owner` posted video `serial` (ms, strictly increasing with the serial). */
export function publishedMs(owner: string, serial: number): number {
  const { step, oldest } = cadence(owner);
  return oldest + serial * step;
}

/** Views of a video, without building it (popular order sorts on it). */
export function viewsOf(owner: string, serial: number): number {
  if (personaFor(owner)?.viral && serial === videoTotal(owner) - 1) return VIRAL_VIEWS;
  return seededRandom(`views:${owner}:${serial}`).int(1_000, 60_000_000);
}

/** The hashtags of a video, without building it (tag lists index them). */
export function tagsOf(videoId: string): string[] {
  const rng = seededRandom(`tags:${videoId}`);
  const tags = [rng.pick(TAGS), rng.pick(TAGS), rng.pick(TAGS)].slice(0, rng.int(1, 3));
  return tags.filter((t, i) => tags.indexOf(t) === i);
}

/** The track of a video, without building it: one of the owner's own sounds or a catalogue track. */
export function soundOf(owner: string, videoId: string): string {
  const rng = seededRandom(`sound:${videoId}`);
  return rng.chance(0.5) ? catalogueTrack(rng.int(0, CATALOGUE_SIZE - 1)) : soundIdFor(owner, rng.int(0, SOUND_SLOTS - 1));
}

/** The video with this id, when the sandbox has it. */
export function sandboxVideo(videoId: string): Video | undefined {
  const parsed = parseVideoId(videoId);
  if (!parsed || !userExists(parsed.owner) || parsed.serial >= videoTotal(parsed.owner)) return undefined;
  return videoAt(parsed.owner, parsed.serial);
}

/** GET /videos/{videoId}: the list item plus `@context`. */
export function sandboxVideoDetails(videoId: string): VideoDetails | undefined {
  const video = sandboxVideo(videoId);
  return video && { '@context': CONTEXT, ...video };
}

/** `owner`'s video number `serial`. */
export const videoAt = memoize((owner: string, serial: number) => `${owner}:${serial}`, videoOf);

function videoOf(owner: string, serial: number): Video {
  const id = videoIdFor(owner, serial);
  const url = videoUrl(owner, id);
  const rng = seededRandom(`video:${id}`);
  const viewCount = viewsOf(owner, serial);
  const required: Video = {
    type: 'Video',
    id: url,
    url,
    entityId: id,
    published: new Date(publishedMs(owner, serial)).toISOString(),
    viewCount,
    likeCount: Math.floor(viewCount * rng.next() * 0.15),
    commentCount: rng.int(0, 40_000),
    repostCount: rng.int(0, 2000),
    shareCount: rng.int(0, 300_000),
    saveCount: rng.int(0, 300_000),
    attributedTo: embeddedUser(owner, rng),
  };
  if (personaFor(owner)?.minimal) return required;
  const tags = tagsOf(id);
  const headers = { Cookie: `tt_chain_token=${hash32(id).toString(36)}`, Referer: 'https://www.tiktok.com/' };
  const mention = rng.chance(0.2) ? rng.pick(['zachking', 'mrbeast', 'bellapoarch']) : undefined;
  return {
    ...required,
    content: `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${tags.map((t) => `#${t}`).join(' ')}${mention ? ` @${mention}` : ''}`,
    duration: rng.int(5, 180),
    language: rng.pick(['en', 'fr', 'es', 'ja', 'pt']),
    isSponsored: rng.chance(0.05),
    ...(rng.chance(0.4)
      ? {
          location: rng.chance(0.5)
            ? { type: 'Place', name: 'US' }
            : {
                type: 'Place',
                id: String(hash32(`place:${id}`)),
                name: 'Los Angeles, California',
                url: `https://www.tiktok.com/place/${hash32(`place:${id}`)}`,
                latitude: 34.0522,
                longitude: -118.2437,
              },
        }
      : {}),
    tag: [
      ...tags.map((name) => ({
        type: 'Tag',
        name,
        href: `https://www.tiktok.com/tag/${name}`,
        id: `https://www.tiktok.com/tag/${name}`,
        entityId: String(hash32(`tag:${name}`)),
      })),
      ...(mention ? [{ type: 'Mention', name: `@${mention}`, href: profileUrl(mention), id: profileUrl(mention) }] : []),
    ],
    attachment: [
      {
        type: 'Video',
        name: 'normal_540_0',
        url: [`https://api16-normal-c-useast1a.tiktokv.com/aweme/v1/play/?video_id=v0${id}&line=0&ratio=540p`, `${VIDEO_CDN}/${id}/540.mp4`],
        headers,
        mediaType: 'video/mp4',
        codec: 'h264',
        width: 576,
        height: 1024,
        bitrate: rng.int(600_000, 1_200_000),
      },
      {
        type: 'Video',
        name: 'h265_720p_1',
        url: [`${VIDEO_CDN}/${id}/720.mp4`],
        headers,
        mediaType: 'video/mp4',
        codec: 'h265',
        width: 720,
        height: 1280,
        bitrate: rng.int(1_200_000, 2_500_000),
      },
    ],
    image: [image(`video/${id}/cover`), image(`video/${id}/cover-small`, 360, 640)],
    preview: image(`video/${id}/preview`, 360, 640),
    audio: audioBody(soundOf(owner, id)),
  };
}
