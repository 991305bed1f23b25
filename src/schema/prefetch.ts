/**
 * Shortest critical path: when an operation asks for a user and their stories, the stories page does
 * not depend on the profile, so we start both calls together; when it asks for nothing the profile
 * holds, the stories page alone proves the user exists. Only pages the operation will read are
 * fetched; the price is a second billed 404 when the user does not exist.
 */
import { GraphQLObjectType, type GraphQLResolveInfo, getArgumentValues } from 'graphql';
import type { GraphContext } from '../context.js';
import { type MergedField, SelectionReader } from '../cost/selections.js';
import { type ForwardArgs, firstPageParams, listKey, listWindow } from './connections.js';
import { storiesOf } from './story.js';

/** User fields answered without the profile: from the username alone, or from the stories pages. */
export const PROFILE_FREE = new Set(['__typename', 'id', 'username', 'stories']);

export interface UserPlan {
  /** Whether any selected field needs the profile. */
  needsProfile: boolean;
  /** The first stories page of each `stories` selection, already loading. */
  storyPages: Promise<unknown>[];
}

/**
 * One reader per execution, keyed by its coerced variables (graphql-js hands every resolver of an
 * execution the same object): the 50 entries of `users` or `_entities` read the selection once.
 */
const readers = new WeakMap<object, SelectionReader>();

function userFields(info: GraphQLResolveInfo): readonly MergedField[] {
  let reader = readers.get(info.variableValues);
  if (!reader) {
    reader = new SelectionReader({ schema: info.schema, fragments: info.fragments, variables: info.variableValues });
    readers.set(info.variableValues, reader);
  }
  return reader.subfields(reader.merged(info.fieldNodes), 'User');
}

/**
 * Plans a root user lookup from the operation's selection: starts the first stories page of each
 * `stories` selection now (it does not depend on the profile), and says whether the profile is needed.
 */
export function planUserLoad(username: string, ctx: GraphContext, info: GraphQLResolveInfo): UserPlan {
  const userType = info.schema.getType('User');
  const storiesDef = userType instanceof GraphQLObjectType ? userType.getFields().stories : undefined;
  const fields = userFields(info);
  const storyPages: Promise<unknown>[] = [];
  for (const field of fields) {
    if (field.name !== 'stories' || !storiesDef) continue;
    try {
      const args = getArgumentValues(storiesDef, field.nodes[0]!, info.variableValues) as ForwardArgs;
      const spec = storiesOf(username);
      const window = listWindow(listKey(spec.operation, spec.params), args, ctx);
      storyPages.push(ctx.loaders.call(spec.operation, firstPageParams(spec, window)));
    } catch {
      // Invalid arguments: the stories field reports them itself, and nothing is fetched.
    }
  }
  // The field resolvers read the same loader keys and handle their errors; nobody else awaits these.
  storyPages.forEach((page) => page.catch(() => undefined));
  const needsProfile = storyPages.length === 0 || fields.some((field) => !PROFILE_FREE.has(field.name));
  return { needsProfile, storyPages };
}
