/**
 * Audio tracks: any 19-digit id is a track whose details derive from the id alone. Users' own sounds
 * and the catalogue of popular tracks (see ids.ts) are the ones videos use.
 */
import type { AudioDetails, EmbeddedAudio } from '../upstream/types.js';
import { ARTISTS, CONTEXT, image, TIKTOK, titleCase, WORDS } from './common.js';
import { TWO_ARTIST_TRACK } from './ids.js';
import { embeddedUser } from './profiles.js';
import { memoize, seededRandom } from './random.js';

/** Audio tracks are numeric 19-digit ids. */
export function isSandboxAudioId(audioId: string): boolean {
  return /^\d{19}$/.test(audioId);
}

/** A track as embedded in a video or a story (the `/audios/{id}` body less its `@context`). */
export const audioBody = memoize((audioId: string) => audioId, audioOf);

function audioOf(audioId: string): EmbeddedAudio {
  const rng = seededRandom(`audio:${audioId}`);
  const twoArtists = audioId === TWO_ARTIST_TRACK;
  const isOriginal = !twoArtists && rng.chance(0.5);
  const picks = [rng.pick(ARTISTS), rng.pick(ARTISTS), rng.pick(ARTISTS)].filter((a, i, all) => all.indexOf(a) === i);
  const artists = twoArtists ? [ARTISTS[1]!, ARTISTS[2]!] : picks;
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
