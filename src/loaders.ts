/**
 * Per-operation DataLoaders over the KonbiniAPI client: they dedupe within one operation
 * (the client's LRU and in-flight map work across operations). KonbiniAPI has no batch endpoints, so a
 * batch fans out to parallel single calls and yields one value or one error per key, in order. One
 * loader serves every operation, keyed by the canonical request (`requestPath`): aliases, repeated
 * objects and list items naming the same resource share one call.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { ErrorCode, toGraphQLError } from './errors.js';
import type { CallOptions, KonbiniClient } from './upstream/client.js';
import { type OperationId, type OperationParams, requestPath, subjectOf } from './upstream/endpoints.js';
import type { OkData } from './upstream/types.js';

interface CallKey {
  operation: OperationId;
  params: OperationParams;
  /** The canonical request (`requestPath`): the loader's key. */
  path: string;
}

export interface Loaders {
  /** The `data` of one upstream operation, loaded once per operation and request. */
  call<Op extends OperationId>(operation: Op, params: OperationParams): Promise<OkData<Op>>;
  /** As `call`, but a billed 404 answers null: where "not found" means "nothing" (not live, no transcript). */
  find<Op extends OperationId>(operation: Op, params: OperationParams): Promise<OkData<Op> | null>;
}

/** Loaders for one operation; `options` carries its ledger and its deadline to every call. */
export function createLoaders(client: KonbiniClient, options: CallOptions): Loaders {
  const loader = new DataLoader<CallKey, unknown, string>(
    (keys) =>
      Promise.all(
        keys.map(({ operation, params, path }) =>
          client.callPath(operation, path, options).catch((error: unknown) => toGraphQLError(error, subjectOf(operation, params))),
        ),
      ),
    // No batching (the fan-out gains nothing from it): each call resolves on its own, so a profile
    // does not wait for a slower stories page asked for in the same tick (@defer, @stream, critical paths).
    { cacheKeyFn: ({ path }) => path, batch: false },
  );
  // The canonical request is built once: it keys the loader and is the path the client asks.
  const call = <Op extends OperationId>(operation: Op, params: OperationParams) =>
    loader.load({ operation, params, path: requestPath(operation, params) }) as Promise<OkData<Op>>;
  return {
    call,
    find: (operation, params) =>
      call(operation, params).catch((error: unknown) => {
        if (error instanceof GraphQLError && error.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      }),
  };
}
