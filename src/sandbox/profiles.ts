/** Profiles and the embedded copies of users that every list and item carries. */
import type { EmbeddedUser, Profile } from '../upstream/types.js';
import { BRANDS, CDN, CONTEXT, image, profileUrl, titleCase, WORDS } from './common.js';
import { meetOwner } from './ids.js';
import { type Persona, personaFor } from './personas.js';
import { hash32, memoize, type Random, seededRandom } from './random.js';

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
  meetOwner(username);
  if (username === 'khaby.lame') return sampleProfile();
  const rng = seededRandom(`profile:${username}`);
  const followerCount = rng.int(0, 200_000_000);
  const required: Profile = {
    '@context': CONTEXT,
    type: BRANDS.includes(username) ? 'Organization' : 'Person',
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
  if (persona?.profile?.isLive !== undefined) required.isLive = persona.profile.isLive;
  if (persona?.minimal) return required;
  return {
    ...required,
    summary: `${titleCase(username)} | ${rng.pick(WORDS)} & ${rng.pick(WORDS)}`,
    attachment: rng.chance(0.6) ? [{ type: 'Link', href: `https://linktr.ee/${username}`, rel: 'preferred' }] : [],
    published: new Date(Date.UTC(2016 + rng.int(0, 8), rng.int(0, 11), rng.int(1, 28))).toISOString(),
    hasLikes: persona?.profile?.hasLikes ?? rng.chance(0.5),
    hasPlaylists: persona?.profile?.hasPlaylists ?? rng.chance(0.5),
    language: rng.pick(['en', 'fr', 'es', 'ja', 'pt']),
    likedCount: rng.int(0, 20_000),
    icon: image(`avt/${username}/720`, 720, 720),
    image: [image(`avt/${username}/100`, 100, 100), image(`avt/${username}/720`, 720, 720)],
  };
}

/** An embedded user: a few of the profile's fields, as KonbiniAPI embeds them (`preferredUsername` half the time). */
export function embeddedUser(username: string, rng: Random): EmbeddedUser {
  const profile = sandboxProfile(username, personaFor(username));
  const user: EmbeddedUser = {
    type: profile.type,
    id: profile.id,
    url: profile.url,
    isPrivate: profile.isPrivate,
    isVerified: profile.isVerified,
    name: profile.name,
  };
  if (rng.chance(0.5)) user.preferredUsername = username;
  return user;
}

/** A fuller embedded user (followers, following, search): the profile less its `@context` and a few counts. */
export const listedUser = memoize(
  (username: string) => username,
  (username: string): EmbeddedUser => {
    const { '@context': _context, likedCount: _liked, hasPlaylists: _playlists, ...user } = sandboxProfile(username, personaFor(username));
    return user;
  },
);
