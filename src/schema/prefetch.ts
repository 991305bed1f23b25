/**
 * Shortest critical path: when an operation asks for a user and their lists (stories, videos...), the
 * first page of each list does not depend on the profile, so we start them together; when it asks
 * for nothing the profile holds, a list page alone proves the user exists. Only pages the operation
 * will read are fetched; the price is a second billed 404 when the user does not exist.
 */
import { GraphQLObjectType, type GraphQLResolveInfo, getArgumentValues } from 'graphql';
import type { GraphContext } from '../context.js';
import { type MergedField, SelectionReader } from '../cost/selections.js';
import type { OperationId, OperationParams } from '../upstream/endpoints.js';
import { type ForwardArgs, firstPageParams, listKey, listWindow } from './connections.js';

/** The list of a user a field reads, from its arguments. */
export type UserList = (username: string, args: Record<string, unknown>) => { operation: OperationId; params: OperationParams };

const userLists = new Map<string, UserList>();

/** Declares that the `User` field `field` reads the list `list` (its first page starts with the profile). */
export function prefetchUserList(field: string, list: UserList): void {
  userLists.set(field, list);
}

/** User fields answered without the profile: from the username alone, or from a list's pages. */
export const answeredWithoutProfile = (field: string) => field === '__typename' || field === 'id' || field === 'username' || userLists.has(field);

/** Whether a root lookup selecting `fields` needs the profile: when it reads no list, or reads a field only the profile holds. */
export const needsProfile = (fields: readonly { name: string }[]) =>
  !fields.some((f) => userLists.has(f.name)) || fields.some((f) => !answeredWithoutProfile(f.name));

export interface UserPlan {
  /** Whether any selected field needs the profile. */
  needsProfile: boolean;
  /** The first page of each list selection, already loading. */
  firstPages: Promise<unknown>[];
}

/**
 * One reader per execution, keyed by its coerced variables (graphql-js hands every resolver of an
 * execution the same object): the 50 entries of `users` or `_entities` read the selection once.
 */
const readers = new WeakMap<object, SelectionReader>();

/** The fields the current field selects on an object of `typename`. */
export function selectedFields(info: GraphQLResolveInfo, typename: string): readonly MergedField[] {
  let reader = readers.get(info.variableValues);
  if (!reader) {
    reader = new SelectionReader({ schema: info.schema, fragments: info.fragments, variables: info.variableValues });
    readers.set(info.variableValues, reader);
  }
  return reader.subfields(reader.merged(info.fieldNodes), typename);
}

/**
 * Plans a root user lookup from the operation's selection: starts the first page of each list
 * selection now (it does not depend on the profile), and says whether the profile is needed.
 */
export function planUserLoad(username: string, ctx: GraphContext, info: GraphQLResolveInfo): UserPlan {
  const userType = info.schema.getType('User');
  const definitions = userType instanceof GraphQLObjectType ? userType.getFields() : {};
  const fields = selectedFields(info, 'User');
  const firstPages: Promise<unknown>[] = [];
  for (const field of fields) {
    const list = userLists.get(field.name);
    const definition = definitions[field.name];
    if (!list || !definition) continue;
    try {
      const args = getArgumentValues(definition, field.nodes[0]!, info.variableValues);
      const spec = list(username, args);
      const window = listWindow(listKey(spec.operation, spec.params), args as ForwardArgs, ctx);
      firstPages.push(ctx.loaders.call(spec.operation, firstPageParams(spec, window)));
    } catch {
      // Invalid arguments: the field reports them itself, and nothing is fetched.
    }
  }
  // The field resolvers read the same loader keys and handle their errors; nobody else awaits these.
  firstPages.forEach((page) => page.catch(() => undefined));
  return { needsProfile: firstPages.length === 0 || fields.some((f) => !answeredWithoutProfile(f.name)), firstPages };
}
