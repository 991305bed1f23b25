/**
 * graphql-js's MaxIntrospectionDepthRule (in `specifiedRules` since 16.9) refuses introspection that nests
 * `fields`, `interfaces`, `possibleTypes` or `inputFields` three deep, but walks a fragment again at every
 * spread: `{ __schema { ...F0 } }` over fragments that each spread the next twice took 1.5 s to validate
 * at 22 levels, doubling per level, far below the token limit. This is the same rule, memoised per fragment.
 */
import { type ASTVisitor, GraphQLError, Kind, type SelectionSetNode, type ValidationContext } from 'graphql';

const MAX_LISTS_DEPTH = 3;
const LIST_FIELDS = new Set(['fields', 'interfaces', 'possibleTypes', 'inputFields']);

/** MaxIntrospectionDepthRule, linear in the document: each fragment's list depth is computed once. */
export function LinearMaxIntrospectionDepthRule(context: ValidationContext): ASTVisitor {
  const fragmentDepths = new Map<string, number>();
  const active = new Set<string>();

  /** The most list fields met along one path below `selectionSet`. */
  function listDepth(selectionSet: SelectionSetNode | undefined): number {
    let deepest = 0;
    for (const selection of selectionSet?.selections ?? []) {
      let depth: number;
      if (selection.kind === Kind.FIELD) depth = (LIST_FIELDS.has(selection.name.value) ? 1 : 0) + listDepth(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) depth = listDepth(selection.selectionSet);
      else depth = fragmentDepth(selection.name.value);
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  }

  function fragmentDepth(name: string): number {
    const known = fragmentDepths.get(name);
    if (known !== undefined) return known;
    const fragment = context.getFragment(name);
    // Unknown fragments and cycles are other rules' errors.
    if (!fragment || active.has(name)) return 0;
    active.add(name);
    const depth = listDepth(fragment.selectionSet);
    active.delete(name);
    fragmentDepths.set(name, depth);
    return depth;
  }

  return {
    Field(node) {
      if ((node.name.value === '__schema' || node.name.value === '__type') && listDepth(node.selectionSet) >= MAX_LISTS_DEPTH) {
        context.reportError(new GraphQLError('Maximum introspection depth exceeded', { nodes: [node] }));
        return false;
      }
      return undefined;
    },
  };
}
