/**
 * Shapes the answer of an operation its execution guard stopped (see src/execution/guard.ts): an answer
 * too large is refused whole (nothing of it is sent or cached); an operation past its deadline keeps
 * what it had resolved, with one error instead of one per field the guard stopped. With `@defer` or
 * `@stream` the bytes count across all payloads: what was sent stays sent, the payload that crosses
 * the bound is replaced by the error and is the last one.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';
import type { IncrementalPayload } from '../execution/incremental.js';
import { type ExecutionGuard, existingGuard } from '../execution/guard.js';

export function useExecutionGuard(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) {
            setResult(guardedPayloads(result as AsyncIterable<IncrementalPayload>, args.contextValue as object));
            return;
          }
          const failure = existingGuard(args.contextValue as object)?.failure;
          if (!failure) return;
          if (failure.extensions.code === ErrorCode.RESPONSE_TOO_LARGE) {
            setResult({ errors: [failure], extensions: result.extensions });
            return;
          }
          const errors = result.errors ?? [];
          const first = errors.find((e: GraphQLError) => e.originalError === failure);
          setResult({ ...result, errors: [...errors.filter((e: GraphQLError) => e.originalError !== failure), ...(first ? [first] : [])] });
        },
      };
    },
  };
}

/**
 * The payloads of an incremental answer, shaped as above: after a refusal for size, one last payload
 * with the error (the rest is never sent); after the deadline, its error once in all. `return()` goes
 * to the executor at once, so a client that leaves ends the execution without waiting for a payload.
 */
function guardedPayloads(source: AsyncIterable<IncrementalPayload>, ctx: object): AsyncIterableIterator<IncrementalPayload> {
  const iterator = source[Symbol.asyncIterator]();
  const closed = (): IteratorResult<IncrementalPayload> => ({ done: true, value: undefined });
  let initial = true;
  let finished = false;
  let deadlineReported = false;
  const shape = (payload: IncrementalPayload, guard: ExecutionGuard | undefined): IncrementalPayload => {
    const failure = guard?.failure;
    if (!failure) return payload;
    if (failure.extensions.code === ErrorCode.RESPONSE_TOO_LARGE) {
      finished = true;
      iterator.return?.().catch(() => undefined); // the rest is never sent
      return initial
        ? { errors: [failure], extensions: payload.extensions, hasNext: false }
        : { incremental: [{ path: [], errors: [failure] }], hasNext: false };
    }
    const once = (errors: readonly GraphQLError[] | undefined) => {
      if (!errors) return undefined;
      const kept = errors.filter((e) => {
        if (e.originalError !== failure) return true;
        if (deadlineReported) return false;
        deadlineReported = true;
        return true;
      });
      return kept.length > 0 ? kept : undefined;
    };
    const errors = once(payload.errors);
    const incremental = payload.incremental?.map((patch) => ({ ...patch, errors: once(patch.errors) }));
    return { ...payload, errors, ...(incremental ? { incremental } : {}) };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return closed();
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        return closed();
      }
      const value = shape(next.value, existingGuard(ctx));
      initial = false;
      return { done: false, value };
    },
    async return() {
      finished = true;
      await iterator.return?.();
      return closed();
    },
  };
}
