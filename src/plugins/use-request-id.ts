/** A request id for every request: the caller's `X-Request-Id` when it is sane, else a new one; echoed in the response. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const ids = new WeakMap<Request, string>();
/** Requests whose id is already on the Node response. */
const onNodeResponse = new WeakSet<Request>();

function idFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    id = idFor(request);
    ids.set(request, id);
  }
  return id;
}

export function useRequestId(): Plugin {
  return {
    onRequest({ request, serverContext }) {
      // Served by Node: the header goes on Node's response. Set on the fetch Response instead, it would
      // copy every header into a map and cost whatwg-node its single-writeHead path.
      const res = (serverContext as { res?: Partial<ServerResponse> } | undefined)?.res;
      if (typeof res?.setHeader !== 'function') return;
      res.setHeader('x-request-id', requestIdOf(request));
      onNodeResponse.add(request);
    },
    onResponse({ request, response }) {
      // Fetch callers, and responses ended before this plugin's onRequest ran (health, refusals).
      if (!onNodeResponse.has(request)) response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
