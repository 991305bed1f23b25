/**
 * Changes made to the sandbox while it runs, for live subscriptions: stories and videos published now
 * (new ids, first in their owner's newest page, counted in `totalItems`), profile fields changed, and
 * an outage (every call 503, refunded) switched on and off. Deterministic: the n-th story published for
 * a user is always the same story, dated by the sandbox's clock.
 */
import type { Profile, Story, Video } from '../upstream/types.js';
import type { Answer } from './answers.js';
import { personaFor } from './personas.js';
import { sandboxProfile } from './profiles.js';
import { publishedStory } from './stories.js';
import { videoAt, videoTotal } from './videos.js';

export interface LiveEdits {
  /** Publishes a new story of `username` (normalised), dated `nowMs`; returns it. */
  publishStory(username: string, nowMs: number): Story;
  /** Publishes a new video of `username`, dated `nowMs`; returns it. */
  publishVideo(username: string, nowMs: number): Video;
  /** Changes profile fields of `username` (by default one more follower); returns the new profile. */
  changeProfile(username: string, changes?: Partial<Profile>): Profile;
  /** The answer to a user route, with the edits applied. */
  apply(url: URL, answer: Answer): Answer;
}

const USER_ROUTE = /^\/v1\/tiktok\/users\/@?([^/]+)(?:\/(stories|videos))?$/;

export function createLiveEdits(): LiveEdits {
  const stories = new Map<string, Story[]>();
  const videos = new Map<string, Video[]>();
  const profiles = new Map<string, Partial<Profile>>();
  const profileOf = (username: string) => ({ ...sandboxProfile(username, personaFor(username)), ...profiles.get(username) }) as Profile;

  const prepend = (url: URL, answer: Answer, items: readonly unknown[]): Answer => {
    const body = JSON.parse(answer.body) as { data: { orderedItems: unknown[]; itemCount: number; totalItems: number | null } };
    const page = body.data;
    // The page keeps its size: what the published items push off its end starts the next page (not modelled).
    page.orderedItems = [...items, ...page.orderedItems].slice(0, Math.max(page.orderedItems.length, Number(url.searchParams.get('count') ?? 30)));
    page.itemCount = page.orderedItems.length;
    if (page.totalItems !== null) page.totalItems += items.length;
    return { ...answer, body: JSON.stringify(body) };
  };

  return {
    publishStory(username, nowMs) {
      const list = stories.get(username) ?? [];
      const story = publishedStory(username, list.length, nowMs);
      stories.set(username, [story, ...list]);
      return story;
    },
    publishVideo(username, nowMs) {
      const list = videos.get(username) ?? [];
      const base = videoAt(username, videoTotal(username) + list.length);
      const video = { ...base, published: new Date(nowMs).toISOString() };
      videos.set(username, [video, ...list]);
      return video;
    },
    changeProfile(username, changes) {
      const current = profileOf(username);
      profiles.set(username, { ...profiles.get(username), ...(changes ?? { followerCount: current.followerCount + 1 }) });
      return profileOf(username);
    },
    apply(url, answer) {
      if (answer.status !== 200 || (stories.size === 0 && videos.size === 0 && profiles.size === 0)) return answer;
      const match = USER_ROUTE.exec(url.pathname);
      if (!match) return answer;
      const username = decodeURIComponent(match[1]!).toLowerCase();
      const firstPage = (url.searchParams.get('cursor') ?? '0') === '0';
      switch (match[2]) {
        case 'stories':
          return firstPage && stories.has(username) ? prepend(url, answer, stories.get(username)!) : answer;
        case 'videos': {
          const order = url.searchParams.get('order') ?? 'newest';
          return firstPage && order === 'newest' && videos.has(username) ? prepend(url, answer, videos.get(username)!) : answer;
        }
        default: {
          const changes = profiles.get(username);
          if (!changes) return answer;
          const body = JSON.parse(answer.body) as { data: Profile };
          return { ...answer, body: JSON.stringify({ ...body, data: { ...body.data, ...changes } }) };
        }
      }
    },
  };
}
