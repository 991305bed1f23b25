/**
 * Shortest critical path: when an operation asks for a user and their stories, the stories page does
 * not depend on the profile, so we start both calls together. Only pages the operation will read are
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

/** The `stories` fields selected on a User, through fragments, honouring @skip and @include. */
function storiesFields(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo, found: FieldNode[] = []): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    if (!isIncluded(selection, info.variableValues)) continue;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === 'stories') found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || USER_CONDITIONS.has(selection.typeCondition.name.value)) {
        storiesFields(selection.selectionSet, info, found);
      }
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment && USER_CONDITIONS.has(fragment.typeCondition.name.value)) storiesFields(fragment.selectionSet, info, found);
    }
  }
  return found;
}

/** Starts loading the first stories page each `stories` selection of `username` will read. */
export function prefetchStories(username: string, ctx: GraphContext, info: GraphQLResolveInfo): void {
  const userType = info.schema.getType('User');
  if (!(userType instanceof GraphQLObjectType)) return;
  const storiesDef = userType.getFields().stories;
  if (!storiesDef) return;
  for (const fieldNode of info.fieldNodes) {
    for (const node of storiesFields(fieldNode.selectionSet, info)) {
      try {
        const args = getArgumentValues(storiesDef, node, info.variableValues) as ForwardArgs;
        const { start } = storyWindow(username, args, ctx);
        // The field resolver reads the same loader key; its own error handling applies there.
        ctx.loaders.storyPage.load({ username, pageCursor: start.pageCursor }).catch(() => undefined);
      } catch {
        // Invalid arguments: the stories field reports them itself, and nothing is fetched.
      }
    }
  }
}
