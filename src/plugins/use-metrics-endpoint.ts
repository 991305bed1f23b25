/** Serves the Prometheus registry at `/metrics`. */
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

export function useMetricsEndpoint(registry: Registry, path = '/metrics'): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return; // synchronous for every other request
      return registry.metrics().then((text) => endResponse(new fetchAPI.Response(text, { headers: { 'content-type': registry.contentType } })));
    },
  };
}
