/** The per-request context: fresh loaders and a fresh ledger for every operation. */
import type { AppConfig } from './config.js';
import { UpstreamLedger } from './ledger.js';
import { type Loaders, createLoaders } from './loaders.js';
import { type CursorCodec, createCursorCodec } from './schema/cursors.js';
import type { KonbiniClient } from './upstream/client.js';

export interface GraphContext {
  loaders: Loaders;
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
    const deadline = AbortSignal.timeout(config.resilience.operationTimeoutMs);
    return { loaders: createLoaders(client, { observer: ledger, deadline }), ledger, client, config, cursors };
  };
}
