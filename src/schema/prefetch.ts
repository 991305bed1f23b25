/**
 * Shortest critical path: when an operation asks for a user and their stories, the stories page does
 * not depend on the profile, so we start both calls together; when it asks for nothing the profile
 * holds, the stories page alone proves the user exists. Only pages the operation will read are
 * fetched; the price is a second billed 404 when the user does not exist.
 */
import { GraphQLObjectType, type GraphQLResolveInfo, getArgumentValues } from 'graphql';
import type { GraphContext } from '../context.js';
import { fieldsOn } from '../cost/selections.js';
import { type ForwardArgs, storyWindow } from './pagination.js';

/** User fields answered without the profile: from the username alone, or from the stories pages. */
export const PROFILE_FREE = new Set(['__typename', 'id', 'username', 'stories']);

export interface UserPlan {
  /** Whether any selected field needs the profile. */
  needsProfile: boolean;
  /** The first stories page of each `stories` selection, already loading. */
  storyPages: Promise<unknown>[];
}

/**
 * Plans a root user lookup from the operation's selection: starts the first stories page of each
 * `stories` selection now (it does not depend on the profile), and says whether the profile is needed.
 */
export function planUserLoad(username: string, ctx: GraphContext, info: GraphQLResolveInfo): UserPlan {
  const userType = info.schema.getType('User');
  const storiesDef = userType instanceof GraphQLObjectType ? userType.getFields().stories : undefined;
  const scope = { fragments: info.fragments, variables: info.variableValues };
  const fields = info.fieldNodes.flatMap((node) => fieldsOn(node.selectionSet, 'User', scope));
  const storyPages: Promise<unknown>[] = [];
  for (const node of fields) {
    if (node.name.value !== 'stories' || !storiesDef) continue;
    try {
      const args = getArgumentValues(storiesDef, node, info.variableValues) as ForwardArgs;
      const { start } = storyWindow(username, args, ctx);
      storyPages.push(ctx.loaders.storyPage.load({ username, pageCursor: start.pageCursor }));
    } catch {
      // Invalid arguments: the stories field reports them itself, and nothing is fetched.
    }
  }
  // The field resolvers read the same loader keys and handle their errors; nobody else awaits these.
  storyPages.forEach((page) => page.catch(() => undefined));
  const needsProfile = storyPages.length === 0 || fields.some((node) => !PROFILE_FREE.has(node.name.value));
  return { needsProfile, storyPages };
}
