/**
 * The nine routes under /users/{username}: the profile, its stories (in time), videos, likes, reposts,
 * collections, following, followers and live. Personas (personas.ts) answer first: a failing status, a
 * broken body, the published examples; the lists then page as pages.ts says (sparse ones for H1).
 */
import type { OperationId } from '../upstream/operations.generated.js';
import { type Answer, brokenBody, notFound, ok, patched, routeNotFound, standardFailure } from './answers.js';
import { exampleFor, REPLAY_USER } from './examples.js';
import { type ListQuery, isAnswer, offsetSlice, pageAnswer, readList, type Slice, sparseSlice, timeSlice } from './pages.js';
import { type Persona, personaFor } from './personas.js';
import { pickFromPool, timeOfRef, type VideoRef, userVideoRefs, viewsOfRef } from './pool.js';
import { listedUser, sandboxProfile } from './profiles.js';
import { hash32 } from './random.js';
import { collectionAt, collectionCount, followerNames, followingNames, liveStreamOf } from './social.js';
import { storiesPage } from './stories-page.js';
import { videoAt } from './videos.js';

const USERNAME = /^@?[A-Za-z0-9._]{1,24}$/;

const LISTS: Record<string, OperationId> = {
  videos: 'tiktokGetUserVideos',
  likes: 'tiktokGetUserLikes',
  reposts: 'tiktokGetUserReposts',
  collections: 'tiktokGetUserCollections',
  stories: 'tiktokGetUserStories',
  following: 'tiktokGetUserFollowing',
  followers: 'tiktokGetUserFollowers',
};

/** GET /users/{username}[/{list} | /live]. */
export function userRoute(rawUsername: string, sub: string | undefined, url: URL, nowMs: number): Answer {
  if (sub !== undefined && sub !== 'live' && !LISTS[sub]) return routeNotFound();
  if (!USERNAME.test(rawUsername)) return standardFailure(400, 'Invalid username');
  const username = rawUsername.replace(/^@/, '').toLowerCase();
  const persona = personaFor(username);
  if (persona?.status) return standardFailure(persona.status, persona.status === 404 ? 'User not found' : undefined);
  const broken = persona?.brokenBody;
  if (broken && broken !== 'cut-off' && broken !== 'stalled') return brokenBody(broken);
  const normalised = new URL(url);
  normalised.pathname = `/v1/tiktok/users/${username}${sub ? `/${sub}` : ''}`;
  const answer = persona?.replaysExamples ? replay(url, sub) : userAnswer(username, persona, sub, normalised, nowMs);
  if (broken && answer.status === 200) return { ...answer, breaksOff: broken === 'cut-off' ? 'reset' : 'stall' };
  return answer;
}

function replay(url: URL, sub: string | undefined): Answer {
  const replayed = new URL(url);
  replayed.pathname = `/v1/tiktok/users/${REPLAY_USER}${sub ? `/${sub}` : ''}`;
  const example = exampleFor(replayed);
  if (!example) return notFound('No published example');
  const cursor = url.searchParams.get('cursor');
  if (cursor && cursor !== '0')
    return pageAnswer({ url, count: Number(url.searchParams.get('count') ?? 30), cursor, params: {} }, { items: [], nextCursor: null }, null);
  return { status: example.response.status, body: JSON.stringify(example.response.body) };
}

function userAnswer(username: string, persona: Persona | undefined, sub: string | undefined, url: URL, nowMs: number): Answer {
  const profile = sandboxProfile(username, persona);
  if (sub === undefined) return ok(persona?.breaksContract?.profile ? patched(profile, persona.breaksContract.profile) : profile);
  if (sub === 'live') return profile.isLive ? ok(liveStreamOf(username, nowMs)) : notFound('User is not currently live');
  const query = readList(url, LISTS[sub]!);
  if (isAnswer(query)) return query;
  if (sub === 'stories') return storiesPage(username, persona, nowMs, query);
  const slice = <T>(all: readonly T[], inTime?: (item: T) => number, ascending = false): Slice<T> =>
    persona?.sparsePages ? sparseSlice(all, query) : inTime ? timeSlice(all, query, inTime, ascending) : offsetSlice(all, query);
  const total = (all: readonly unknown[]) => (persona?.unknownTotal || persona?.sparsePages ? null : all.length);
  const videos = (refs: readonly VideoRef[], order: string | undefined) => {
    const page = order === 'popular' ? slice(refs) : slice(refs, timeOfRef, order === 'oldest');
    return pageAnswer(query, { items: page.items.map((ref) => videoAt(ref.owner, ref.serial)), nextCursor: page.nextCursor }, total(refs));
  };
  switch (sub) {
    case 'videos':
      return videos(userVideoRefs(username, query.params.order as 'newest'), query.params.order);
    case 'likes': {
      if (profile.hasLikes === false) return pageAnswer(query, { items: [], nextCursor: null }, 0);
      const refs = pickFromPool(`likes:${username}`, persona?.socialCount ?? Math.min(profile.likedCount ?? 60, 15 + (hash32(`likes:${username}`) % 120)));
      const page = slice(refs);
      return pageAnswer(query, { items: page.items.map((ref) => videoAt(ref.owner, ref.serial)), nextCursor: page.nextCursor }, total(refs));
    }
    case 'reposts':
      return videos(repostRefs(username, persona, query), query.params.order);
    case 'collections': {
      const all = Array.from({ length: collectionCount(username) }, (_, i) => i);
      const page = slice(all);
      return pageAnswer(query, { items: page.items.map((i) => collectionAt(username, i)), nextCursor: page.nextCursor }, total(all));
    }
    default: {
      const names = sub === 'followers' ? followerNames(username) : followingNames(username);
      const page = slice(names);
      return pageAnswer(query, { items: page.items.map(listedUser), nextCursor: page.nextCursor }, total(names));
    }
  }
}

function repostRefs(username: string, persona: Persona | undefined, query: ListQuery): VideoRef[] {
  const refs = pickFromPool(`reposts:${username}`, persona?.socialCount ?? 3 + (hash32(`reposts:${username}`) % 60));
  const order = query.params.order;
  if (order === 'popular') return [...refs].sort((a, b) => viewsOfRef(b) - viewsOfRef(a));
  return [...refs].sort((a, b) => (order === 'oldest' ? timeOfRef(a) - timeOfRef(b) : timeOfRef(b) - timeOfRef(a)));
}
