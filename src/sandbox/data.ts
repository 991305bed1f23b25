/**
 * The sandbox's TikTok: deterministic profiles, stories and audio for any valid username or audio id.
 * Stories form a stream in time: each user posts every `24h / N`, so the active ones (the last 24 hours)
 * change as the clock moves, and a story keeps its id and content for its whole life.
 */
import type { AudioDetails, EmbeddedAudio, EmbeddedUser, Image, Profile, Story } from '../upstream/types.js';
import { type Persona, personaFor } from './personas.js';
import { hash32, memoize, type Random, seededRandom } from './random.js';

const TIKTOK = 'https://www.tiktok.com';
const CDN = 'https://p16-sign.tiktokcdn-us.com';
const VIDEO_CDN = 'https://v19-webapp.tiktok.com/video/tos/us';
const DAY_MS = 24 * 60 * 60 * 1000;
const CONTEXT: Profile['@context'] = ['https://www.w3.org/ns/activitystreams#', 'https://konbiniapi.com/ns/social#'];
const ARTISTS = ['charlidamelio', 'bellapoarch', 'zachking', 'addisonre', 'mrbeast', 'khaby.lame'];
const WORDS = ['simple', 'life', 'hack', 'morning', 'dance', 'recipe', 'travel', 'behind', 'scenes', 'friday'];

const profileUrl = (username: string) => `${TIKTOK}/@${username}`;
const titleCase = (username: string) =>
  username
    .split(/[._]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

function image(path: string, width = 720, height = 1280): Image {
  return { type: 'Image', url: `${CDN}/${path}.jpeg`, width, height };
}

function secUid(username: string): string {
  return `MS4wLjABAAAA${Buffer.from(`${username}:${hash32(username)}`).toString('base64url')}`;
}

/** The sample profile printed in the OpenAPI file, verbatim. */
function sampleProfile(): Profile {
  return {
    '@context': CONTEXT,
    type: 'Person',
    id: 'https://www.tiktok.com/@khaby.lame',
    url: 'https://www.tiktok.com/@khaby.lame',
    entityId: 'MS4wLjABAAAAwAg0rSzO65WQfz4RzQgGv2Xdv108BgPXhRrrmNVIHQZ9PO8-flwwRtEppYTS0OjA',
    name: 'Khabane Lame',
    preferredUsername: 'khaby.lame',
    summary: 'Just a guy who reacts',
    attachment: [{ type: 'Link', href: 'https://linktr.ee/khaby.lame', rel: 'preferred' }],
    published: '2020-03-15T00:00:00.000Z',
    isPrivate: false,
    isVerified: true,
    isLive: false,
    hasLikes: true,
    hasPlaylists: true,
    followerCount: 160300000,
    followingCount: 85,
    language: 'en',
    likeCount: 2600000000,
    likedCount: 5300,
    mediaCount: 1309,
    icon: { type: 'Image', url: `${CDN}/tos-maliva-avt-0068/avatar.jpeg`, width: 576, height: 1024 },
    image: [{ type: 'Image', url: `${CDN}/tos-maliva-avt-0068/avatar.jpeg`, width: 576, height: 1024 }],
  };
}

/** The profile of `username` (already normalised). */
export const sandboxProfile = memoize((username: string, persona: Persona | undefined) => `${username}:${persona?.minimal ?? false}`, profileOf);

function profileOf(username: string, persona: Persona | undefined): Profile {
  if (username === 'khaby.lame') return sampleProfile();
  const rng = seededRandom(`profile:${username}`);
  const followerCount = rng.int(0, 200_000_000);
  const required: Profile = {
    '@context': CONTEXT,
    type: 'Person',
    id: profileUrl(username),
    url: profileUrl(username),
    entityId: secUid(username),
    name: titleCase(username) || username,
    preferredUsername: username,
    isPrivate: rng.chance(0.1),
    isVerified: rng.chance(0.3),
    isLive: rng.chance(0.05),
    followerCount,
    followingCount: rng.int(0, 5000),
    likeCount: followerCount * rng.int(3, 25),
    mediaCount: rng.int(0, 3000),
  };
  if (persona?.minimal) return required;
  return {
    ...required,
    summary: `${titleCase(username)} | ${rng.pick(WORDS)} & ${rng.pick(WORDS)}`,
    attachment: rng.chance(0.6) ? [{ type: 'Link', href: `https://linktr.ee/${username}`, rel: 'preferred' }] : [],
    published: new Date(Date.UTC(2016 + rng.int(0, 8), rng.int(0, 11), rng.int(1, 28))).toISOString(),
    hasLikes: rng.chance(0.5),
    hasPlaylists: rng.chance(0.5),
    language: rng.pick(['en', 'fr', 'es', 'ja', 'pt']),
    likedCount: rng.int(0, 20_000),
    icon: image(`avt/${username}/720`, 720, 720),
    image: [image(`avt/${username}/100`, 100, 100), image(`avt/${username}/720`, 720, 720)],
  };
}

/** An embedded author: a few of the profile's fields, as KonbiniAPI embeds them. */
function embeddedUser(username: string, rng: Random): EmbeddedUser {
  const profile = sandboxProfile(username, personaFor(username));
  const user: EmbeddedUser = {
    type: 'Person',
    id: profile.id,
    url: profile.url,
    isPrivate: profile.isPrivate,
    isVerified: profile.isVerified,
    name: profile.name,
  };
  if (rng.chance(0.5)) user.preferredUsername = username;
  return user;
}

/** Audio tracks are numeric 19-digit ids; each one's details derive from the id alone. */
export function isSandboxAudioId(audioId: string): boolean {
  return /^\d{19}$/.test(audioId);
}

const audioBody = memoize((audioId: string) => audioId, audioOf);

function audioOf(audioId: string): EmbeddedAudio {
  const rng = seededRandom(`audio:${audioId}`);
  const isOriginal = rng.chance(0.5);
  const artists = [rng.pick(ARTISTS), rng.pick(ARTISTS), rng.pick(ARTISTS)].filter((a, i, all) => all.indexOf(a) === i);
  const authors = artists.map((a) => embeddedUser(a, rng));
  return {
    type: 'Audio',
    id: `${TIKTOK}/music/${isOriginal ? 'original-sound' : rng.pick(WORDS)}-${audioId}`,
    url: `https://sf16-ies-music.tiktokcdn.com/obj/tos-alisg-v/${audioId}.mp3`,
    name: isOriginal ? 'original sound' : `${titleCase(rng.pick(WORDS))} ${titleCase(rng.pick(WORDS))}`,
    duration: rng.int(8, 60),
    mediaType: 'audio/mpeg',
    attributedTo: isOriginal || authors.length === 1 ? authors[0]! : authors,
    icon: image(`music/${audioId}/100`, 100, 100),
    image: [image(`music/${audioId}/100`, 100, 100), image(`music/${audioId}/720`, 720, 720)],
    entityId: audioId,
    album: isOriginal ? undefined : `${titleCase(rng.pick(WORDS))} Sessions`,
    isOriginal,
    isCopyrighted: !isOriginal && rng.chance(0.7),
    videoCount: rng.int(10, 3_000_000_000),
  };
}

/** GET /audios/{audioId}. */
export function sandboxAudio(audioId: string): AudioDetails {
  return { '@context': CONTEXT, ...audioBody(audioId) };
}

/** A small pool of tracks per user, so that stories share audio. */
function audioIdFor(username: string, rng: Random): string {
  const slot = rng.int(0, 3);
  return String(7_000_000_000_000_000_000n + BigInt(hash32(`${username}:${slot}`)) * 1000n + BigInt(slot));
}

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
          { type: 'Video', url: [`${VIDEO_CDN}/${storyId}/540.mp4`], mediaType: 'video/mp4', width: 576, height: 1024, name: 'normal_540_0', codec: 'h264', bitrate: rng.int(600_000, 1_200_000), headers },
          { type: 'Video', url: [`${VIDEO_CDN}/${storyId}/720.mp4`, `${VIDEO_CDN}/backup/${storyId}/720.mp4`], mediaType: 'video/mp4', width: 720, height: 1280, name: 'h265_720p_1', codec: 'h265', bitrate: rng.int(1_200_000, 2_500_000), headers },
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
    audio: audioBody(audioIdFor(username, rng)),
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
