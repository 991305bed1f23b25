/**
 * `/healthz`: the process answers. `/readyz`: the upstream is reachable and the account usable,
 * checked with a free call (an unknown route costs no credit) at most every few seconds, plus the
 * account lockout and the circuits.
 */
import type { Plugin } from 'graphql-yoga';
import { jsonResponse } from './json-response.js';
import type { KonbiniClient } from '../upstream/client.js';

const PROBE_EVERY_MS = 5_000;

export function useHealth(client: KonbiniClient): Plugin {
  let lastProbe: { at: number; failure: Promise<string | undefined> } | undefined;
  const probe = () => {
    if (!lastProbe || Date.now() - lastProbe.at > PROBE_EVERY_MS) {
      lastProbe = { at: Date.now(), failure: client.probe().then((error) => error?.failure) };
    }
    return lastProbe.failure;
  };
  return {
    // Synchronous unless the path is /readyz: a promise per GraphQL request would cost every answer.
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') return endResponse(jsonResponse(fetchAPI.Response, 200, { status: 'ok' }));
      if (url.pathname !== '/readyz') return;
      return probe().then((upstreamFailure) => {
        const { account, circuits } = client.health();
        const ready = !upstreamFailure && account.usable && !Object.values(circuits).includes('open');
        const body = { status: ready ? 'ready' : 'not ready', upstream: upstreamFailure ?? 'ok', account, circuits };
        endResponse(jsonResponse(fetchAPI.Response, ready ? 200 : 503, body));
      });
    },
  };
}
