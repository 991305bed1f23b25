/** A user's lists (videos, likes, reposts, followers, following) and a track's videos. */
import { builder } from '../builder.js';
import { type CostInput, cost } from '../cost/declarations.js';
import { type ListCost, connectionCost, emptyConnection, resolveConnection } from './connections.js';
import { UserConnection, VideoConnection, userList, videoList } from './lists.js';
import { prefetchUserList } from './prefetch.js';
import { AudioRef, UserRef, type UserSource, VideoRef } from './refs.js';

export const VideoOrder = builder.enumType('VideoOrder', {
  description: 'The order of a user’s videos or reposts.',
  values: {
    NEWEST: { value: 'newest', description: 'Newest first.' },
    POPULAR: { value: 'popular', description: 'Most viewed first.' },
    OLDEST: { value: 'oldest', description: 'Oldest first.' },
  },
});

prefetchUserList('videos', (username, args) => videoList('tiktokGetUserVideos', { username, order: String(args.order) }));
prefetchUserList('reposts', (username, args) => videoList('tiktokGetUserReposts', { username, order: String(args.order) }));
prefetchUserList('likedVideos', (username) => videoList('tiktokGetUserLikes', { username }));
prefetchUserList('followers', (username) => userList('tiktokGetUserFollowers', { username }));
prefetchUserList('following', (username) => userList('tiktokGetUserFollowing', { username }));

/** Whether the profile in hand (loaded, or embedded) already says the user's likes are private. */
const likesHidden = (user: UserSource) => user.profile?.hasLikes === false || user.embedded?.hasLikes === false;

/** A user's list: its parameters when the operation names the user, for early cursor checks. */
const ofUser = (c: CostInput, extra: Record<string, string> = {}) => (c.scope.key ? { username: c.scope.key, ...extra } : null);

const listCost = (list: (c: CostInput) => ListCost) => cost((c) => connectionCost(c, list(c)), { independent: true });

builder.objectFields(UserRef, (t) => ({
  videos: t.connection(
    {
      type: VideoRef,
      nullable: true,
      description: 'Videos posted, in `order`. Pages of 35; a cursor holds its `order`.',
      args: { order: t.arg({ type: VideoOrder, required: true, defaultValue: 'newest', description: 'Newest, most viewed, or oldest first.' }) },
      resolve: (user, args, ctx) => resolveConnection(videoList('tiktokGetUserVideos', { username: user.username, order: args.order }), args, ctx),
      extensions: listCost((c) => ({
        operation: 'tiktokGetUserVideos',
        items: { Video: 'loaded' },
        params: ofUser(c, { order: String(c.args.order) }),
        // Every video's author is this user: their profile is loaded once, if at all.
        owner: { field: 'author', type: 'User', origin: c.origin },
      })),
    },
    VideoConnection,
  ),
  likedVideos: t.connection(
    {
      type: VideoRef,
      nullable: true,
      description: 'Videos this user liked; empty without a call when the profile at hand says `hasLikes: false`. Pages of 35.',
      resolve: (user, args, ctx) => {
        const spec = videoList('tiktokGetUserLikes', { username: user.username });
        return likesHidden(user) ? emptyConnection(spec, args, ctx) : resolveConnection(spec, args, ctx);
      },
      extensions: listCost((c) => ({ operation: 'tiktokGetUserLikes', items: { Video: 'loaded' }, params: ofUser(c) })),
    },
    VideoConnection,
  ),
  reposts: t.connection(
    {
      type: VideoRef,
      nullable: true,
      description: 'Videos this user reposted (empty when private). Pages of 30.',
      args: { order: t.arg({ type: VideoOrder, required: true, defaultValue: 'newest', description: 'Newest, most viewed, or oldest first.' }) },
      resolve: (user, args, ctx) => resolveConnection(videoList('tiktokGetUserReposts', { username: user.username, order: args.order }), args, ctx),
      extensions: listCost((c) => ({ operation: 'tiktokGetUserReposts', items: { Video: 'loaded' }, params: ofUser(c, { order: String(c.args.order) }) })),
    },
    VideoConnection,
  ),
  followers: t.connection(
    {
      type: UserRef,
      nullable: true,
      description: 'Accounts following this user, as embedded copies. Pages of 30.',
      resolve: (user, args, ctx) => resolveConnection(userList('tiktokGetUserFollowers', { username: user.username }), args, ctx),
      extensions: listCost((c) => ({ operation: 'tiktokGetUserFollowers', items: { User: 'embedded' }, params: ofUser(c) })),
    },
    UserConnection,
  ),
  following: t.connection(
    {
      type: UserRef,
      nullable: true,
      description: 'Accounts this user follows, as embedded copies. Pages of 30.',
      resolve: (user, args, ctx) => resolveConnection(userList('tiktokGetUserFollowing', { username: user.username }), args, ctx),
      extensions: listCost((c) => ({ operation: 'tiktokGetUserFollowing', items: { User: 'embedded' }, params: ofUser(c) })),
    },
    UserConnection,
  ),
}));

builder.objectFields(AudioRef, (t) => ({
  videos: t.connection(
    {
      type: VideoRef,
      nullable: true,
      description: 'Videos using this sound. Pages of 30.',
      resolve: (audio, args, ctx) => resolveConnection(videoList('tiktokGetAudioVideos', { audioId: audio.audioId }), args, ctx),
      extensions: listCost(() => ({ operation: 'tiktokGetAudioVideos', items: { Video: 'loaded' }, params: null })),
    },
    VideoConnection,
  ),
}));
