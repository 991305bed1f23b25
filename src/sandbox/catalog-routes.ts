/** Routes not under a user or a video: tags, collections, audios and their videos, and the three searches. */
import { type Answer, invalid, notFound, ok, type RouteContext, routeNotFound } from './answers.js';
import { isSandboxAudioId, sandboxAudio } from './audios.js';
import { parseCollectionId } from './ids.js';
import { isAnswer, type ListQuery, offsetSlice, pageAnswer, readList } from './pages.js';
import { audioVideoRefs, tagVideoRefs, type VideoRef } from './pool.js';
import { DRIFTING_QUERY, hitBody, searchHits, searchedUser, searchUserNames, searchVideoRefs } from './search.js';
import { collectionCount, collectionVideoRefs } from './social.js';
import { userExists, videoAt } from './videos.js';

/** Tags whose name starts with this do not exist (404, billed). */
export const MISSING_TAG_PREFIX = 'missing';
const TAG = /^#?[\p{L}\p{N}_]{1,100}$/u;

const videoPage = (query: ListQuery, refs: readonly VideoRef[]): Answer => {
  const page = offsetSlice(refs, query);
  return pageAnswer(query, { items: page.items.map((ref) => videoAt(ref.owner, ref.serial)), nextCursor: page.nextCursor }, refs.length);
};

/** GET /tags/{tagName}: videos with the hashtag, newest first. */
export function tagRoute(rawName: string, url: URL): Answer {
  if (!TAG.test(rawName)) return invalid('Invalid tag name');
  const name = rawName.replace(/^#/, '').toLowerCase();
  const query = readList(url, 'tiktokGetTagVideos');
  if (isAnswer(query)) return query;
  if (name.startsWith(MISSING_TAG_PREFIX)) return notFound('Tag not found');
  return videoPage(query, tagVideoRefs(name));
}

/** GET /collections/{collectionId}: the videos of a collection some user's profile lists. */
export function collectionRoute(collectionId: string, url: URL): Answer {
  if (!/^\d{1,19}$/.test(collectionId)) return invalid('Invalid collection id');
  const query = readList(url, 'tiktokGetCollectionVideos');
  if (isAnswer(query)) return query;
  const parsed = parseCollectionId(collectionId);
  if (!parsed || !userExists(parsed.owner) || parsed.index >= collectionCount(parsed.owner)) return notFound('Collection not found');
  return videoPage(query, collectionVideoRefs(parsed.owner, parsed.index));
}

/** GET /audios/{audioId}[/videos]. */
export function audioRoute(audioId: string, sub: string | undefined, url: URL): Answer {
  if (sub !== undefined && sub !== 'videos') return routeNotFound();
  if (!/^\d+$/.test(audioId)) return invalid('Invalid audio id');
  const query = sub === undefined ? undefined : readList(url, 'tiktokGetAudioVideos');
  if (isAnswer(query)) return query;
  if (!isSandboxAudioId(audioId)) return notFound('Audio not found');
  return query === undefined ? ok(sandboxAudio(audioId)) : videoPage(query, audioVideoRefs(audioId));
}

/** GET /search, /search/users, /search/videos (`totalItems` null: results vary). */
export function searchRoute(sub: string | undefined, url: URL, context: RouteContext): Answer {
  if (sub !== undefined && sub !== 'users' && sub !== 'videos') return routeNotFound();
  const query = readList(url, sub === 'users' ? 'tiktokSearchUsers' : sub === 'videos' ? 'tiktokSearchVideos' : 'tiktokSearchContent');
  if (isAnswer(query)) return query;
  const { query: text, order = 'relevance', published = 'all-time' } = query.params;
  if (text === undefined) return invalid('query is required');
  if (sub === 'users') {
    const page = offsetSlice(searchUserNames(text), query);
    return pageAnswer(query, { items: page.items.map(searchedUser), nextCursor: page.nextCursor }, null);
  }
  const fetches = text === DRIFTING_QUERY ? context.fetches(`search/${sub ?? ''}:${text}`) : 0;
  if (sub === 'videos') {
    const page = offsetSlice(searchVideoRefs(text, order, published, context.nowMs, fetches), query);
    return pageAnswer(query, { items: page.items.map((ref) => videoAt(ref.owner, ref.serial)), nextCursor: page.nextCursor }, null);
  }
  const page = offsetSlice(searchHits(text, order, published, context.nowMs, fetches), query);
  return pageAnswer(query, { items: page.items.map(hitBody), nextCursor: page.nextCursor }, null);
}
