/**
 * `@defer` and `@stream`, delivered over `multipart/mixed` or Server-Sent Events: Yoga's plugin adds
 * the directives to the schema and its validation rules to the documents that use them, and this
 * chooses the executor per document.
 * graphql-js 16 cannot defer, and @graphql-tools/executor (which can) orders an answer's fields by when
 * they resolved rather than as selected. So only documents that use the directives run on it, and the
 * objects of its payloads are put back in selection order on the way out.
 */
import { mapAsyncIterator, useEngine } from '@envelop/core';
import { normalizedExecutor } from '@graphql-tools/executor';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import {
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
  execute,
  getOperationAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type IncrementalPayload, usesIncrementalDelivery } from '../execution/incremental.js';

type Fragments = Record<string, FragmentDefinitionNode>;

/**
 * The response keys an object gets from some selection sets, in the order they are first selected
 * (fragments inlined whatever their type condition: an object only has the keys that apply to it),
 * each with the shape of its own sub-selections. Built lazily, once per operation and level.
 */
class Shape {
  private collected?: Map<string, Shape | null>;

  constructor(
    private readonly sets: readonly SelectionSetNode[],
    private readonly fragments: Fragments,
  ) {}

  private get fields(): Map<string, Shape | null> {
    if (this.collected) return this.collected;
    const nodes = new Map<string, FieldNode[]>();
    const spread = new Set<string>();
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          nodes.set(key, [...(nodes.get(key) ?? []), selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet);
        } else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = this.fragments[selection.name.value];
          if (fragment) visit(fragment.selectionSet);
        }
      }
    };
    for (const set of this.sets) visit(set);
    this.collected = new Map();
    for (const [key, fieldNodes] of nodes) {
      const sub = fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      this.collected.set(key, sub.length > 0 ? new Shape(sub, this.fragments) : null);
    }
    return this.collected;
  }

  /** The shape of the objects at `path` (list indices skipped), if any. */
  at(path: readonly (string | number)[]): Shape | null {
    let shape: Shape | null = this;
    for (const key of path) {
      if (typeof key === 'number') continue;
      shape = shape.fields.get(key) ?? null;
      if (!shape) return null;
    }
    return shape;
  }

  /** A copy of `value` (an object, a list of them, or a leaf) with its keys in selection order. */
  order(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.order(item));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const ordered: Record<string, unknown> = {};
    for (const [key, shape] of this.fields) if (key in object) ordered[key] = shape ? shape.order(object[key]) : object[key];
    for (const key of Object.keys(object)) if (!(key in ordered)) ordered[key] = object[key];
    return ordered;
  }
}

/** The payload with its data, and its patches' data and items, in selection order. */
function orderPayload(root: Shape, payload: IncrementalPayload): IncrementalPayload {
  const data = payload.data ? (root.order(payload.data) as Record<string, unknown>) : payload.data;
  const incremental = payload.incremental?.map((patch) => {
    const shape = patch.path ? root.at(patch.path) : null;
    if (!shape) return patch;
    if (patch.items) return { ...patch, items: patch.items.map((item) => shape.order(item)) };
    return patch.data ? { ...patch, data: shape.order(patch.data) } : patch;
  });
  return { ...payload, ...(data !== undefined ? { data } : {}), ...(incremental ? { incremental } : {}) };
}

/** Media types an incremental answer can be sent as. */
const STREAMING = /multipart\/mixed|text\/event-stream/;

/**
 * graphql-js's `execute`, or the incremental executor (in selection order) for a document with `@defer`
 * or `@stream` sent by a client that accepts a streamed answer. graphql-js ignores the directives, so a
 * client that accepts only JSON gets the whole answer at once, as the spec allows, instead of a 406.
 */
export function executeInSelectionOrder(args: ExecutionArgs) {
  const accept = (args.contextValue as { request?: Request } | undefined)?.request?.headers.get('accept') ?? '';
  if (!usesIncrementalDelivery(args.document) || !STREAMING.test(accept)) return execute(args);
  const inOrder = (result: ExecutionResult | AsyncIterable<ExecutionResult>) => {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return result;
    const fragments: Fragments = {};
    for (const definition of args.document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    const root = new Shape([operation.selectionSet], fragments);
    if (Symbol.asyncIterator in result) return mapAsyncIterator(result as AsyncIterable<IncrementalPayload>, (payload) => orderPayload(root, payload));
    return orderPayload(root, result) as ExecutionResult;
  };
  const result = normalizedExecutor(args);
  return 'then' in result && typeof result.then === 'function' ? Promise.resolve(result).then(inOrder) : inOrder(result as ExecutionResult);
}

export function useIncrementalDelivery(): Plugin[] {
  const deferStream = useDeferStream(); // onSchemaChange and onValidate only
  return [
    {
      onSchemaChange: deferStream.onSchemaChange,
      // Its rules (a field-merging rule that knows @stream, and where the directives may go) only for
      // documents that use the directives: every other document validates exactly as before.
      onValidate(payload) {
        if (usesIncrementalDelivery(payload.params.documentAST)) return deferStream.onValidate?.(payload);
      },
    },
    useEngine({ execute: executeInSelectionOrder }) as Plugin,
  ];
}
