/**
 * The per-request context: fresh loaders, a fresh ledger and a deadline for every operation, and the
 * plugin that marks an operation answered, so that upstream calls only it waits for are not started.
 */
import type { Plugin } from 'graphql-yoga';
import type { AppConfig } from './config.js';
import { whenExecutionEnds } from './execution/incremental.js';
import { UpstreamLedger } from './ledger.js';
import { type Loaders, createLoaders } from './loaders.js';
import { type CursorCodec, createCursorCodec } from './schema/cursors.js';
import type { CallOptions, KonbiniClient } from './upstream/client.js';

export interface GraphContext {
  loaders: Loaders;
  /** What every upstream call of the operation carries (its ledger, deadline, liveness and trace). */
  callOptions: CallOptions;
  ledger: UpstreamLedger;
  client: KonbiniClient;
  config: AppConfig;
  cursors: CursorCodec;
}

/** Returns the function Yoga calls once per request to build its context. */
export function contextFactory(client: KonbiniClient, config: AppConfig): () => GraphContext {
  const cursors = createCursorCodec(config.cursorSecret);
  return () => {
    const ledger = new UpstreamLedger();
    const callOptions: CallOptions = { observer: ledger, deadlineAt: Date.now() + config.resilience.operationTimeoutMs };
    return { loaders: createLoaders(client, callOptions), callOptions, ledger, client, config, cursors };
  };
}

/**
 * Marks the operation answered once its execution is done (`callOptions.done`): an upstream call
 * still queued or waiting to retry for it alone is then dropped instead of being started and billed.
 * A flag, not a timer: the client reads it only when a call would start.
 */
export function useOperationLiveness(): Plugin<GraphContext> {
  return {
    onExecute({ args }) {
      const { callOptions } = args.contextValue as Partial<GraphContext>;
      if (!callOptions) return;
      return {
        onExecuteDone({ result }) {
          // With @defer or @stream: once the last payload is out, or the client has gone away.
          return whenExecutionEnds(result, () => {
            callOptions.done = true;
          });
        },
      };
    },
  };
}
