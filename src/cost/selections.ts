/**
 * Reading an operation's selections the way execution does (graphql-js `collectFields`): fields merge
 * by response key, a named fragment counts once however often it is spread, the sub-selections of merged
 * fields merge, and @skip/@include are honoured. Every collection is memoised per (selection set, type)
 * and every merged field is interned by its set of field nodes, so a fragment spread twice per level for
 * twenty levels costs what it costs written once, and callers can memoise per merged field.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type SelectionNode,
  type SelectionSetNode,
  Kind,
  getDirectiveValues,
  isAbstractType,
  isObjectType,
} from 'graphql';

/** Selections walked by every reader, for tests that hold the analysis linear. */
export const selectionWalks = { count: 0 };

/** The field nodes of one response key at one place of the response (graphql-js's `fieldNodes`). */
export interface MergedField {
  /** The field's name (not its alias): the same for every node once the operation validated. */
  readonly name: string;
  readonly responseKey: string;
  readonly nodes: readonly FieldNode[];
}

/**
 * The type an object of which the selections are read for. `ANY_TYPE` reads them for every type at once
 * (every fragment applies and every directive includes): what validation, which has no variables and no
 * runtime types, must assume.
 */
export const ANY_TYPE = '*';

export interface ReaderOptions {
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Needed to match abstract type conditions (`... on Node`); without it only exact names match. */
  schema?: GraphQLSchema;
  /** Coerced variable values for @skip/@include; undefined: every selection is included. */
  variables?: Record<string, unknown>;
}

type Collected = Map<string, FieldNode[]>;

const mergedField = (nodes: readonly FieldNode[]): MergedField => ({
  name: nodes[0]!.name.value,
  responseKey: nodes[0]!.alias?.value ?? nodes[0]!.name.value,
  nodes,
});

/** Reads the selections of one operation execution (one set of variables); see the module comment. */
export class SelectionReader {
  private readonly collected = new Map<SelectionSetNode, Map<string, Collected>>();
  private readonly inProgress = new Set<SelectionSetNode>();
  /** Merged fields by their nodes: one node (most fields), or the ids of several. */
  private readonly single = new Map<FieldNode, MergedField>();
  private readonly interned = new Map<string, MergedField>();
  private readonly subfieldsOf = new Map<MergedField, Map<string, readonly MergedField[]>>();
  private readonly nodeIds = new Map<FieldNode, number>();

  constructor(private readonly options: ReaderOptions) {}

  /** The merged field of these nodes (the same object for the same set of nodes). */
  merged(nodes: readonly FieldNode[]): MergedField {
    if (nodes.length === 1) {
      let field = this.single.get(nodes[0]!);
      if (!field) this.single.set(nodes[0]!, (field = mergedField(nodes)));
      return field;
    }
    const key = nodes.map((node) => this.nodeId(node)).join(',');
    let field = this.interned.get(key);
    if (!field) this.interned.set(key, (field = mergedField(nodes)));
    return field;
  }

  /** The fields an object of type `typename` gets from a root selection set (an operation's, a fragment's). */
  fieldsOf(selectionSet: SelectionSetNode, typename: string): readonly MergedField[] {
    return [...this.collect(selectionSet, typename).values()].map((nodes) => this.merged(nodes));
  }

  /** The fields an object of type `typename` gets from the merged sub-selections of `field`. */
  subfields(field: MergedField, typename: string): readonly MergedField[] {
    let byType = this.subfieldsOf.get(field);
    if (!byType) this.subfieldsOf.set(field, (byType = new Map()));
    let fields = byType.get(typename);
    if (!fields) {
      const sets = field.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const merged = sets.length === 1 ? this.collect(sets[0]!, typename) : this.mergeAll(sets.map((set) => this.collect(set, typename)));
      fields = [...merged.values()].map((nodes) => this.merged(nodes));
      byType.set(typename, fields);
    }
    return fields;
  }

  private nodeId(node: FieldNode): number {
    let id = this.nodeIds.get(node);
    if (id === undefined) this.nodeIds.set(node, (id = this.nodeIds.size));
    return id;
  }

  /** One selection set's fields on `typename`, by response key; memoised, so a fragment is read once per type. */
  private collect(selectionSet: SelectionSetNode, typename: string): Collected {
    let byType = this.collected.get(selectionSet);
    if (!byType) this.collected.set(selectionSet, (byType = new Map()));
    const known = byType.get(typename);
    if (known) return known;
    // A fragment cycle is refused by validation; this only keeps a walk of an invalid document finite.
    if (this.inProgress.has(selectionSet)) return new Map();
    this.inProgress.add(selectionSet);
    const fields: Collected = new Map();
    // Nodes merged from fragments: one reached twice (a fragment spread twice) is kept once. A selection
    // set's own fields are never in a fragment, so they need no such check.
    const merged = new Set<FieldNode>();
    for (const selection of selectionSet.selections) {
      selectionWalks.count++;
      if (!this.includes(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        // Keys keep the position of their first node, as in graphql-js.
        add(fields, selection.alias?.value ?? selection.name.value, selection);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.options.fragments[selection.name.value];
      if (!fragment || !this.applies(fragment.typeCondition?.name.value, typename)) continue;
      for (const [key, nodes] of this.collect(fragment.selectionSet, typename)) {
        for (const node of nodes) {
          if (merged.has(node)) continue;
          merged.add(node);
          add(fields, key, node);
        }
      }
    }
    this.inProgress.delete(selectionSet);
    byType.set(typename, fields);
    return fields;
  }

  /** The merged sub-selections of several nodes (a field selected more than once at one place). */
  private mergeAll(parts: readonly Collected[]): Collected {
    const fields: Collected = new Map();
    const seen = new Set<FieldNode>();
    for (const part of parts) {
      for (const [key, nodes] of part) {
        for (const node of nodes) {
          if (seen.has(node)) continue;
          seen.add(node);
          add(fields, key, node);
        }
      }
    }
    return fields;
  }

  private includes(node: SelectionNode): boolean {
    const { variables } = this.options;
    if (!variables || !node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  }

  /** graphql-js's `doesFragmentConditionMatch`, for an object type named `typename`. */
  private applies(condition: string | undefined, typename: string): boolean {
    if (!condition || typename === ANY_TYPE || condition === typename) return true;
    const { schema } = this.options;
    const conditionType = schema?.getType(condition);
    const objectType = schema?.getType(typename);
    return Boolean(schema && isAbstractType(conditionType) && isObjectType(objectType) && schema.isSubType(conditionType, objectType));
  }
}

function add(fields: Collected, key: string, node: FieldNode): void {
  const nodes = fields.get(key);
  if (nodes) nodes.push(node);
  else fields.set(key, [node]);
}

/** The fragments of a document, by name. */
export function fragmentsOf(definitions: readonly { kind: Kind }[]): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      fragments[fragment.name.value] = fragment;
    }
  }
  return fragments;
}
