/** Constants and small builders every generator of the sandbox shares. */
import type { Image, Profile } from '../upstream/types.js';

export const TIKTOK = 'https://www.tiktok.com';
export const CDN = 'https://p16-sign.tiktokcdn-us.com';
export const VIDEO_CDN = 'https://v19-webapp.tiktok.com/video/tos/us';
export const DAY_MS = 24 * 60 * 60 * 1000;
export const CONTEXT: Profile['@context'] = ['https://www.w3.org/ns/activitystreams#', 'https://konbiniapi.com/ns/social#'];
export const ARTISTS = ['charlidamelio', 'bellapoarch', 'zachking', 'addisonre', 'mrbeast', 'khaby.lame'];
export const WORDS = ['simple', 'life', 'hack', 'morning', 'dance', 'recipe', 'travel', 'behind', 'scenes', 'friday'];
/** Accounts of companies: `type: Organization` on their profile and wherever they are embedded. */
export const BRANDS = ['nike', 'netflix', 'redbull', 'duolingo'];
/** Where every video the sandbox dates lies: its users' newest videos are just before this instant. */
export const VIDEO_EPOCH_MS = Date.parse('2026-02-27T18:36:42.000Z');

export const profileUrl = (username: string) => `${TIKTOK}/@${username}`;
export const videoUrl = (owner: string, videoId: string) => `${TIKTOK}/@${owner}/video/${videoId}`;

export const titleCase = (username: string) =>
  username
    .split(/[._]/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

export function image(path: string, width = 720, height = 1280): Image {
  return { type: 'Image', url: `${CDN}/${path}.jpeg`, width, height };
}
