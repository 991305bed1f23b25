/**
 * Incremental delivery (`@defer`, `@stream`): which documents need it, and when an execution that
 * uses it is over. Such an execution answers with an async iterable of payloads (the initial one,
 * then `incremental` patches until `hasNext: false`); work bound to the operation (its credit
 * reservation, its liveness, its log line) ends with the last payload, or when the client goes away
 * and Yoga closes the iterator, not when `execute` returns.
 */
import type { OnExecuteDoneHookResult } from '@envelop/core';
import { type DocumentNode, type ExecutionResult, type GraphQLError, Kind, visit, BREAK } from 'graphql';

const INCREMENTAL_DIRECTIVES = new Set(['defer', 'stream']);
/** Documents are parsed once and cached by Yoga, so the answer is remembered per document object. */
const incremental = new WeakMap<DocumentNode, boolean>();

/** Whether the document uses `@defer` or `@stream` anywhere (with `if: false`, the executor still answers at once). */
export function usesIncrementalDelivery(document: DocumentNode): boolean {
  let found = incremental.get(document);
  if (found === undefined) {
    found = false;
    // A directive's name is written out in the text (names have no escapes): most documents need no walk.
    const text = document.loc?.source.body;
    if (text !== undefined && !text.includes('defer') && !text.includes('stream')) {
      incremental.set(document, false);
      return false;
    }
    visit(document, {
      [Kind.DIRECTIVE](node) {
        if (!INCREMENTAL_DIRECTIVES.has(node.name.value)) return;
        found = true;
        return BREAK;
      },
    });
    incremental.set(document, found);
  }
  return found;
}

/** One payload of an incremental answer: the initial result, or patches with their own errors. */
export interface IncrementalPayload extends ExecutionResult {
  hasNext?: boolean;
  incremental?: readonly { data?: unknown; items?: readonly unknown[]; errors?: readonly GraphQLError[]; path?: readonly (string | number)[] }[];
}

/** Every error of a payload, its own and its patches'. */
export function payloadErrors(payload: IncrementalPayload): GraphQLError[] {
  return [...(payload.errors ?? []), ...(payload.incremental ?? []).flatMap((patch) => patch.errors ?? [])];
}

export const isIncrementalResult = (result: object): result is AsyncIterable<IncrementalPayload> => Symbol.asyncIterator in result;

/**
 * Runs `end` once the execution is over: now for a single result; for an incremental one, after its
 * last payload or when its iterator is closed early (the client disconnected), exactly once.
 * Meant to be returned from `onExecuteDone`.
 */
export function whenExecutionEnds(result: object, end: () => void): OnExecuteDoneHookResult<object> | undefined {
  if (!isIncrementalResult(result)) {
    end();
    return undefined;
  }
  return { onEnd: end };
}
