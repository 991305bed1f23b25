/** A request id for every request: the caller's `X-Request-Id` when it is sane, else a new one; echoed in the response. */
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const ids = new WeakMap<Request, string>();

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
    onResponse({ request, response }) {
      response.headers.set('x-request-id', ids.get(request) ?? idFor(request)); // nothing asks for it after the response
    },
  };
}
