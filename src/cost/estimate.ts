/**
 * The most upstream calls (credits) an operation can cause, computed from its document and variables
 * before anything runs. It follows what the resolvers do — profiles and pages through loaders, embedded
 * copies, full pages of 35 — and rounds up wherever the data decides (a track's artists, a story's
 * search). It must never be below what execution spends; the ledger refuses calls past it anyway.
 *
 * It reads the operation as execution will (merged fields, coerced variables with their defaults) and
 * memoises each cost per merged field, so its work is linear in the document however fragments repeat.
 */
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  getArgumentValues,
  getVariableValues,
  isObjectType,
} from 'graphql';
import type { GraphContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import { parseRepresentation } from '../schema/federation.js';
import { decodeGlobalID, parseStoryLocalId } from '../schema/global-ids.js';
import { schema as defaultSchema } from '../schema/index.js';
import { checkListLength, parseAudioId, parseUsername } from '../schema/inputs.js';
import { type ForwardArgs, checkFirst, listKey, listWindow, pagesToRead } from '../schema/connections.js';
import { storiesOf } from '../schema/story.js';
import { PROFILE_FREE } from '../schema/prefetch.js';
import { normalizeUsername } from '../upstream/client.js';
import { STORY_PAGE_SIZE } from '../upstream/types.js';
import { type MergedField, SelectionReader, fragmentsOf } from './selections.js';

/** Fields an embedded author always carries (the OpenAPI file requires them), or that need no data. */
const EMBEDDED_USER_FIELDS = new Set(['__typename', 'id', 'username', 'url', 'isPrivate', 'isVerified']);
/** Fields a story's embedded track always carries. */
const EMBEDDED_AUDIO_FIELDS = new Set(['__typename', 'id', 'audioId', 'title', 'duration']);
/** Artists assumed per track: the contract does not bound them, so the ledger's backstop does. */
export const ARTISTS_PER_TRACK = 5;

type Origin = 'loaded' | 'embedded';

interface Estimator {
  reader: SelectionReader;
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  ctx: GraphContext;
  /** Arguments refused locally, each located at its field: the operation is refused before any call. */
  inputErrors: GraphQLError[];
  /** Costs already computed, per merged field and question: repeated fragments cost nothing more. */
  memo: Map<MergedField, Map<string, number>>;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function memoised(field: MergedField, question: string, e: Estimator, compute: () => number): number {
  let answers = e.memo.get(field);
  if (!answers) e.memo.set(field, (answers = new Map()));
  let answer = answers.get(question);
  if (answer === undefined) answers.set(question, (answer = compute()));
  return answer;
}

/** Runs a check of `field`'s arguments: bad input is recorded (located at the field) and costs nothing. */
function checked<T>(field: MergedField, e: Estimator, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.BAD_USER_INPUT) {
      e.inputErrors.push(new GraphQLError(error.message, { nodes: field.nodes[0], extensions: error.extensions }));
    }
    return fallback;
  }
}

/** A field's arguments coerced as execution will (null when execution would fail the field before its resolver). */
function argumentsOf(field: MergedField, parentType: string, e: Estimator): Record<string, unknown> | null {
  const type = e.schema.getType(parentType);
  const definition = isObjectType(type) ? type.getFields()[field.name] : undefined;
  if (!definition) return {};
  try {
    return getArgumentValues(definition, field.nodes[0]!, e.variables);
  } catch {
    return null;
  }
}

/** Upstream pages one `stories` field reads, and how many stories it returns (0, 0 when its arguments are refused). */
function storiesWindow(field: MergedField, username: string | null, e: Estimator): { pages: number; stories: number } {
  const args = argumentsOf(field, 'User', e) as ForwardArgs | null;
  if (!args) return { pages: 0, stories: 0 };
  let offset: number;
  let first: number;
  if (username !== null) {
    const spec = storiesOf(username);
    const window = checked(field, e, () => listWindow(listKey(spec.operation, spec.params), args, e.ctx), null);
    if (!window) return { pages: 0, stories: 0 };
    ({ first } = window);
    offset = window.start.offset;
  } else {
    // The owner is only known at run time: check what can be checked, trust the cursor's position.
    const checkedFirst = checked(field, e, () => checkFirst(args), null);
    if (checkedFirst === null) return { pages: 0, stories: 0 };
    first = checkedFirst;
    offset = typeof args.after === 'string' ? (e.ctx.cursors.peekOffset(args.after) ?? -1) : -1;
  }
  const pages = pagesToRead(offset, first, STORY_PAGE_SIZE);
  return { pages, stories: first };
}

/** The story selections under a connection: `edges { node }` and `nodes`. */
function storySelections(connection: MergedField, e: Estimator): MergedField[] {
  const fields = e.reader.subfields(connection, 'StoryConnection');
  const nodes = fields.filter((f) => f.name === 'nodes');
  const edgeNodes = fields.filter((f) => f.name === 'edges').flatMap((edges) => e.reader.subfields(edges, 'StoryEdge').filter((f) => f.name === 'node'));
  return [...nodes, ...edgeNodes];
}

/** Whether some author under this connection asks for a field the embedded copy lacks (1 or 0). */
function authorsNeedProfile(connection: MergedField, e: Estimator): number {
  return memoised(connection, 'authorsNeedProfile', e, () => {
    const authors = storySelections(connection, e).flatMap((s) => e.reader.subfields(s, 'Story').filter((f) => f.name === 'author'));
    return authors.some((a) => e.reader.subfields(a, 'User').some((f) => !EMBEDDED_USER_FIELDS.has(f.name))) ? 1 : 0;
  });
}

/** A `stories` connection of `username` (null: an owner only known at run time). */
function connectionCost(field: MergedField, username: string | null, ownerProfileLoaded: boolean, e: Estimator): number {
  const { pages, stories } = storiesWindow(field, username, e);
  if (stories === 0) return 0;
  // Every story here is the owner's: one profile load covers all their authors, if any is needed.
  const ownerProfile = ownerProfileLoaded ? 0 : authorsNeedProfile(field, e);
  const perStory = memoised(field, 'perStory', e, () => sum(storySelections(field, e).map((s) => storyCost(s, 'loaded', e))));
  return pages + ownerProfile + stories * perStory;
}

/** A story's own cost beyond its page: its author (when `authorOrigin` is embedded) and its audio. */
function storyCost(selection: MergedField, authorOrigin: Origin, e: Estimator): number {
  return memoised(selection, `story:${authorOrigin}`, e, () =>
    sum(
      e.reader.subfields(selection, 'Story').map((f) => {
        if (f.name === 'author') return userCost(f, authorOrigin, e);
        if (f.name === 'audio') return audioCost(f, 'embedded', e);
        return 0;
      }),
    ),
  );
}

/** A user reached through another object (an author, an artist): its profile if needed, and its stories. */
function userCost(selection: MergedField, origin: Origin, e: Estimator): number {
  return memoised(selection, `user:${origin}`, e, () => {
    const fields = e.reader.subfields(selection, 'User');
    const profile = origin === 'embedded' && fields.some((f) => !EMBEDDED_USER_FIELDS.has(f.name)) ? 1 : 0;
    const stories = sum(fields.filter((f) => f.name === 'stories').map((f) => connectionCost(f, null, origin === 'loaded', e)));
    return profile + stories;
  });
}

/** A user looked up at the root (user, users, node, _entities): see loadUser for when the profile is fetched. */
function rootUserCost(selection: MergedField, username: string, e: Estimator): number {
  const fields = e.reader.subfields(selection, 'User');
  const stories = fields.filter((f) => f.name === 'stories');
  const readsStories = stories.some((f) => storiesWindow(f, username, { ...e, inputErrors: [] }).stories > 0);
  const profile = !readsStories || fields.some((f) => !PROFILE_FREE.has(f.name)) ? 1 : 0;
  return profile + sum(stories.map((f) => connectionCost(f, username, profile === 1, e)));
}

function audioCost(selection: MergedField, origin: Origin, e: Estimator): number {
  return memoised(selection, `audio:${origin}`, e, () => {
    const fields = e.reader.subfields(selection, 'Audio');
    const details = origin === 'embedded' && fields.some((f) => !EMBEDDED_AUDIO_FIELDS.has(f.name)) ? 1 : 0;
    const artists = sum(fields.filter((f) => f.name === 'authors').map((f) => ARTISTS_PER_TRACK * userCost(f, 'embedded', e)));
    return details + artists;
  });
}

/** A global id's cost under `node`/`nodes` (0 for an id that is refused locally). */
function nodeCost(selection: MergedField, globalId: unknown, e: Estimator): number {
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

/** Distinct entries of a list argument, or none when the list is over the limit (it is refused). */
function listArgument(field: MergedField, list: unknown, name: string, e: Estimator, key: (value: string) => string = (v) => v): string[] {
  if (!Array.isArray(list)) return [];
  if (!checked(field, e, () => (checkListLength(list.length, e.ctx.config.maxListLength, name), true), false)) return [];
  const strings = list.filter((v): v is string => typeof v === 'string');
  return [...new Map(strings.map((v) => [key(v), v])).values()];
}

/**
 * `_entities`: at most the list limit of representations (duplicates included), each distinct entity
 * once (they share a loader key). A malformed representation costs nothing: it fails at its own entry.
 */
function entitiesCost(field: MergedField, representations: unknown, e: Estimator): number {
  if (!Array.isArray(representations)) return 0;
  if (!checked(field, e, () => (checkListLength(representations.length, e.ctx.config.maxListLength, 'representations'), true), false)) return 0;
  const entities = new Map<string, number>();
  for (const representation of representations) {
    let entity;
    try {
      entity = parseRepresentation(representation);
    } catch {
      continue;
    }
    const key = entity.__typename === 'User' ? `User:${entity.username}` : `Audio:${entity.audioId}`;
    if (entities.has(key)) continue;
    const cost =
      entity.__typename === 'User' ? checked(field, e, () => rootUserCost(field, entity.username, e), 0) : 1 + audioCost(field, 'loaded', e);
    entities.set(key, cost);
  }
  return sum([...entities.values()]);
}

function rootFieldCost(field: MergedField, e: Estimator): number {
  const args = argumentsOf(field, 'Query', e);
  if (!args) return 0;
  switch (field.name) {
    case 'user':
      return checked(field, e, () => rootUserCost(field, parseUsername(String(args.username)), e), 0);
    case 'users': {
      const usernames = listArgument(field, args.usernames, 'usernames', e, normalizeUsername);
      return sum(usernames.map((u) => checked(field, e, () => rootUserCost(field, parseUsername(u, 'usernames'), e), 0)));
    }
    case 'audio':
      return checked(field, e, () => (parseAudioId(String(args.audioId)), 1 + audioCost(field, 'loaded', e)), 0);
    case 'node':
      return nodeCost(field, args.id, e);
    case 'nodes':
      return sum(listArgument(field, args.ids, 'ids', e).map((id) => nodeCost(field, id, e)));
    case '_entities':
      return entitiesCost(field, args.representations, e);
    default:
      return 0; // __typename, _service, introspection: no upstream call
  }
}

export interface Estimate {
  credits: number;
  /** Arguments that are refused locally; a non-empty list means the operation must not run. */
  inputErrors: GraphQLError[];
}

/**
 * Estimates the credits of the operation `operationName` of `document` with the request's raw
 * `variables` (coerced here as execution will, defaults included), and checks its arguments. Variables
 * that do not coerce estimate 0: execution refuses them before any resolver runs.
 */
export function estimateCredits(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  ctx: GraphContext,
  schema: GraphQLSchema = defaultSchema,
): Estimate {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || operation.operation !== 'query') return { credits: 0, inputErrors: [] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  if (coerced.errors) return { credits: 0, inputErrors: [] };
  const fragments = fragmentsOf(document.definitions);
  const reader = new SelectionReader({ schema, fragments, variables: coerced.coerced });
  const e: Estimator = { reader, schema, variables: coerced.coerced, ctx, inputErrors: [], memo: new Map() };
  const credits = sum(reader.fieldsOf(operation.selectionSet, 'Query').map((f) => rootFieldCost(f, e)));
  return { credits, inputErrors: e.inputErrors };
}
