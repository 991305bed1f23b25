/**
 * Stories form a stream in time: each user posts every `24h / N`, so the active ones (the last 24 hours)
 * change as the clock moves, and a story keeps its id and content for its whole life.
 */
import type { Story } from '../upstream/types.js';
import { audioBody } from './audios.js';
import { DAY_MS, image, TIKTOK, VIDEO_CDN, WORDS } from './common.js';
import { soundIdFor } from './ids.js';
import { type Persona, personaFor } from './personas.js';
import { embeddedUser } from './profiles.js';
import { hash32, memoize, seededRandom } from './random.js';

const storyAt = memoize(
  (username: string, index: number, publishedMs: number, persona: Persona | undefined) => `${username}:${index}:${publishedMs}:${persona?.minimal ?? false}`,
  storyOf,
);

function storyOf(username: string, index: number, publishedMs: number, persona: Persona | undefined): Story {
  const rng = seededRandom(`story:${username}:${index}`);
  const storyId = String(BigInt(Math.floor(publishedMs / 1000)) * 4_294_967_296n + BigInt(hash32(`${username}:${index}`)));
  const url = `${TIKTOK}/@${username}/video/${storyId}`;
  const isVideo = rng.chance(0.7);
  const required: Story = {
    type: isVideo ? 'Video' : 'Image',
    id: url,
    url,
    entityId: storyId,
    published: new Date(publishedMs).toISOString(),
    viewCount: rng.int(0, 50_000_000),
    likeCount: rng.int(0, 3_000_000),
    commentCount: rng.int(0, 30_000),
    repostCount: rng.int(0, 1000),
    shareCount: rng.int(0, 200_000),
    saveCount: rng.int(0, 200_000),
    attributedTo: embeddedUser(username, rng),
  };
  if (persona?.minimal) return required;
  const headers = { Cookie: `tt_chain_token=${hash32(storyId).toString(36)}`, Referer: 'https://www.tiktok.com/' };
  const media = isVideo
    ? {
        duration: rng.int(5, 60),
        attachment: [
          {
            type: 'Video',
            url: [`${VIDEO_CDN}/${storyId}/540.mp4`],
            mediaType: 'video/mp4',
            width: 576,
            height: 1024,
            name: 'normal_540_0',
            codec: 'h264',
            bitrate: rng.int(600_000, 1_200_000),
            headers,
          },
          {
            type: 'Video',
            url: [`${VIDEO_CDN}/${storyId}/720.mp4`, `${VIDEO_CDN}/backup/${storyId}/720.mp4`],
            mediaType: 'video/mp4',
            width: 720,
            height: 1280,
            name: 'h265_720p_1',
            codec: 'h265',
            bitrate: rng.int(1_200_000, 2_500_000),
            headers,
          },
        ],
        image: [image(`story/${storyId}/cover`)],
        preview: image(`story/${storyId}/preview`, 360, 640),
      }
    : { image: Array.from({ length: rng.int(1, 3) }, (_, i) => image(`story/${storyId}/${i}`)) };
  return {
    ...required,
    content: `${rng.pick(WORDS)} ${rng.pick(WORDS)} #${rng.pick(WORDS)}`,
    endTime: new Date(publishedMs + DAY_MS).toISOString(),
    ...media,
    // A small pool of tracks per user, so that stories share audio.
    audio: audioBody(soundIdFor(username, rng.int(0, 3))),
  };
}

/** The stories active at `nowMs`, newest first. */
export function sandboxStories(username: string, persona: Persona | undefined, nowMs: number): Story[] {
  const perDay = persona?.storyCount ?? seededRandom(`count:${username}`).int(20, 100);
  if (perDay === 0) return [];
  const step = Math.floor(DAY_MS / perDay / 1000) * 1000;
  const offset = (hash32(`offset:${username}`) % (step / 1000)) * 1000;
  const newest = Math.floor((nowMs - offset) / step);
  const stories: Story[] = [];
  for (let index = newest; index > newest - perDay; index--) {
    stories.push(storyAt(username, index, index * step + offset, persona));
  }
  return stories;
}

/** Stories published through the sandbox's controls are numbered from here (never an index in time). */
const PUBLISHED_BASE = 1_000_000_000;

/** The `n`-th story published for `username` through the sandbox's controls, dated `publishedMs`. */
export function publishedStory(username: string, n: number, publishedMs: number): Story {
  return storyOf(username, PUBLISHED_BASE + n, publishedMs, personaFor(username));
}
