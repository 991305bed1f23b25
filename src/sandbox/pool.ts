/**
 * Lists of other people's videos (likes, reposts, tags, audio, search) draw on one shared pool: the
 * newest videos of a fixed set of creators, indexed once by hashtag and by track.
 */
import { ARTISTS, BRANDS, WORDS } from './common.js';
import { catalogueIndex, meetOwner, soundOwner, videoIdFor } from './ids.js';
import { hash32, memoize } from './random.js';
import { publishedMs, soundOf, tagsOf, userExists, videoTotal, viewsOf } from './videos.js';

/** A video by reference: building its body waits until a page holds it. */
export interface VideoRef {
  owner: string;
  serial: number;
  id: string;
  /** `published`, in ms. */
  time: number;
  views: number;
}

/** Creators whose videos fill every list of other people's videos. */
export const POOL_USERS = [...ARTISTS, ...BRANDS, ...Array.from({ length: 20 }, (_, i) => `creator_${WORDS[i % WORDS.length]}${i}`)];
for (const user of POOL_USERS) meetOwner(user);
const PER_USER = 40;

export const refOf = (owner: string, serial: number): VideoRef => ({
  owner,
  serial,
  id: videoIdFor(owner, serial),
  time: publishedMs(owner, serial),
  views: viewsOf(owner, serial),
});
export const timeOfRef = (ref: VideoRef) => ref.time;
export const viewsOfRef = (ref: VideoRef) => ref.views;

/** `owner`'s videos in `order`, as references. */
export const userVideoRefs: (owner: string, order: 'newest' | 'popular' | 'oldest') => VideoRef[] = memoize(
  (owner: string, order: 'newest' | 'popular' | 'oldest') => `${owner}:${order}`,
  (owner: string, order: 'newest' | 'popular' | 'oldest'): VideoRef[] => {
    if (order === 'oldest') return Array.from({ length: videoTotal(owner) }, (_, serial) => refOf(owner, serial));
    const refs = [...userVideoRefs(owner, 'oldest')].reverse();
    return order === 'newest' ? refs : refs.sort((a, b) => b.views - a.views || b.serial - a.serial);
  },
);

interface PoolIndex {
  all: VideoRef[];
  byTag: Map<string, VideoRef[]>;
  byTrack: Map<string, VideoRef[]>;
}

/** Every pool video, newest first, and its indexes (built once). */
export const poolIndex = memoize(
  () => 'pool',
  (): PoolIndex => {
    const all = POOL_USERS.flatMap((owner) => userVideoRefs(owner, 'newest').slice(0, PER_USER));
    all.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1));
    const byTag = new Map<string, VideoRef[]>();
    const byTrack = new Map<string, VideoRef[]>();
    const add = (map: Map<string, VideoRef[]>, key: string, ref: VideoRef) => {
      const list = map.get(key);
      if (list) list.push(ref);
      else map.set(key, [ref]);
    };
    for (const ref of all) {
      for (const tag of tagsOf(ref.id)) add(byTag, tag, ref);
      add(byTrack, soundOf(ref.owner, ref.id), ref);
    }
    return { all, byTag, byTrack };
  },
);

/** `n` distinct pool videos picked for `seed`, in a fixed pseudo-random order. */
export function pickFromPool(seed: string, n: number): VideoRef[] {
  const { all } = poolIndex();
  const h = hash32(seed);
  const strides = [7, 11, 13, 17, 19, 23, 29, 31].filter((p) => all.length % p !== 0);
  const stride = strides[h % strides.length]!;
  return Array.from({ length: Math.min(n, all.length) }, (_, i) => all[(h + i * stride) % all.length]!);
}

/** Videos with hashtag `tag`, newest first (only the sandbox's hashtags have any). */
export const tagVideoRefs = (tag: string): VideoRef[] => poolIndex().byTag.get(tag) ?? [];

/** Videos using track `audioId`, newest first: pool videos for a catalogue track, the owner's for their own sound. */
export const audioVideoRefs = memoize(
  (audioId: string) => audioId,
  (audioId: string): VideoRef[] => {
    if (catalogueIndex(audioId) !== undefined) return poolIndex().byTrack.get(audioId) ?? [];
    const sound = soundOwner(audioId);
    if (!sound || !userExists(sound.owner) || videoTotal(sound.owner) === 0) return [];
    return userVideoRefs(sound.owner, 'newest').filter((ref) => soundOf(ref.owner, ref.id) === audioId);
  },
);
