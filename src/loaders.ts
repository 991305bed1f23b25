/**
 * Per-operation DataLoaders over the KonbiniAPI client: they batch and dedupe within one operation
 * (the client's LRU and in-flight map work across operations). KonbiniAPI has no batch endpoints, so a
 * batch fans out to parallel single calls and yields one value or one error per key, in order. One
 * loader serves every operation, keyed by the canonical request (`requestPath`): aliases, repeated
 * objects and list items naming the same resource share one call.
 */
import DataLoader from 'dataloader';
import { toGraphQLError } from './errors.js';
import type { CallOptions, KonbiniClient } from './upstream/client.js';
import { type OperationId, type OperationParams, requestPath, subjectOf } from './upstream/endpoints.js';
import type { OkData } from './upstream/types.js';

interface CallKey {
  operation: OperationId;
  params: OperationParams;
}

export interface Loaders {
  /** The `data` of one upstream operation, loaded once per operation and request. */
  call<Op extends OperationId>(operation: Op, params: OperationParams): Promise<OkData<Op>>;
}

/** Loaders for one operation; `options` carries its ledger and its deadline to every call. */
export function createLoaders(client: KonbiniClient, options: CallOptions): Loaders {
  const loader = new DataLoader<CallKey, unknown, string>(
    (keys) =>
      Promise.all(
        keys.map(({ operation, params }) =>
          client.call(operation, params, options).catch((error: unknown) => toGraphQLError(error, subjectOf(operation, params))),
        ),
      ),
    { cacheKeyFn: ({ operation, params }) => requestPath(operation, params) },
  );
  return {
    call: <Op extends OperationId>(operation: Op, params: OperationParams) => loader.load({ operation, params }) as Promise<OkData<Op>>,
  };
}
