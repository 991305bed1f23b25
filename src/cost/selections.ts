/** Reading an operation's selections the way execution will: fragments flattened, @skip/@include honoured. */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type SelectionNode,
  type SelectionSetNode,
  Kind,
  getDirectiveValues,
  valueFromASTUntyped,
} from 'graphql';

export interface SelectionScope {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function isIncluded(node: SelectionNode, variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/**
 * The fields selected on an object of type `typename`: fragments apply when they name that type, an
 * interface in `interfaces`, or no type at all.
 */
export function fieldsOn(
  selectionSet: SelectionSetNode | undefined,
  typename: string,
  scope: SelectionScope,
  interfaces: readonly string[] = ['Node'],
  found: FieldNode[] = [],
  seen = new Set<string>(),
): FieldNode[] {
  const applies = (condition: string | undefined) => !condition || condition === typename || interfaces.includes(condition);
  for (const selection of selectionSet?.selections ?? []) {
    if (!isIncluded(selection, scope.variables)) continue;
    if (selection.kind === Kind.FIELD) found.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value)) fieldsOn(selection.selectionSet, typename, scope, interfaces, found, seen);
    } else {
      const fragment = scope.fragments[selection.name.value];
      // A fragment cycle is refused by validation; `seen` only keeps this walk finite regardless.
      if (fragment && !seen.has(fragment.name.value) && applies(fragment.typeCondition.name.value)) {
        seen.add(fragment.name.value);
        fieldsOn(fragment.selectionSet, typename, scope, interfaces, found, seen);
        seen.delete(fragment.name.value);
      }
    }
  }
  return found;
}

/** An argument's value, with variables substituted (undefined when absent). */
export function argument(field: FieldNode, name: string, scope: SelectionScope): unknown {
  const node = field.arguments?.find((a) => a.name.value === name);
  return node ? valueFromASTUntyped(node.value, scope.variables) : undefined;
}
