/**
 * `Subscription`: new stories, new videos and profile changes, found by polling each watched user once
 * per interval for all subscribers (src/live). Each field's cost is what one event's selections cost;
 * the polls themselves are paid by the server's polling budget (LIVE_MAX_CREDITS_PER_HOUR).
 */
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { type CostInput, cost, distinctEntries } from '../cost/declarations.js';
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { Live, LiveEvent } from '../live/live.js';
import { type TopicKind, topicName } from '../live/topics.js';
import { normalizeUsername } from '../upstream/endpoints.js';
import { checkListLength, parseUsername } from './inputs.js';
import { StoryRef, UserRef, VideoRef } from './refs.js';
import { videoSource } from './lists.js';

/**
 * The context of an operation that may subscribe: the app puts its live side there, and the
 * subscriptions plugin a check that charges the polls a new subscription starts to its client.
 */
export type LiveContext = GraphContext & { live?: Live; admitLive?: (newTopics: number) => Promise<void> };

/** The topics of a `usernames` argument: validated, normalised and deduplicated before anything is watched. */
function topicsOf(kind: TopicKind, usernames: readonly string[], argument: string, ctx: GraphContext): string[] {
  if (usernames.length === 0) throw new BadUserInputError(`\`${argument}\` must name at least one user.`, argument);
  checkListLength(usernames.length, ctx.config.maxListLength, argument);
  return [...new Set(usernames.map((raw) => topicName({ kind, username: parseUsername(raw, argument) })))];
}

/** The events of `topics`, once the polls of those nobody watched yet are charged to the client (RATE_LIMITED if it cannot pay). */
async function eventsOf(ctx: LiveContext, topics: string[]): Promise<AsyncIterable<LiveEvent>> {
  if (!ctx.live) throw new Error('Subscriptions need the live module (createApp provides it).');
  await ctx.admitLive?.(ctx.live.unwatched(topics));
  return ctx.live.events(topics);
}

/** The subject of an event, or NOT_FOUND when its user is gone (the subscription then ends). */
function payload<K extends LiveEvent['kind']>(event: LiveEvent, kind: K): Extract<LiveEvent, { kind: K }> {
  if (event.kind === 'gone') throw new NotFoundError(event.message);
  if (event.kind !== kind) throw new Error(`unexpected ${event.kind} event`);
  return event as Extract<LiveEvent, { kind: K }>;
}

/** One event's cost: its selections on an object in hand; bad usernames are refused before anything runs. */
const perEvent = (argument: 'usernames' | 'username') => (c: CostInput) => {
  const usernames = argument === 'usernames' ? distinctEntries(c, argument, normalizeUsername) : [String(c.args.username)];
  for (const username of usernames) c.check(() => parseUsername(username, argument), '');
  if (argument === 'usernames' && Array.isArray(c.args.usernames) && c.args.usernames.length === 0) {
    c.check(() => {
      throw new BadUserInputError('`usernames` must name at least one user.', 'usernames');
    }, undefined);
  }
  return c.children('loaded');
};

builder.subscriptionType({
  description:
    'Changes as they happen, over GraphQL over SSE or WebSocket (graphql-ws). Each watched user is polled once per ' +
    'interval for every subscriber, so an event arrives at most one interval (LIVE_POLL_INTERVAL_MS, stretched under ' +
    'LIVE_MAX_CREDITS_PER_HOUR) after the change.',
});

builder.subscriptionFields((t) => ({
  storyPublished: t.field({
    type: StoryRef,
    description: 'Stories of these users as they are published; nothing for stories that existed when the subscription started.',
    args: { usernames: t.arg.stringList({ required: true, description: 'Handles, with or without `@` (at most MAX_LIST_LENGTH).' }) },
    extensions: cost(perEvent('usernames')),
    subscribe: (_, { usernames }, ctx: LiveContext) => eventsOf(ctx, topicsOf('stories', usernames, 'usernames', ctx)),
    resolve: (event: LiveEvent) => {
      const { username, story } = payload(event, 'story');
      return { username, story };
    },
  }),
  profileChanged: t.field({
    type: UserRef,
    description: 'The user’s profile each time one of its fields changes (followers, live status, bio...).',
    args: { username: t.arg.string({ required: true, description: 'The handle, with or without `@`.' }) },
    extensions: cost(perEvent('username')),
    subscribe: (_, { username }, ctx: LiveContext) => eventsOf(ctx, topicsOf('profile', [username], 'username', ctx)),
    resolve: (event: LiveEvent) => {
      const { username, profile } = payload(event, 'profile');
      return { username, profile };
    },
  }),
  videoPublished: t.field({
    type: VideoRef,
    description: 'Videos these users post from now on; nothing for videos that existed when the subscription started.',
    args: { usernames: t.arg.stringList({ required: true, description: 'Handles, with or without `@` (at most MAX_LIST_LENGTH).' }) },
    extensions: cost(perEvent('usernames')),
    subscribe: (_, { usernames }, ctx: LiveContext) => eventsOf(ctx, topicsOf('videos', usernames, 'usernames', ctx)),
    resolve: (event: LiveEvent) => videoSource(payload(event, 'video').video),
  }),
}));
