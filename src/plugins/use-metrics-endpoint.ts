/**
 * Serves the Prometheus registry at `/metrics`. It shows the account's credit balance, so it is not
 * public when clients need keys: it then requires `Authorization: Bearer <METRICS_TOKEN>`, and is
 * closed (404) when no token is set. Without client keys it is open unless a token is set.
 */
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { bearerToken, fingerprint } from '../budget/client-identity.js';
import { refusal } from './json-response.js';

export interface MetricsAccess {
  /** A token `/metrics` requires. */
  token: string | undefined;
  /** Whether clients need keys (then `/metrics` is never open without a token). */
  clientKeys: boolean;
}

export function useMetricsEndpoint(registry: Registry, access: MetricsAccess, path = '/metrics'): Plugin {
  const expected = access.token === undefined ? undefined : fingerprint(access.token);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return; // synchronous for every other request
      if (expected === undefined && access.clientKeys) {
        return endResponse(refusal(fetchAPI.Response, 404, 'NOT_FOUND', 'Metrics are served only with METRICS_TOKEN set when client keys are configured.'));
      }
      if (expected !== undefined) {
        const token = bearerToken(request);
        if (token === undefined || fingerprint(token) !== expected) {
          return endResponse(
            refusal(fetchAPI.Response, 401, 'UNAUTHENTICATED', 'Metrics need `Authorization: Bearer <METRICS_TOKEN>`.', { 'www-authenticate': 'Bearer' }),
          );
        }
      }
      return registry.metrics().then((text) => endResponse(new fetchAPI.Response(text, { headers: { 'content-type': registry.contentType } })));
    },
  };
}
