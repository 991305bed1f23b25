/**
 * Per-operation DataLoaders over the KonbiniAPI client: they batch and dedupe within one operation
 * (the client's LRU and in-flight map work across operations). KonbiniAPI has no batch endpoints, so a
 * batch fans out to parallel single calls and yields one value or one error per key, in order.
 */
import DataLoader from 'dataloader';
import { toGraphQLError } from './errors.js';
import type { CallOptions, KonbiniClient } from './upstream/client.js';
import type { AudioDetails, Profile, StoryPage } from './upstream/types.js';

export interface StoryPageKey {
  username: string;
  pageCursor: string;
}

export interface Loaders {
  /** Profiles by normalised username. */
  user: DataLoader<string, Profile>;
  /** Full upstream pages of stories by (username, page cursor). */
  storyPage: DataLoader<StoryPageKey, StoryPage, string>;
  /** Audio details by audio id. */
  audio: DataLoader<string, AudioDetails>;
}

function fanOut<K, V>(load: (key: K) => Promise<V>, subject: (key: K) => string) {
  return (keys: readonly K[]): Promise<(V | Error)[]> =>
    Promise.all(keys.map((key) => load(key).catch((error: unknown) => toGraphQLError(error, subject(key)))));
}

/** Loaders for one operation; `options` carries its ledger and its deadline to every call. */
export function createLoaders(client: KonbiniClient, options: CallOptions): Loaders {
  return {
    user: new DataLoader(
      fanOut(
        (username: string) => client.call('tiktokGetUser', { username }, options),
        (username) => `User "${username}"`,
      ),
    ),
    storyPage: new DataLoader(
      fanOut(
        ({ username, pageCursor }: StoryPageKey) => client.call('tiktokGetUserStories', { username, cursor: pageCursor }, options),
        ({ username }) => `The stories of "${username}"`,
      ),
      { cacheKeyFn: ({ username, pageCursor }) => `${username}\n${pageCursor}` },
    ),
    audio: new DataLoader(
      fanOut(
        (audioId: string) => client.call('tiktokGetAudio', { audioId }, options),
        (audioId) => `Audio "${audioId}"`,
      ),
    ),
  };
}
