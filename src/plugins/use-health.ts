/**
 * `/healthz`: the process answers. `/readyz`: this instance can take traffic. States every replica
 * shares (the account paused after a 402/401/403, an open circuit, an upstream that fails the free
 * probe) do not make it unready: taking every replica out of rotation would not help, and GraphQL
 * answers already fail fast with their codes. They are reported in the body (`degraded: true`).
 * Only draining (after SIGTERM) answers 503, so that the load balancer stops sending traffic here.
 */
import type { Plugin } from 'graphql-yoga';
import type { KonbiniClient } from '../upstream/client.js';
import { jsonResponse } from './json-response.js';

const PROBE_EVERY_MS = 5_000;

/** The instance's lifecycle: `draining` is set when it stops taking new work (SIGTERM). */
export interface Lifecycle {
  draining: boolean;
}

/** What /readyz reports of Redis, when replicas share through it. */
export interface SharedState {
  state(): 'ok' | 'degraded';
}

export function useHealth(client: KonbiniClient, lifecycle: Lifecycle, shared?: SharedState): Plugin {
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
      if (lifecycle.draining) {
        return endResponse(jsonResponse(fetchAPI.Response, 503, { status: 'draining', ...client.health() }));
      }
      return probe().then((upstreamFailure) => {
        const health = client.health();
        // Redis down is no reason to leave the rotation: replicas answer without it.
        const redis = shared?.state();
        const degraded =
          upstreamFailure !== undefined || !health.account.usable || Object.values(health.circuits).some((c) => c !== 'closed') || redis === 'degraded';
        // Draining may have begun while the probe ran.
        const status = lifecycle.draining ? 'draining' : 'ready';
        const body = { status, degraded, upstream: upstreamFailure ?? 'ok', ...(redis ? { redis } : {}), ...health };
        endResponse(jsonResponse(fetchAPI.Response, lifecycle.draining ? 503 : 200, body));
      });
    },
  };
}
