/**
 * Shortest critical path: when an operation asks for a user and their stories, the stories page does
 * not depend on the profile, so we start both calls together; when it asks for nothing the profile
 * holds, the stories page alone proves the user exists. Only pages the operation will read are
 * fetched; the price is a second billed 404 when the user does not exist.
 */
import {
  type FieldNode,
  GraphQLIncludeDirective,
  GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  Kind,
  type SelectionSetNode,
  getArgumentValues,
  getDirectiveValues,
} from 'graphql';
import type { GraphContext } from '../context.js';
import { type ForwardArgs, storyWindow } from './pagination.js';

const USER_CONDITIONS = new Set(['User', 'Node']);

function isIncluded(node: Parameters<typeof getDirectiveValues>[1], variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The fields selected on a User, through fragments, honouring @skip and @include. */
function userFields(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo, found: FieldNode[] = []): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    if (!isIncluded(selection, info.variableValues)) continue;
    if (selection.kind === Kind.FIELD) {
      found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || USER_CONDITIONS.has(selection.typeCondition.name.value)) {
        userFields(selection.selectionSet, info, found);
      }
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment && USER_CONDITIONS.has(fragment.typeCondition.name.value)) userFields(fragment.selectionSet, info, found);
    }
  }
  return found;
}

/** User fields answered without the profile: from the username alone, or from the stories pages. */
const PROFILE_FREE = new Set(['__typename', 'id', 'username', 'stories']);

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
  const fields = info.fieldNodes.flatMap((node) => userFields(node.selectionSet, info));
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
