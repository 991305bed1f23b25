/**
 * What a poll found new, from the answer and the state of the previous poll: the items of a list not
 * seen before (oldest first, as they were published), or the whole profile when any of its fields
 * changed. The first poll of a topic only sets the baseline.
 */
import { createHash } from 'node:crypto';
import type { Profile, StoryPage, Video } from '../upstream/types.js';
import type { LiveState } from './coordinator.js';
import type { Topic } from './topics.js';

/** What subscribers of a topic receive: an item, a profile, or the end of the topic (the user is gone). */
export type LiveEvent =
  | { kind: 'story'; username: string; story: StoryPage['orderedItems'][number] }
  | { kind: 'video'; username: string; video: Video }
  | { kind: 'profile'; username: string; profile: Profile }
  | { kind: 'gone'; username: string; message: string };

/** Seen ids kept per topic: more than a page (stories live 24 hours; a page holds the newest 35). */
export const MAX_SEEN_IDS = 500;

export interface Changes {
  events: LiveEvent[];
  state: LiveState;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

function listChanges<Item>(items: readonly Item[], idOf: (item: Item) => string | undefined, previous: LiveState | undefined, now: number) {
  const ids = items.map(idOf).filter((id): id is string => id !== undefined);
  const seen = new Set(previous?.seen ?? []);
  const fresh = previous?.seen ? items.filter((item) => !seen.has(idOf(item) ?? '')) : [];
  // Newest first, without duplicates; ids that left the page stay remembered (a page can shrink and grow back).
  const kept = [...new Set([...ids, ...(previous?.seen ?? [])])].slice(0, MAX_SEEN_IDS);
  return { fresh: fresh.filter((item) => idOf(item) !== undefined).reverse(), state: { seen: kept, polledAt: now } };
}

/** The changes `data` (the poll's answer for `topic`) brings over `previous` (undefined: this poll is the baseline). */
export function changesOf(topic: Topic, data: unknown, previous: LiveState | undefined, now = Date.now()): Changes {
  const { username } = topic;
  switch (topic.kind) {
    case 'stories': {
      const { fresh, state } = listChanges((data as StoryPage).orderedItems, (s) => s.entityId, previous, now);
      return { events: fresh.map((story) => ({ kind: 'story', username, story })), state };
    }
    case 'videos': {
      const { fresh, state } = listChanges((data as { orderedItems: Video[] }).orderedItems, (v) => v.entityId, previous, now);
      return { events: fresh.map((video) => ({ kind: 'video', username, video })), state };
    }
    case 'profile': {
      const fingerprint = digest(data);
      const changed = previous?.fingerprint !== undefined && previous.fingerprint !== fingerprint;
      return { events: changed ? [{ kind: 'profile', username, profile: data as Profile }] : [], state: { fingerprint, polledAt: now } };
    }
  }
}
