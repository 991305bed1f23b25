/** The per-request context: fresh loaders, a fresh ledger and a deadline for every operation. */
import type { AppConfig } from './config.js';
import { UpstreamLedger } from './ledger.js';
import { type Loaders, createLoaders } from './loaders.js';
import { type CursorCodec, createCursorCodec } from './schema/cursors.js';
import type { CallOptions, KonbiniClient } from './upstream/client.js';

export interface GraphContext {
  loaders: Loaders;
  /** What every upstream call of the operation carries (its ledger, deadline and trace). */
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
