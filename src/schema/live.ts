/**
 * `LiveStream`: the broadcast a user is on air with, as `User.liveStream`. KonbiniAPI answers "not live"
 * with a billed 404 `not_found`, so that answer is null without an error here (H6), remembered for 30 s
 * (POLICIES), and skipped altogether when the profile in hand already says `isLive: false`.
 */
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { complete, cost } from '../cost/declarations.js';
import { contractValue, copiedValue } from './contract-fields.js';
import { ImageRef, LiveStreamRef, type LiveStreamSource, MediaRef, UserRef, type UserSource } from './refs.js';

/** Whether the profile or copy in hand says the user is not live (then there is nothing to ask). */
const knownNotLive = (user: UserSource) => (user.profile ? copiedValue(user.profile, 'isLive') : copiedValue(user.embedded, 'isLive')) === false;

/** The user's broadcast, or null when they are not live (KonbiniAPI's 404, billed, is not an error here). */
async function liveStreamOf(user: UserSource, ctx: GraphContext): Promise<LiveStreamSource | null> {
  if (knownNotLive(user)) return null;
  const live = await ctx.loaders.find('tiktokGetUserLive', { username: user.username });
  return live && { host: user, live };
}

LiveStreamRef.implement({
  description: 'A live broadcast in progress. No global id: KonbiniAPI finds a stream only through its host.',
  extensions: complete,
  fields: (t) => ({
    roomId: t.string({
      description: 'TikTok’s room id (`entityId`); the permalink is the same for every stream of a host.',
      resolve: ({ live }) => contractValue(live, 'entityId'),
    }),
    url: t.field({ type: 'URL', description: 'The live page.', resolve: ({ live }) => contractValue(live, 'url') }),
    title: t.string({ nullable: true, description: 'Its title.', resolve: ({ live }) => contractValue(live, 'content') }),
    startedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it started.', resolve: ({ live }) => contractValue(live, 'published') }),
    isLive: t.boolean({ description: 'Whether it is still on air.', resolve: ({ live }) => contractValue(live, 'isLive') }),
    viewerCount: t.field({ type: 'SafeInt', nullable: true, description: 'People watching now.', resolve: ({ live }) => contractValue(live, 'viewerCount') }),
    viewCount: t.field({ type: 'SafeInt', nullable: true, description: 'Views so far.', resolve: ({ live }) => contractValue(live, 'viewCount') }),
    host: t.field({
      type: UserRef,
      description: 'Who is broadcasting: the user whose stream this is.',
      resolve: ({ host }) => host,
      // The host is the user `liveStream` was read on, obtained as that user was.
      extensions: cost((c) => c.children(c.scope.ownerField === 'host' ? 'loaded' : 'embedded')),
    }),
    covers: t.field({ type: [ImageRef], description: 'Cover images.', resolve: ({ live }) => contractValue(live, 'image') ?? [] }),
    streams: t.field({
      type: [MediaRef],
      description: 'Stream sources (FLV and others), the first preferred.',
      resolve: ({ live }) => (contractValue(live, 'attachment') ?? []).map((attachment) => ({ attachment })),
    }),
  }),
});

builder.objectFields(UserRef, (t) => ({
  liveStream: t.field({
    type: LiveStreamRef,
    nullable: true,
    description:
      'The broadcast on air now; null when the user is not live (KonbiniAPI bills that answer). No call when the ' +
      'profile at hand already says `isLive: false`.',
    resolve: (user, _, ctx) => liveStreamOf(user, ctx),
    // One call, counted even when the profile in hand saves it; the host is this user, as obtained.
    extensions: cost((c) => 1 + c.children('loaded', c.origin === 'loaded' ? { ownerField: 'host' } : {}), { independent: true }),
  }),
}));
