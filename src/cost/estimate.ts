/**
 * The most upstream calls (credits) an operation can cause, computed from its document and variables
 * before anything runs. It walks the operation and asks each selected field what it costs: the
 * declarations next to the resolvers (see declarations.ts). It must never be below what execution
 * spends; the ledger refuses calls past it anyway.
 *
 * It reads the operation as execution will (merged fields, coerced variables with their defaults) and
 * memoises each cost per merged field, so its work is linear in the document however fragments repeat.
 */
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isObjectType,
} from 'graphql';
import type { GraphContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import { schema as defaultSchema } from '../schema/index.js';
import type { CostInput, CostScope, FieldCost, Origin } from './declarations.js';
import { type MergedField, SelectionReader, fragmentsOf } from './selections.js';

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

/** Types generated for connections: their fields are the page in hand. */
export const isStructural = (typename: string) => typename === 'PageInfo' || typename.endsWith('Connection') || typename.endsWith('Edge');

const typeExtensions = (type: GraphQLObjectType) => type.extensions as { embeddedCopy?: Set<string>; complete?: boolean };
const costOf = (field: GraphQLField<unknown, unknown> | undefined) => (field?.extensions as { cost?: FieldCost } | undefined)?.cost;
const isIndependent = (field: GraphQLField<unknown, unknown> | undefined) => Boolean((field?.extensions as { independent?: boolean } | undefined)?.independent);

/** Whether an embedded copy of `typename` lacks something `selection` reads: a field outside the copy without its own cost. */
function needsResource(selection: MergedField, typename: string, e: Estimator): boolean {
  const type = e.schema.getType(typename);
  const copy = isObjectType(type) ? typeExtensions(type).embeddedCopy : undefined;
  if (!copy || !isObjectType(type)) return false;
  const fields = type.getFields();
  return e.reader.subfields(selection, typename).some((f) => !copy.has(f.name) && !isIndependent(fields[f.name]));
}

const scopeKey = (scope: CostScope) => `${scope.key ?? ''}|${scope.ownerField ?? ''}|${scope.reply ? 1 : 0}`;

/** The cost of `selection`'s fields on one object of type `typename` obtained as `origin`. */
function objectCost(selection: MergedField, typename: string, origin: Origin, scope: CostScope, e: Estimator): number {
  return memoised(selection, `${typename}:${origin}:${scopeKey(scope)}`, e, () => {
    const type = e.schema.getType(typename);
    if (!isObjectType(type)) return 0;
    const resource = origin === 'embedded' && needsResource(selection, typename, e) ? 1 : 0;
    const fields = type.getFields();
    return resource + sum(e.reader.subfields(selection, typename).map((f) => fieldCost(f, fields[f.name], origin, scope, e)));
  });
}

/** The cost of `selection`'s fields on an object of the field's type, the most over its possible types. */
function childrenCost(
  selection: MergedField,
  definition: GraphQLField<unknown, unknown>,
  origin: Origin,
  scope: CostScope,
  e: Estimator,
  typename?: string,
): number {
  const named = typename ? e.schema.getType(typename) : getNamedType(definition.type);
  if (!named || isLeafType(named)) return 0;
  if (isAbstractType(named)) return Math.max(0, ...e.schema.getPossibleTypes(named).map((t) => objectCost(selection, t.name, origin, scope, e)));
  return objectCost(selection, named.name, origin, scope, e);
}

/** A field's arguments coerced as execution will (null when execution would fail the field before its resolver). */
function argumentsOf(selection: MergedField, definition: GraphQLField<unknown, unknown>, e: Estimator): Record<string, unknown> | null {
  try {
    return getArgumentValues(definition, selection.nodes[0]!, e.variables);
  } catch {
    return null;
  }
}

function fieldCost(selection: MergedField, definition: GraphQLField<unknown, unknown> | undefined, origin: Origin, scope: CostScope, e: Estimator): number {
  if (!definition) return 0; // __typename
  const declared = costOf(definition);
  if (!declared) return childrenCost(selection, definition, 'loaded', {}, e);
  const args = argumentsOf(selection, definition, e);
  if (!args) return 0;
  const input: CostInput = {
    field: selection,
    args,
    origin,
    scope,
    ctx: e.ctx,
    children: (childOrigin, childScope = {}, typename) => childrenCost(selection, definition, childOrigin, childScope, e, typename),
    subfields: (typename = getNamedType(definition.type).name) => e.reader.subfields(selection, typename),
    objectCost: (sel, typename, objectOrigin, objectScope = {}) => objectCost(sel, typename, objectOrigin, objectScope, e),
    subfieldsOf: (sel, typename) => e.reader.subfields(sel, typename),
    needsResource: (sel, typename) => needsResource(sel, typename, e),
    check: (f, fallback) => checked(selection, e, f, fallback),
    connectionItems: () => connectionItems(selection, definition, e),
  };
  return declared(input);
}

/** The item selections under a connection: `nodes` and `edges { node }`. */
function connectionItems(connection: MergedField, definition: GraphQLField<unknown, unknown>, e: Estimator): MergedField[] {
  const connectionType = getNamedType(definition.type);
  const fields = e.reader.subfields(connection, connectionType.name);
  const edgeType = isObjectType(connectionType) ? getNamedType(connectionType.getFields().edges?.type) : undefined;
  const nodes = fields.filter((f) => f.name === 'nodes');
  const edgeNodes = edgeType
    ? fields.filter((f) => f.name === 'edges').flatMap((edges) => e.reader.subfields(edges, edgeType.name).filter((f) => f.name === 'node'))
    : [];
  return [...nodes, ...edgeNodes];
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
  // A subscription is estimated per event: what one event's selections cost.
  const query = operation?.operation === 'query' ? schema.getQueryType() : operation?.operation === 'subscription' ? schema.getSubscriptionType() : null;
  if (!operation || !query) return { credits: 0, inputErrors: [] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  if (coerced.errors) return { credits: 0, inputErrors: [] };
  const fragments = fragmentsOf(document.definitions);
  const reader = new SelectionReader({ schema, fragments, variables: coerced.coerced });
  const e: Estimator = { reader, schema, variables: coerced.coerced, ctx, inputErrors: [], memo: new Map() };
  const fields = query.getFields();
  const credits = sum(reader.fieldsOf(operation.selectionSet, query.name).map((f) => fieldCost(f, fields[f.name], 'loaded', {}, e)));
  return { credits, inputErrors: e.inputErrors };
}
