/**
 * Graceful stop: once the instance drains (SIGTERM), every response it still sends closes its
 * connection, so a keep-alive connection goes away as soon as its last answer is out instead of
 * idling until the grace period ends (idle ones are closed by the server at once).
 */
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Lifecycle } from './use-health.js';

export function useConnectionDrain(lifecycle: Lifecycle): Plugin {
  return {
    onResponse({ response, serverContext }) {
      if (!lifecycle.draining) return;
      const res = (serverContext as { res?: Partial<ServerResponse> } | undefined)?.res;
      if (typeof res?.setHeader === 'function' && !res.headersSent) res.setHeader('connection', 'close');
      else response.headers.set('connection', 'close');
    },
  };
}
