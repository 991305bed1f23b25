/**
 * The connection types shared by several lists (a user's videos, a hashtag's, a search's...), and the
 * list specs that turn upstream pages of videos and embedded users into nodes.
 */
import { builder } from '../builder.js';
import type { OperationParams } from '../upstream/endpoints.js';
import type { EmbeddedUser, Video } from '../upstream/types.js';
import type { ListSpec } from './connections.js';
import { usernameOf } from './embedded.js';
import { CollectionRef, CommentRef, UserRef, type UserSource, VideoRef, type VideoSource } from './refs.js';

// biome-ignore lint/suspicious/noExplicitAny: Pothos types a connection's field builder by its node type; this helper serves four.
const withTotal = (what: string) => (t: any) => ({
  totalCount: t.field({
    type: 'SafeInt',
    nullable: true,
    description: `${what} in all, when KonbiniAPI knows it.`,
    resolve: (connection: { totalCount: number | null }) => connection.totalCount,
  }),
});

export const VideoConnection = builder.connectionObject(
  { type: VideoRef, name: 'VideoConnection', description: 'A page of videos.', fields: withTotal('Videos') },
  { name: 'VideoEdge', description: 'A video and its cursor.' },
);

export const UserConnection = builder.connectionObject(
  { type: UserRef, name: 'UserConnection', description: 'A page of accounts.', fields: withTotal('Accounts') },
  { name: 'UserEdge', description: 'An account and its cursor.' },
);

export const CommentConnection = builder.connectionObject(
  { type: CommentRef, name: 'CommentConnection', description: 'A page of comments.', fields: withTotal('Comments') },
  { name: 'CommentEdge', description: 'A comment and its cursor.' },
);

export const CollectionConnection = builder.connectionObject(
  { type: CollectionRef, name: 'CollectionConnection', description: 'A page of collections.', fields: withTotal('Collections') },
  { name: 'CollectionEdge', description: 'A collection and its cursor.' },
);

type VideoListOperation =
  | 'tiktokGetUserVideos'
  | 'tiktokGetUserLikes'
  | 'tiktokGetUserReposts'
  | 'tiktokGetTagVideos'
  | 'tiktokGetCollectionVideos'
  | 'tiktokGetAudioVideos'
  | 'tiktokSearchVideos';
type UserListOperation = 'tiktokGetUserFollowers' | 'tiktokGetUserFollowing' | 'tiktokSearchUsers';

/** A video list item is the whole video (the detail endpoint's schema): it answers every field. */
export const videoSource = (video: Video): VideoSource => ({ videoId: video.entityId, video });

/** An upstream list of videos. */
export function videoList<Op extends VideoListOperation>(operation: Op, params: OperationParams): ListSpec<Op, VideoSource> {
  return { operation, params, itemId: (video) => (video as Video).entityId ?? null, node: (video) => videoSource(video as Video) };
}

/** An account as a list embeds it; null when it names no username at all. */
export function embeddedUser(user: EmbeddedUser): UserSource | null {
  const username = usernameOf(user);
  return username ? { username, embedded: user } : null;
}

/** An upstream list of embedded accounts (followers, following, search): entries without a username are left out. */
export function userList<Op extends UserListOperation>(operation: Op, params: OperationParams): ListSpec<Op, UserSource> {
  return {
    operation,
    params,
    itemId: (user) => usernameOf(user as EmbeddedUser) ?? null,
    node: (user) => embeddedUser(user as EmbeddedUser),
  };
}
