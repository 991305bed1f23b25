/**
 * How the sandbox forms TikTok ids, so that any id it hands out can be answered again from the id alone.
 * Every id is a 19-digit string above 2^53 (TikTok's ids do not fit a double either):
 * - video `7` + owner key (10 digits) + serial (8 digits, below 90,000,000; serial 0 is the oldest video);
 * - collection `7` + owner key + `9` + its index on the profile (7 digits);
 * - comment `7` + hash of the video id (10 digits) + serial; a reply `7` + hash of the comment id + serial;
 * - audio: the owner's own sounds 7e18 + (a hash of owner and slot) × 1000 + the slot, and a
 *   catalogue of popular tracks `71000000000000000NN`.
 * The owner key is a hash of the username: it resolves once the sandbox has met the user (any call naming
 * them, or a video of theirs in a list), and always for personas and the users of the shared pool.
 */
import { hash32 } from './random.js';

const owners = new Map<number, string>();
const soundOwners = new Map<number, { owner: string; slot: number }>();
/** How many sounds of their own each user has (stories and videos share them). */
export const SOUND_SLOTS = 4;
const AUDIO_BASE = 7_000_000_000_000_000_000n;

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Remembers `username` as an owner of ids; answers its key. */
export function meetOwner(username: string): number {
  const key = hash32(`owner:${username}`);
  if (owners.get(key) !== username) {
    owners.set(key, username);
    for (let slot = 0; slot < SOUND_SLOTS; slot++) soundOwners.set(hash32(`${username}:${slot}`), { owner: username, slot });
  }
  return key;
}

/** The id of `owner`'s video number `serial` (0 = their first). */
export const videoIdFor = (owner: string, serial: number) => `7${pad(meetOwner(owner), 10)}${pad(serial, 8)}`;

/** The id of `owner`'s collection number `index`. */
export const collectionIdFor = (owner: string, index: number) => `7${pad(meetOwner(owner), 10)}9${pad(index, 7)}`;

/** The owner and serial an id of the `7 + owner key + serial` scheme names, if its owner is known. */
function parseOwned(id: string): { owner: string; serial: number } | undefined {
  const match = /^7(\d{10})(\d{8})$/.exec(id);
  const owner = match ? owners.get(Number(match[1])) : undefined;
  return owner === undefined ? undefined : { owner, serial: Number(match![2]) };
}

/** The owner and serial of a video id. */
export function parseVideoId(id: string): { owner: string; serial: number } | undefined {
  const parsed = parseOwned(id);
  return parsed && parsed.serial < 90_000_000 ? parsed : undefined;
}

/** The owner and index of a collection id. */
export function parseCollectionId(id: string): { owner: string; index: number } | undefined {
  const parsed = parseOwned(id);
  return parsed && parsed.serial >= 90_000_000 ? { owner: parsed.owner, index: parsed.serial - 90_000_000 } : undefined;
}

/** The id of comment number `serial` of a video. */
export const commentIdFor = (videoId: string, serial: number) => `7${pad(hash32(`comments:${videoId}`), 10)}${pad(serial, 8)}`;

/** The serial of a comment id, when it is one of `videoId`'s. */
export function commentSerial(videoId: string, commentId: string): number | undefined {
  const match = /^7(\d{10})(\d{8})$/.exec(commentId);
  return match && Number(match[1]) === hash32(`comments:${videoId}`) ? Number(match[2]) : undefined;
}

/** The id of reply number `serial` to a comment. */
export const replyIdFor = (commentId: string, serial: number) => `7${pad(hash32(`replies:${commentId}`), 10)}${pad(serial, 8)}`;

/** The sound `owner` made in `slot` (the scheme stories always used). */
export const soundIdFor = (owner: string, slot: number) => String(AUDIO_BASE + BigInt(hash32(`${owner}:${slot}`)) * 1000n + BigInt(slot));

/** Who made a sound, when it is a known user's own. */
export function soundOwner(audioId: string): { owner: string; slot: number } | undefined {
  if (!/^7\d{18}$/.test(audioId)) return undefined;
  const offset = BigInt(audioId) - AUDIO_BASE;
  if (offset >= 10_000_000_000_000n) return undefined;
  const found = soundOwners.get(Number(offset / 1000n));
  return found && BigInt(found.slot) === offset % 1000n ? found : undefined;
}

/** Popular tracks that videos of anyone use. */
export const CATALOGUE_SIZE = 24;
export const catalogueTrack = (index: number) => `71000000000000000${pad(index, 2)}`;
export const catalogueIndex = (audioId: string): number | undefined => {
  const match = /^71000000000000000(\d\d)$/.exec(audioId);
  return match && Number(match[1]) < CATALOGUE_SIZE ? Number(match[1]) : undefined;
};

/** A catalogue track credited to exactly two artists (H11). */
export const TWO_ARTIST_TRACK = catalogueTrack(2);

/** A room id for `owner`'s broadcast started at `startedMs`. */
export const roomIdFor = (owner: string, startedMs: number) =>
  `7${pad(hash32(`live:${owner}:${startedMs}`), 10)}${pad(Math.floor(startedMs / 60_000) % 100_000_000, 8)}`;
