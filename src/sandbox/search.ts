/**
 * Search: videos from the shared pool and accounts derived from the query, the same for the same query
 * (and order, and window), except for two queries: `drifting` (H2: 3 new results at the top on every
 * fetch, counted per sandbox) and `mixed` (H11: Video, Person and Organization items, plus one item of a
 * type the contract does not know, at index 3 of its first page).
 */
import type { EmbeddedUser } from '../upstream/types.js';
import { BRANDS, DAY_MS, TIKTOK } from './common.js';
import { meetOwner } from './ids.js';
import { pickFromPool, timeOfRef, type VideoRef } from './pool.js';
import { listedUser } from './profiles.js';
import { hash32, memoize } from './random.js';
import { type Video, videoAt } from './videos.js';

export const DRIFTING_QUERY = 'drifting';
export const MIXED_QUERY = 'mixed';
/** Where the item that breaks the contract on purpose sits in the `mixed` results. */
export const MIXED_UNKNOWN_INDEX = 3;
const DRIFT = 3;

const WINDOW_DAYS: Record<string, number> = { yesterday: 1, 'this-week': 7, 'this-month': 30, 'last-3-months': 92, 'last-6-months': 183 };

/** The query as a username stem: its username characters, at most 14. */
const stem = (query: string) =>
  query
    .toLowerCase()
    .replace(/[^a-z0-9._]/g, '')
    .slice(0, 14) || 'user';

/** Accounts matching `query`: the stem itself, then variations of it. */
export const searchUserNames = memoize(
  (query: string) => query,
  (query: string): string[] => {
    const s = stem(query);
    const n = 10 + (hash32(`search-users:${query}`) % 45);
    const names = [s, `${s}_official`, `${s}.fan`, `the.${s}`, `${s}.tv`];
    for (let i = 0; names.length < n; i++) names.push(`${s}_${i}`);
    return names.slice(0, n);
  },
);

export const searchedUser = (username: string): EmbeddedUser => {
  meetOwner(username);
  return listedUser(username);
};

/** Videos matching `query` in `order` within `published` (relative to `nowMs`), at its `fetches`-th fetch. */
export function searchVideoRefs(query: string, order: string, published: string, nowMs: number, fetches: number): VideoRef[] {
  const n = 20 + (hash32(`search:${query}`) % 150);
  const drift = query === DRIFTING_QUERY ? DRIFT * fetches : 0;
  const picks = pickFromPool(`search:${query}`, n + drift);
  let refs = [...picks.slice(n).reverse(), ...picks.slice(0, n)];
  const days = WINDOW_DAYS[published];
  if (days !== undefined) refs = refs.filter((ref) => timeOfRef(ref) >= nowMs - days * DAY_MS);
  if (order === 'date-posted') return [...refs].sort((a, b) => timeOfRef(b) - timeOfRef(a));
  if (order === 'most-liked') return [...refs].sort((a, b) => likes(b) - likes(a));
  return refs;
}

const likes = (ref: VideoRef) => videoAt(ref.owner, ref.serial).likeCount;

export type SearchHit = { video: VideoRef } | { user: string } | { unknown: VideoRef };

/**
 * /search: videos with an account every fourth item (a company's for some queries, always for `mixed`);
 * a drifting query's new videos go on top of that.
 */
export function searchHits(query: string, order: string, published: string, nowMs: number, fetches: number): SearchHit[] {
  const videos = searchVideoRefs(query, order, published, nowMs, 0);
  const drifted = fetches > 0 ? searchVideoRefs(query, order, published, nowMs, fetches).filter((ref) => !videos.includes(ref)) : [];
  const users = searchUserNames(query);
  const hits: SearchHit[] = videos.map((video) => ({ video }));
  for (let i = 0; i < Math.min(users.length, Math.floor(hits.length / 3)); i++) hits.splice(i * 4 + 1, 0, { user: users[i]! });
  if (query === MIXED_QUERY || hash32(`brand:${query}`) % 3 === 0) hits.splice(2, 0, { user: BRANDS[hash32(query) % BRANDS.length]! });
  if (query === MIXED_QUERY && videos[0]) hits.splice(MIXED_UNKNOWN_INDEX, 0, { unknown: videos[0] });
  return [...drifted.map((video) => ({ video })), ...hits];
}

/** The body of a search hit; an `unknown` one is a photo post the contract has no type for. */
export function hitBody(hit: SearchHit): Video | EmbeddedUser | Record<string, unknown> {
  if ('video' in hit) return videoAt(hit.video.owner, hit.video.serial);
  if ('user' in hit) return searchedUser(hit.user);
  const id = `${TIKTOK}/@${hit.unknown.owner}/photo/${hit.unknown.id}`;
  return { type: 'Photo', id, url: id, entityId: hit.unknown.id, name: 'A photo post', published: new Date(timeOfRef(hit.unknown)).toISOString() };
}
