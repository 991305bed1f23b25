/** `User`: profiles, their root fields (`user`, `users`) and their stories connection. */
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import type { Profile } from '../upstream/types.js';
import { type CostInput, cost, declareNodeCost, distinctEntries, embeddedCopy } from '../cost/declarations.js';
import { normalizeUsername } from '../upstream/endpoints.js';
import { connectionCost } from './connections.js';
import { resourceField } from './contract-fields.js';
import { checkListLength, parseUsername } from './inputs.js';
import { resolveConnection } from './connections.js';
import { needsProfile, planUserLoad, prefetchUserList } from './prefetch.js';
import { ImageRef, LinkRef, StoryRef, UserRef, type UserSource } from './refs.js';
import { storiesOf } from './story.js';

type SharedKey = keyof Profile & keyof NonNullable<UserSource['embedded']>;

/**
 * A profile field: from the full profile when we hold it, else from the embedded copy when it has
 * the field, else from the profile loader (one call per user per operation, usually a cache hit).
 */
function profileField<K extends SharedKey>(user: UserSource, key: K, ctx: GraphContext): Profile[K] | Promise<Profile[K]> {
  return resourceField(user.profile, user.embedded as Partial<Pick<Profile, K>> | undefined, key, () =>
    ctx.loaders.call('tiktokGetUser', { username: user.username }),
  );
}

/**
 * Loads a user for a root field (null with NOT_FOUND when there is none). The stories page the
 * operation wants starts at the same time; when the profile is not needed, that page alone answers.
 */
export async function loadUser(username: string, ctx: GraphContext, info: GraphQLResolveInfo): Promise<UserSource> {
  const plan = planUserLoad(username, ctx, info);
  if (!plan.needsProfile) {
    await Promise.all(plan.firstPages);
    return { username };
  }
  return { username, profile: await ctx.loaders.call('tiktokGetUser', { username }) };
}

/**
 * A user looked up by username (user, users, node, _entities), as loadUser spends: the profile unless
 * only the stories are read, then what the selections cost on it.
 */
export function userLookupCost(c: CostInput, username: string): number {
  const profile = needsProfile(c.subfields('User')) ? 1 : 0;
  return profile + c.children(profile ? 'loaded' : 'embedded', { key: username }, 'User');
}

declareNodeCost('User', (id, c) => userLookupCost(c, parseUsername(id)));
prefetchUserList('stories', (username) => storiesOf(username));

builder.node(UserRef, {
  // A story's author or a track's artist embeds these; any other field loads the profile.
  extensions: embeddedCopy(['id', 'username', 'url', 'isPrivate', 'isVerified']),
  description:
    'A TikTok account. `id` and `username` are always there; every other field may need the profile or the stories, ' +
    'loaded on their own (a story’s author or a track’s artist is embedded with only a few fields), so it is null, ' +
    'with an error at its path, when that load fails.',
  id: { resolve: (user) => user.username },
  loadWithoutCache: (username, ctx, info) => loadUser(parseUsername(username, 'id'), ctx, info),
  fields: (t) => ({
    username: t.string({ description: 'The handle, without `@`, in lower case.', resolve: (user) => user.username }),
    secUid: t.string({
      nullable: true,
      description: 'TikTok’s stable internal id of the account (survives renames).',
      resolve: (user, _, ctx) => profileField(user, 'entityId', ctx),
    }),
    displayName: t.string({ nullable: true, description: 'The name shown on the profile.', resolve: (user, _, ctx) => profileField(user, 'name', ctx) }),
    bio: t.string({ nullable: true, description: 'The bio text.', resolve: (user, _, ctx) => profileField(user, 'summary', ctx) }),
    url: t.field({ type: 'URL', nullable: true, description: 'The profile page on tiktok.com.', resolve: (user, _, ctx) => profileField(user, 'url', ctx) }),
    links: t.field({
      type: [LinkRef],
      nullable: { list: true, items: false },
      description: 'External links shown in the bio.',
      resolve: async (user, _, ctx) => (await profileField(user, 'attachment', ctx)) ?? [],
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the account was created.',
      resolve: (user, _, ctx) => profileField(user, 'published', ctx),
    }),
    isPrivate: t.boolean({ nullable: true, description: 'Whether the account is private.', resolve: (user, _, ctx) => profileField(user, 'isPrivate', ctx) }),
    isVerified: t.boolean({
      nullable: true,
      description: 'Whether TikTok verified the account.',
      resolve: (user, _, ctx) => profileField(user, 'isVerified', ctx),
    }),
    isLive: t.boolean({
      nullable: true,
      description: 'Whether the user is live streaming right now.',
      resolve: (user, _, ctx) => profileField(user, 'isLive', ctx),
    }),
    hasLikes: t.boolean({
      nullable: true,
      description: 'Whether the videos this user liked are public.',
      resolve: (user, _, ctx) => profileField(user, 'hasLikes', ctx),
    }),
    hasPlaylists: t.boolean({
      nullable: true,
      description: 'Whether the user has playlists.',
      resolve: (user, _, ctx) => profileField(user, 'hasPlaylists', ctx),
    }),
    followerCount: t.field({ type: 'SafeInt', nullable: true, description: 'Followers.', resolve: (user, _, ctx) => profileField(user, 'followerCount', ctx) }),
    followingCount: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Accounts this user follows.',
      resolve: (user, _, ctx) => profileField(user, 'followingCount', ctx),
    }),
    likeCount: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Likes received across all of this user’s posts (can exceed 2^31).',
      resolve: (user, _, ctx) => profileField(user, 'likeCount', ctx),
    }),
    likedCount: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Videos this user has liked.',
      resolve: (user, _, ctx) => profileField(user, 'likedCount', ctx),
    }),
    mediaCount: t.field({ type: 'SafeInt', nullable: true, description: 'Posts published.', resolve: (user, _, ctx) => profileField(user, 'mediaCount', ctx) }),
    language: t.string({ nullable: true, description: 'Preferred language (BCP 47 code).', resolve: (user, _, ctx) => profileField(user, 'language', ctx) }),
    avatar: t.field({ type: ImageRef, nullable: true, description: 'The profile picture.', resolve: (user, _, ctx) => profileField(user, 'icon', ctx) }),
    avatars: t.field({
      type: [ImageRef],
      nullable: { list: true, items: false },
      description: 'The profile picture in every size TikTok offers.',
      resolve: async (user, _, ctx) => (await profileField(user, 'image', ctx)) ?? [],
    }),
    stories: t.connection(
      {
        type: StoryRef,
        nullable: true,
        description:
          'Active stories (the last 24 hours), newest first. `first` defaults to 10 and may be up to 100; ' +
          'pages are forward only, so `last` and `before` are refused.',
        resolve: (user, args, ctx) => resolveConnection(storiesOf(user.username), args, ctx),
        extensions: cost(
          (c) =>
            connectionCost(c, {
              operation: 'tiktokGetUserStories',
              items: { Story: 'loaded' },
              params: c.scope.key ? { username: c.scope.key } : null,
              owner: { field: 'author', type: 'User', origin: c.origin },
            }),
          { independent: true },
        ),
      },
      {
        name: 'StoryConnection',
        description: 'A page of stories.',
        fields: (tc) => ({
          totalCount: tc.field({
            type: 'SafeInt',
            nullable: true,
            description: 'Active stories in all, when KonbiniAPI knows it.',
            resolve: (connection) => connection.totalCount,
          }),
        }),
      },
      { name: 'StoryEdge', description: 'A story and its cursor.' },
    ),
  }),
});

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    description: 'A TikTok user by username (`name` or `@name`, any case); null with NOT_FOUND when there is none.',
    args: { username: t.arg.string({ required: true, description: 'The handle, with or without `@`.' }) },
    resolve: (_, { username }, ctx, info) => loadUser(parseUsername(username), ctx, info),
    extensions: cost((c) => c.check(() => userLookupCost(c, parseUsername(String(c.args.username))), 0)),
  }),
  users: t.field({
    type: [UserRef],
    nullable: { list: false, items: true },
    description: 'Several users at once: one entry per username, in order, null (with an error) where missing.',
    args: { usernames: t.arg.stringList({ required: true, description: 'Handles, with or without `@`.' }) },
    extensions: cost((c) =>
      distinctEntries(c, 'usernames', normalizeUsername).reduce((total, u) => total + c.check(() => userLookupCost(c, parseUsername(u, 'usernames')), 0), 0),
    ),
    resolve: (_, { usernames }, ctx, info) => {
      checkListLength(usernames.length, ctx.config.maxListLength, 'usernames');
      return usernames.map(async (raw) => loadUser(parseUsername(raw, 'usernames'), ctx, info));
    },
  }),
}));
