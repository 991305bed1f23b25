/**
 * The shape of a document, measured before graphql-js validates it, in time linear in the document:
 * field depth, aliases, directives, how often one response key repeats at one place, and how deep
 * literal values nest. Fields are read the way execution merges them (src/cost/selections.ts) without
 * types or variables: every fragment applies and every @skip/@include includes, an upper bound of what
 * any execution selects. A fragment spread twice per level for thirty levels counts as written once.
 */
import { type DefinitionNode, type DocumentNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, visit } from 'graphql';
import { ANY_TYPE, type MergedField, SelectionReader, fragmentsOf } from './selections.js';

/**
 * Most field nodes one response key may gather at one place of the response. graphql-js compares them
 * pairwise (OverlappingFieldsCanBeMerged): `{ user { username ×1990 } }` fits the token limit and took
 * 450 ms to validate. A client's fragments repeat `id` or `__typename` once per fragment spread at one
 * place, which 20 leaves room for; the comparisons then cost at most 20 per field written.
 */
export const MAX_FIELD_REPEATS = 20;
/** A bound on nesting under introspection fields (not counted as depth), which only keeps the walk finite. */
const MAX_NESTING = 64;

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxFieldRepeats: number;
  /** Deepest nesting of list and object literals. */
  maxValueDepth: number;
}

export type ShapeLimit = 'depth' | 'aliases' | 'directives' | 'fieldRepeats' | 'valueDepth';

/** The first limit a document exceeds; `found` is the measure (for depth, the level where the walk stopped). */
export interface ShapeViolation {
  limit: ShapeLimit;
  max: number;
  found: number;
  /** The response key, for `fieldRepeats`. */
  field?: string;
}

class Exceeded extends Error {
  constructor(readonly violation: ShapeViolation) {
    super(violation.limit);
  }
}

interface Measure {
  /** Levels of fields from this field down (0 for `__schema`, whose subtree is not counted). */
  height: number;
  /** Aliased fields under this field, as many times as the response will hold them. */
  aliases: number;
}

/** Counts an alias like GraphQL Armor did: `__typename` under any alias, or as an alias, is free. */
const isAliased = (field: MergedField) =>
  field.nodes.some((node) => node.alias !== undefined && node.alias.value !== '__typename' && node.name.value !== '__typename');

/** Walks merged fields once each (memoised), checking repeats and depth on the way down. */
class ShapeWalk {
  private readonly measured = new Map<MergedField, Measure>();
  private readonly active = new Set<MergedField>();

  constructor(
    private readonly reader: SelectionReader,
    private readonly limits: ShapeLimits,
  ) {}

  /** Checks the fields of a root selection set; returns their height and aliases. */
  root(fields: readonly MergedField[], counted: boolean): Measure {
    this.checkRepeats(fields);
    let height = 0;
    let aliases = 0;
    for (const field of fields) {
      const measure = this.field(field, counted ? 1 : null, 1);
      height = Math.max(height, measure.height);
      aliases += measure.aliases + (isAliased(field) ? 1 : 0);
    }
    return { height, aliases };
  }

  /** `depth`: the field's level in the operation, or null where depth is not counted. */
  private field(field: MergedField, depth: number | null, nesting: number): Measure {
    const counted = depth !== null && field.name !== '__schema' ? depth : null;
    const known = this.measured.get(field);
    if (known) {
      if (counted !== null && counted - 1 + known.height > this.limits.maxDepth) this.exceeded('depth', counted - 1 + known.height);
      return known;
    }
    if (counted !== null && counted > this.limits.maxDepth) this.exceeded('depth', counted);
    if (nesting > MAX_NESTING) this.exceeded('depth', nesting);
    // A fragment cycle through fields: NoFragmentCycles refuses it; here it only must not loop.
    if (this.active.has(field)) return { height: 0, aliases: 0 };
    this.active.add(field);
    const children = this.reader.subfields(field, ANY_TYPE);
    this.checkRepeats(children);
    let height = 0;
    let aliases = 0;
    for (const child of children) {
      const measure = this.field(child, counted === null ? null : counted + 1, nesting + 1);
      height = Math.max(height, measure.height);
      aliases += measure.aliases + (isAliased(child) ? 1 : 0);
    }
    this.active.delete(field);
    const measure = { height: field.name === '__schema' ? 0 : height + 1, aliases };
    this.measured.set(field, measure);
    return measure;
  }

  private checkRepeats(fields: readonly MergedField[]): void {
    for (const field of fields) {
      if (field.nodes.length > this.limits.maxFieldRepeats) {
        throw new Exceeded({ limit: 'fieldRepeats', max: this.limits.maxFieldRepeats, found: field.nodes.length, field: field.responseKey });
      }
    }
  }

  exceeded(limit: 'depth' | 'aliases' | 'directives', found: number): never {
    const max = { depth: this.limits.maxDepth, aliases: this.limits.maxAliases, directives: this.limits.maxDirectives }[limit];
    throw new Exceeded({ limit, max, found });
  }
}

interface DefinitionFacts {
  directives: number;
  spreads: Set<string>;
}

/** One pass over the text: directives and spreads of each definition, and the nesting of literal values. */
function scan(document: DocumentNode, maxValueDepth: number): Map<DefinitionNode, DefinitionFacts> {
  const facts = new Map<DefinitionNode, DefinitionFacts>();
  let current: DefinitionFacts = { directives: 0, spreads: new Set() };
  let valueDepth = 0;
  const definition = (node: DefinitionNode) => {
    current = { directives: 0, spreads: new Set() };
    facts.set(node, current);
  };
  const nested = {
    enter() {
      if (++valueDepth > maxValueDepth) throw new Exceeded({ limit: 'valueDepth', max: maxValueDepth, found: valueDepth });
    },
    leave() {
      valueDepth--;
    },
  };
  // graphql-js's visit keeps its own stack: a thousand nested list literals do not recurse.
  visit(document, {
    OperationDefinition: definition,
    FragmentDefinition: definition,
    Directive: () => void current.directives++,
    FragmentSpread: (node) => void current.spreads.add(node.name.value),
    ListValue: nested,
    ObjectValue: nested,
  });
  return facts;
}

/** Directives written in the operation and in the fragments it uses, each fragment once. */
function directivesOf(
  operation: OperationDefinitionNode,
  facts: Map<DefinitionNode, DefinitionFacts>,
  fragments: Record<string, FragmentDefinitionNode>,
): number {
  let count = facts.get(operation)!.directives;
  const seen = new Set<string>();
  const pending = [...facts.get(operation)!.spreads];
  while (pending.length > 0) {
    const name = pending.pop()!;
    const fragment = fragments[name];
    if (seen.has(name) || !fragment) continue;
    seen.add(name);
    const own = facts.get(fragment)!;
    count += own.directives;
    pending.push(...own.spreads);
  }
  return count;
}

/**
 * The first shape limit `document` exceeds, if any. Depth, aliases and directives are per operation;
 * repeats and value nesting are checked everywhere, unused fragments included (graphql-js validates them).
 */
export function findShapeViolation(document: DocumentNode, limits: ShapeLimits): ShapeViolation | undefined {
  try {
    const facts = scan(document, limits.maxValueDepth);
    const fragments = fragmentsOf(document.definitions);
    const reader = new SelectionReader({ fragments });
    const walk = new ShapeWalk(reader, limits);
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const directives = directivesOf(definition, facts, fragments);
      if (directives > limits.maxDirectives) walk.exceeded('directives', directives);
      const { aliases } = walk.root(reader.fieldsOf(definition.selectionSet, ANY_TYPE), true);
      if (aliases > limits.maxAliases) walk.exceeded('aliases', aliases);
    }
    for (const fragment of Object.values(fragments)) walk.root(reader.fieldsOf(fragment.selectionSet, ANY_TYPE), false);
    return undefined;
  } catch (error) {
    if (error instanceof Exceeded) return error.violation;
    throw error;
  }
}
