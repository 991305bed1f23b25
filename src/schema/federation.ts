/**
 * Apollo Federation v2 entities: `User` keyed by `username`, `Audio` by `audioId`, `Video` by `videoId`
 * and `Hashtag` by `name`: the types whose reference resolves in at most one call.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import type { GraphContext } from '../context.js';
import { BadUserInputError } from '../errors.js';
import { type CostInput, cost, withinListLimit } from '../cost/declarations.js';
import { audioLookupCost, loadAudio } from './audio.js';
import { hashtagLookupCost } from './hashtag.js';
import { checkListLength, parseAudioId, parseHashtagName, parseUsername, parseVideoId } from './inputs.js';
import { AudioRef, HashtagRef, UserRef, VideoRef } from './refs.js';
import { loadUser, userLookupCost } from './user.js';
import { loadVideo, videoLookupCost } from './video.js';

/** An entity representation this subgraph resolves, its key validated and normalised. */
export type EntityKey =
  | { __typename: 'User'; username: string }
  | { __typename: 'Audio'; audioId: string }
  | { __typename: 'Video'; videoId: string }
  | { __typename: 'Hashtag'; name: string };

const ARGUMENT = 'representations';

/**
 * Reads one `_entities` representation (any JSON a gateway, or anyone, sent): BAD_USER_INPUT unless it
 * is an object naming one of our entities with its key as a well-formed string. Never recurses into it.
 */
export function parseRepresentation(representation: unknown): EntityKey {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    throw new BadUserInputError('A representation must be an object with `__typename` and the entity’s key.', ARGUMENT);
  }
  const { __typename, username, audioId, videoId, name } = representation as Record<string, unknown>;
  if (__typename === 'User') {
    if (typeof username !== 'string') throw new BadUserInputError('A `User` representation needs `username`, a string.', ARGUMENT);
    return { __typename, username: parseUsername(username, ARGUMENT) };
  }
  if (__typename === 'Audio') {
    if (typeof audioId !== 'string') throw new BadUserInputError('An `Audio` representation needs `audioId`, a string.', ARGUMENT);
    return { __typename, audioId: parseAudioId(audioId, ARGUMENT) };
  }
  if (__typename === 'Video') {
    if (typeof videoId !== 'string') throw new BadUserInputError('A `Video` representation needs `videoId`, a string.', ARGUMENT);
    return { __typename, videoId: parseVideoId(videoId, ARGUMENT) };
  }
  if (__typename === 'Hashtag') {
    if (typeof name !== 'string') throw new BadUserInputError('A `Hashtag` representation needs `name`, a string.', ARGUMENT);
    return { __typename, name: parseHashtagName(name, ARGUMENT) };
  }
  const named = typeof __typename === 'string' ? `"${__typename.slice(0, 64)}"` : 'no `__typename`';
  throw new BadUserInputError(`A representation names ${named}; this subgraph resolves \`User\`, \`Audio\`, \`Video\` and \`Hashtag\`.`, ARGUMENT);
}

builder.asEntity(UserRef, {
  key: builder.selection<{ username: string }>('username'),
  resolveReference: ({ username }, ctx, info) => loadUser(parseUsername(username), ctx, info),
});

builder.asEntity(AudioRef, {
  key: builder.selection<{ audioId: string }>('audioId'),
  resolveReference: ({ audioId }, ctx) => loadAudio(parseAudioId(audioId), ctx),
});

builder.asEntity(VideoRef, {
  key: builder.selection<{ videoId: string }>('videoId'),
  resolveReference: ({ videoId }, ctx, info) => loadVideo({ videoId: parseVideoId(videoId) }, ctx, info),
});

builder.asEntity(HashtagRef, {
  key: builder.selection<{ name: string }>('name'),
  resolveReference: ({ name }) => ({ name: parseHashtagName(name) }),
});

/**
 * Apollo's `_entities` resolver maps the representations synchronously: one unknown `__typename`, or one
 * `resolveReference` that throws, fails the whole list with an unexpected error. This one resolves each
 * representation on its own: a malformed one becomes BAD_USER_INPUT at its entry (`["_entities", i]`; a
 * list item that is an Error is located there) and the others still resolve. Over the list limit, the
 * field is refused (the credit estimate already refused the operation before any call).
 */
function resolveEachEntity(resolve: GraphQLFieldResolver<unknown, GraphContext>): GraphQLFieldResolver<unknown, GraphContext> {
  return (source, args, ctx, info) => {
    const representations = args.representations as unknown[];
    checkListLength(representations.length, ctx.config.maxListLength, ARGUMENT);
    return representations.map((representation) => {
      try {
        const [entity] = resolve(source, { representations: [parseRepresentation(representation)] }, ctx, info) as unknown[];
        return entity;
      } catch (error) {
        return error;
      }
    });
  };
}

/** The key value of a representation (its username, audio id, video id or name). */
function entityKeyOf(entity: EntityKey): string {
  switch (entity.__typename) {
    case 'User':
      return entity.username;
    case 'Audio':
      return entity.audioId;
    case 'Video':
      return entity.videoId;
    case 'Hashtag':
      return entity.name;
  }
}

/** What resolving one entity costs, as its root lookup would. */
function entityCost(c: CostInput, entity: EntityKey): number {
  switch (entity.__typename) {
    case 'User':
      return userLookupCost(c, entity.username);
    case 'Audio':
      return audioLookupCost(c, entity.audioId);
    case 'Video':
      return videoLookupCost(c, entity.videoId);
    case 'Hashtag':
      return hashtagLookupCost(c, entity.name);
  }
}

/**
 * `_entities`: at most the list limit of representations (duplicates included), each distinct entity
 * once (they share a loader key). A malformed representation costs nothing: it fails at its own entry.
 */
function entitiesCost(c: CostInput): number {
  const representations = c.args.representations;
  if (!Array.isArray(representations)) return 0;
  if (!withinListLimit(c, representations.length, ARGUMENT)) return 0;
  const entities = new Map<string, number>();
  for (const representation of representations) {
    let entity: EntityKey;
    try {
      entity = parseRepresentation(representation);
    } catch {
      continue;
    }
    const key = `${entity.__typename}:${entityKeyOf(entity)}`;
    if (entities.has(key)) continue;
    entities.set(
      key,
      c.check(() => entityCost(c, entity), 0),
    );
  }
  return [...entities.values()].reduce((a, b) => a + b, 0);
}

/** Makes the subgraph schema's `_entities` resolve each representation on its own (see resolveEachEntity), and declares its cost. */
export function withEntitiesOneByOne(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  if (field?.resolve) field.resolve = resolveEachEntity(field.resolve as GraphQLFieldResolver<unknown, GraphContext>);
  if (field) (field as { extensions: object }).extensions = { ...field.extensions, ...cost(entitiesCost) };
  return schema;
}
