/**
 * `Collection`: a playlist or mix on a profile, `User.collections`, and how `node(id:)` finds one again.
 * `/collections/{id}` serves only the videos: a collection's name, size and covers exist only as an
 * entry of its owner's list (H13), so a collection named by id scans that list only when one of them
 * is read.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { type CostInput, cost, declareNodeCost, embeddedCopy } from '../cost/declarations.js';
import { BadUserInputError, NotFoundError } from '../errors.js';
import { FIRST_PAGE } from '../upstream/endpoints.js';
import type { Collection, OkData } from '../upstream/types.js';
import { type ListSpec, connectionCost, resolveConnection } from './connections.js';
import { contractValue } from './contract-fields.js';
import { usernameOf } from './embedded.js';
import { parseNumericId, parseUsername } from './inputs.js';
import { CollectionConnection, VideoConnection, videoList } from './lists.js';
import { prefetchUserList, selectedFields } from './prefetch.js';
import { CollectionRef, type CollectionSource, ImageRef, UserRef, type UserSource, VideoRef } from './refs.js';

/** Collection fields answered without its entry in the owner's list: its id, and its videos (their page proves it exists). */
export const COLLECTION_ENTRY_FREE = new Set(['__typename', 'id', 'collectionId', 'videos']);

/** The collections on `owner`'s profile; each names `owner` (the parent user, profile and all) as its owner. */
export const collectionsOf = (owner: UserSource): ListSpec<'tiktokGetUserCollections', CollectionSource> => ({
  operation: 'tiktokGetUserCollections',
  params: { username: owner.username },
  itemId: (collection) => collection.entityId ?? null,
  node: (collection) => (collection.entityId ? { owner, collectionId: collection.entityId, collection } : null),
});

/** Local id: `{owner}:{collectionId}` (a collection can only be found through its owner). */
const localId = ({ owner, collectionId }: CollectionSource) => `${owner.username}:${collectionId}`;

function parseLocalId(id: string): { username: string; collectionId: string } {
  const [username, collectionId, ...rest] = id.split(':');
  if (!username || !collectionId || rest.length > 0) throw new BadUserInputError('Malformed collection id.', 'id');
  return { username: parseUsername(username, 'id'), collectionId: parseNumericId(collectionId, 'id', 'collection') };
}

/** Finds a collection's entry in the first pages of its owner's list (each usually cached), else NOT_FOUND. */
async function findEntry(username: string, collectionId: string, ctx: GraphContext): Promise<Collection> {
  let cursor: string | null | undefined = FIRST_PAGE;
  for (let scanned = 0; cursor && scanned < ctx.config.storyLookupMaxPages; scanned++) {
    const page: OkData<'tiktokGetUserCollections'> = await ctx.loaders.call('tiktokGetUserCollections', { username, cursor });
    const entry = contractValue(page, 'orderedItems').find((item) => item.entityId === collectionId);
    if (entry) return entry;
    cursor = contractValue(page, 'nextCursor');
  }
  throw new NotFoundError(`Collection ${collectionId} is not among the first collections of "${username}".`);
}

/** A collection named by id: its entry is looked up only when a selected field needs it. */
async function loadCollection(id: string, ctx: GraphContext, info: GraphQLResolveInfo): Promise<CollectionSource> {
  const { username, collectionId } = parseLocalId(id);
  const owner = { username };
  if (selectedFields(info, 'Collection').every((f) => COLLECTION_ENTRY_FREE.has(f.name))) return { owner, collectionId };
  return { owner, collectionId, collection: await findEntry(username, collectionId, ctx) };
}

/** A field of the collection's entry: in hand for a list item, else found in the owner's list (once per operation). */
async function entryOf(source: CollectionSource, ctx: GraphContext): Promise<Collection> {
  return source.collection ?? findEntry(source.owner.username, source.collectionId, ctx);
}

declareNodeCost('Collection', (id, c: CostInput) => {
  const { collectionId } = parseLocalId(id);
  const scan = c.subfields('Collection').some((f) => !COLLECTION_ENTRY_FREE.has(f.name)) ? c.ctx.config.storyLookupMaxPages : 0;
  return scan + c.children(scan ? 'loaded' : 'embedded', { key: collectionId }, 'Collection');
});

builder.node(CollectionRef, {
  description:
    'A playlist or mix on a profile. Its name, size and covers come from its owner’s list of collections: a ' +
    'collection named by id looks itself up there (a few pages at most) only when one of them is read.',
  // A collection named by id holds only these; any other field needs its entry of the owner's list.
  extensions: embeddedCopy(['id', 'collectionId', 'videos']),
  id: { resolve: localId },
  loadWithoutCache: (id, ctx, info) => loadCollection(id, ctx, info),
  fields: (t) => ({
    collectionId: t.string({ description: 'TikTok’s id of the collection.', resolve: (c) => c.collectionId }),
    name: t.string({ description: 'Its name.', resolve: async (c, _, ctx) => contractValue(await entryOf(c, ctx), 'name') }),
    url: t.field({ type: 'URL', description: 'Its page on tiktok.com.', resolve: async (c, _, ctx) => contractValue(await entryOf(c, ctx), 'id') }),
    videoCount: t.field({
      type: 'SafeInt',
      nullable: true,
      description: 'Videos in it, when TikTok says.',
      resolve: async (c, _, ctx) => contractValue(await entryOf(c, ctx), 'totalItems') ?? null,
    }),
    cover: t.field({
      type: ImageRef,
      nullable: true,
      description: 'The cover (first image).',
      resolve: async (c, _, ctx) => (await entryOf(c, ctx)).image?.[0],
    }),
    covers: t.field({ type: [ImageRef], description: 'Every cover image.', resolve: async (c, _, ctx) => (await entryOf(c, ctx)).image ?? [] }),
    owner: t.field({
      type: UserRef,
      description: 'Whose profile it is on.',
      // The list's owner is the user whose collections these are: named by the request, whatever the entry embeds.
      resolve: async (c, _, ctx) => {
        if (c.owner.profile || c.owner.embedded) return c.owner;
        // The entry's copy of its owner answers what it holds, when it names the same user.
        const embedded = (await entryOf(c, ctx)).attributedTo as UserSource['embedded'] | undefined;
        const same = typeof embedded === 'object' && embedded !== null && usernameOf(embedded) === c.owner.username;
        return { username: c.owner.username, embedded: same ? embedded : undefined };
      },
      // In a user's collections, the list counts the owner's profile once.
      extensions: cost((c) => c.children(c.scope.ownerField === 'owner' ? 'loaded' : 'embedded')),
    }),
    videos: t.connection(
      {
        nullable: true,
        type: VideoRef,
        description: 'Its videos; NOT_FOUND here when TikTok has no such collection. Pages of 35.',
        resolve: (c, args, ctx) => resolveConnection(videoList('tiktokGetCollectionVideos', { collectionId: c.collectionId }), args, ctx),
        extensions: cost(
          (c) =>
            connectionCost(c, {
              operation: 'tiktokGetCollectionVideos',
              items: { Video: 'loaded' },
              params: c.scope.key ? { collectionId: c.scope.key } : null,
            }),
          { independent: true },
        ),
      },
      VideoConnection,
    ),
  }),
});

// A root user lookup starts the first page of collections with the profile, or alone when no profile field is read.
prefetchUserList('collections', (username) => collectionsOf({ username }));

builder.objectFields(UserRef, (t) => ({
  collections: t.connection(
    {
      nullable: true,
      type: CollectionRef,
      description: 'Playlists and mixes on the profile. Pages of 30.',
      resolve: (user, args, ctx) => resolveConnection(collectionsOf(user), args, ctx),
      extensions: cost(
        (c) =>
          connectionCost(c, {
            operation: 'tiktokGetUserCollections',
            items: { Collection: 'loaded' },
            params: c.scope.key ? { username: c.scope.key } : null,
            owner: { field: 'owner', type: 'User', origin: c.origin },
          }),
        { independent: true },
      ),
    },
    CollectionConnection,
  ),
}));
