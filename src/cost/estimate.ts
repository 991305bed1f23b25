/**
 * The most upstream calls (credits) an operation can cause, computed from its document and variables
 * before anything runs. It follows what the resolvers do — profiles and pages through loaders, embedded
 * copies, full pages of 35 — and rounds up wherever the data decides (a track's artists, a story's
 * search). It must never be below what execution spends; the ledger refuses calls past it anyway.
 */
import type { DocumentNode, FieldNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import { GraphQLError, Kind } from 'graphql';
import { ErrorCode } from '../errors.js';
import { decodeGlobalID, parseStoryLocalId } from '../schema/global-ids.js';
import { checkListLength, parseAudioId, parseUsername } from '../schema/inputs.js';
import { normalizeUsername } from '../upstream/client.js';
import { MAX_PAGES_PER_CONNECTION, type ForwardArgs, storyWindow } from '../schema/pagination.js';
import { PROFILE_FREE } from '../schema/prefetch.js';
import { STORY_PAGE_SIZE } from '../upstream/types.js';
import type { GraphContext } from '../context.js';
import { type SelectionScope, argument, fieldsOn } from './selections.js';

/** Fields an embedded author always carries (the OpenAPI file requires them), or that need no data. */
const EMBEDDED_USER_FIELDS = new Set(['__typename', 'id', 'username', 'url', 'isPrivate', 'isVerified']);
/** Fields a story's embedded track always carries. */
const EMBEDDED_AUDIO_FIELDS = new Set(['__typename', 'id', 'audioId', 'title', 'duration']);
/** Artists assumed per track: the contract does not bound them, so the ledger's backstop does. */
export const ARTISTS_PER_TRACK = 5;

type Origin = 'loaded' | 'embedded';

interface Estimator {
  scope: SelectionScope;
  ctx: GraphContext;
  /** Arguments refused locally, each located at its field: the operation is refused before any call. */
  inputErrors: GraphQLError[];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** Runs a check of `field`'s arguments: bad input is recorded (located at the field) and costs nothing. */
function checked<T>(field: FieldNode, e: Estimator, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.BAD_USER_INPUT) {
      e.inputErrors.push(new GraphQLError(error.message, { nodes: [field], extensions: error.extensions }));
    }
    return fallback;
  }
}

/** Upstream pages one `stories` field reads, and how many stories it returns (0, 0 when its arguments are refused). */
function storiesWindow(field: FieldNode, username: string | null, e: Estimator): { pages: number; stories: number } {
  const args: ForwardArgs = {
    first: argument(field, 'first', e.scope) as number | null | undefined,
    after: argument(field, 'after', e.scope) as string | null | undefined,
    last: argument(field, 'last', e.scope) as number | null | undefined,
    before: argument(field, 'before', e.scope) as string | null | undefined,
  };
  let offset: number;
  let first: number;
  if (username !== null) {
    const window = checked(field, e, () => storyWindow(username, args, e.ctx), null);
    if (!window) return { pages: 0, stories: 0 };
    ({ first } = window);
    offset = window.start.offset;
  } else {
    // The owner is only known at run time: check what can be checked, trust the cursor's position.
    const window = checked(field, e, () => storyWindow('', { ...args, after: null }, e.ctx), null);
    if (!window) return { pages: 0, stories: 0 };
    first = window.first;
    offset = args.after != null ? (e.ctx.cursors.peekOffset(args.after) ?? -1) : -1;
  }
  const pages = Math.min(MAX_PAGES_PER_CONNECTION, Math.ceil((offset + 1 + first) / STORY_PAGE_SIZE));
  return { pages, stories: first };
}

/** The story selections under a connection: `edges { node }` and `nodes`. */
function storySelections(connection: FieldNode, e: Estimator): FieldNode[] {
  const fields = fieldsOn(connection.selectionSet, 'StoryConnection', e.scope);
  const nodes = fields.filter((f) => f.name.value === 'nodes');
  const edgeNodes = fields
    .filter((f) => f.name.value === 'edges')
    .flatMap((edges) => fieldsOn(edges.selectionSet, 'StoryEdge', e.scope).filter((f) => f.name.value === 'node'));
  return [...nodes, ...edgeNodes];
}

function needsFields(selection: FieldNode, typename: string, known: Set<string>, e: Estimator): boolean {
  return fieldsOn(selection.selectionSet, typename, e.scope).some((f) => !known.has(f.name.value));
}

/** A `stories` connection of `username` (null: an owner only known at run time). */
function connectionCost(field: FieldNode, username: string | null, ownerProfileLoaded: boolean, e: Estimator): number {
  const { pages, stories } = storiesWindow(field, username, e);
  if (stories === 0) return 0;
  const selections = storySelections(field, e);
  // Every story here is the owner's: one profile load covers all their authors, if any is needed.
  const authorFields = selections.flatMap((s) => fieldsOn(s.selectionSet, 'Story', e.scope).filter((f) => f.name.value === 'author'));
  const ownerProfile = !ownerProfileLoaded && authorFields.some((a) => needsFields(a, 'User', EMBEDDED_USER_FIELDS, e)) ? 1 : 0;
  const perStory = sum(selections.map((s) => storyCost(s, 'loaded', e)));
  return pages + ownerProfile + stories * perStory;
}

/** A story's own cost beyond its page: its author (when `authorOrigin` is embedded) and its audio. */
function storyCost(selection: FieldNode, authorOrigin: Origin, e: Estimator): number {
  return sum(
    fieldsOn(selection.selectionSet, 'Story', e.scope).map((f) => {
      if (f.name.value === 'author') return userCost(f, null, authorOrigin, e);
      if (f.name.value === 'audio') return audioCost(f, 'embedded', e);
      return 0;
    }),
  );
}

/** A user reached through another object (an author, an artist, a node): its profile if needed, and its stories. */
function userCost(selection: FieldNode, username: string | null, origin: Origin, e: Estimator): number {
  const fields = fieldsOn(selection.selectionSet, 'User', e.scope);
  const profile = origin === 'embedded' && fields.some((f) => !EMBEDDED_USER_FIELDS.has(f.name.value)) ? 1 : 0;
  const stories = sum(fields.filter((f) => f.name.value === 'stories').map((f) => connectionCost(f, username, origin === 'loaded', e)));
  return profile + stories;
}

/** A user looked up at the root (user, users, node, _entities): see loadUser for when the profile is fetched. */
function rootUserCost(selection: FieldNode, username: string, e: Estimator): number {
  const fields = fieldsOn(selection.selectionSet, 'User', e.scope);
  const stories = fields.filter((f) => f.name.value === 'stories');
  const readsStories = stories.some((f) => storiesWindow(f, username, { ...e, inputErrors: [] }).stories > 0);
  const profile = !readsStories || fields.some((f) => !PROFILE_FREE.has(f.name.value)) ? 1 : 0;
  return profile + sum(stories.map((f) => connectionCost(f, username, profile === 1, e)));
}

function audioCost(selection: FieldNode, origin: Origin, e: Estimator): number {
  const fields = fieldsOn(selection.selectionSet, 'Audio', e.scope);
  const details = origin === 'embedded' && fields.some((f) => !EMBEDDED_AUDIO_FIELDS.has(f.name.value)) ? 1 : 0;
  const artists = sum(fields.filter((f) => f.name.value === 'authors').map((f) => ARTISTS_PER_TRACK * userCost(f, null, 'embedded', e)));
  return details + artists;
}

/** A global id's cost under `node`/`nodes` (0 for an id that is refused locally). */
function nodeCost(selection: FieldNode, globalId: unknown, e: Estimator): number {
  if (typeof globalId !== 'string') return 0;
  return checked(selection, e, () => {
    const { typename, id } = decodeGlobalID(globalId);
    if (typename === 'User') return rootUserCost(selection, parseUsername(id), e);
    if (typename === 'Audio') {
      parseAudioId(id);
      return 1 + audioCost(selection, 'loaded', e);
    }
    parseUsername(parseStoryLocalId(id).username);
    return e.ctx.config.storyLookupMaxPages + storyCost(selection, 'embedded', e);
  }, 0);
}

function entityKey(representation: unknown): string {
  const { __typename, username, audioId } = (representation ?? {}) as Record<string, unknown>;
  return `${String(__typename)}:${typeof username === 'string' ? normalizeUsername(username) : String(audioId)}`;
}

function entityCost(selection: FieldNode, representation: unknown, e: Estimator): number {
  if (typeof representation !== 'object' || representation === null) return 0;
  const { __typename, username, audioId } = representation as Record<string, unknown>;
  if (__typename === 'User' && typeof username === 'string') return checked(selection, e, () => rootUserCost(selection, parseUsername(username), e), 0);
  if (__typename === 'Audio' && typeof audioId === 'string') return checked(selection, e, () => (parseAudioId(audioId), 1 + audioCost(selection, 'loaded', e)), 0);
  return 0;
}

/** Distinct entries of a list argument, or none when the list is over the limit (it is refused). */
function listArgument(field: FieldNode, name: string, e: Estimator, key: (value: unknown) => string = (v) => JSON.stringify(v)): unknown[] {
  const list = argument(field, name, e.scope);
  if (!Array.isArray(list)) return [];
  if (!checked(field, e, () => (checkListLength(list.length, e.ctx.config.maxListLength, name), true), false)) return [];
  return [...new Map(list.map((v) => [key(v), v])).values()];
}

function rootFieldCost(field: FieldNode, e: Estimator): number {
  const name = field.name.value;
  if (name === 'user') return checked(field, e, () => rootUserCost(field, parseUsername(String(argument(field, 'username', e.scope))), e), 0);
  if (name === 'users') {
    const usernames = listArgument(field, 'usernames', e, (u) => normalizeUsername(String(u)));
    return sum(usernames.map((u) => checked(field, e, () => rootUserCost(field, parseUsername(String(u), 'usernames'), e), 0)));
  }
  if (name === 'audio') return checked(field, e, () => (parseAudioId(String(argument(field, 'audioId', e.scope))), 1 + audioCost(field, 'loaded', e)), 0);
  if (name === 'node') return nodeCost(field, argument(field, 'id', e.scope), e);
  if (name === 'nodes') return sum(listArgument(field, 'ids', e).map((id) => nodeCost(field, id, e)));
  if (name === '_entities') {
    // Representations of one entity share a loader key, so each distinct one counts once. (A gateway
    // batches as many as a plan needs: the credit budget bounds them, not the list limit.)
    const representations = argument(field, 'representations', e.scope);
    if (!Array.isArray(representations)) return 0;
    return sum([...new Map(representations.map((r) => [entityKey(r), r])).values()].map((r) => entityCost(field, r, e)));
  }
  return 0; // __typename, _service, introspection: no upstream call
}

export interface Estimate {
  credits: number;
  /** Arguments that are refused locally; a non-empty list means the operation must not run. */
  inputErrors: GraphQLError[];
}

/** Estimates the credits of the operation `operationName` of `document`, and checks its arguments. */
export function estimateCredits(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  ctx: GraphContext,
): Estimate {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || operation.operation !== 'query') return { credits: 0, inputErrors: [] };
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const e: Estimator = { scope: { fragments, variables }, ctx, inputErrors: [] };
  const credits = sum(fieldsOn(operation.selectionSet, 'Query', e.scope).map((f) => rootFieldCost(f, e)));
  return { credits, inputErrors: e.inputErrors };
}
