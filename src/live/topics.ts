/**
 * What can be watched: a user's newest stories page, newest videos page, or profile. A topic is one
 * upstream resource polled for everyone who watches it, named `<kind>:<username>` (also its pubsub
 * channel and its coordinator key).
 */
import type { OperationId, OperationParams } from '../upstream/endpoints.js';

export const TOPIC_KINDS = ['stories', 'videos', 'profile'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

export interface Topic {
  kind: TopicKind;
  /** Already normalised (lower case, no `@`). */
  username: string;
}

const OPERATIONS: Record<TopicKind, OperationId> = {
  stories: 'tiktokGetUserStories',
  videos: 'tiktokGetUserVideos',
  profile: 'tiktokGetUser',
};

/** The name of a topic: its pubsub channel and its coordinator key. */
export const topicName = ({ kind, username }: Topic): string => `${kind}:${username}`;

/** The topic a name stands for. */
export function parseTopic(name: string): Topic {
  const at = name.indexOf(':');
  const kind = name.slice(0, at) as TopicKind;
  if (!TOPIC_KINDS.includes(kind)) throw new Error(`not a live topic: ${name}`);
  return { kind, username: name.slice(at + 1) };
}

/** The upstream request a poll of `topic` makes: always the first (newest) page of a list. */
export function pollRequest(topic: Topic): { operation: OperationId; params: OperationParams } {
  return { operation: OPERATIONS[topic.kind], params: { username: topic.username } };
}
