/**
 * Optional access control to this server: client keys (`Authorization: Bearer <key>`) and a rate limit
 * per client (its key, else its address). Both off by default; GraphiQL's page itself stays open.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitsConfig } from '../config.js';
import { refusal } from './json-response.js';


/** Keys are compared and counted by hash, so that no key is ever held in a log line or a limiter. */
const fingerprint = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

export function useClientAccess(limits: LimitsConfig, graphqlPath = '/graphql'): Plugin {
  const accepted = new Set(limits.clientKeys.map(fingerprint));
  const limiter = limits.rateLimitPerMinute > 0 ? new RateLimiterMemory({ points: limits.rateLimitPerMinute, duration: 60 }) : undefined;
  if (accepted.size === 0 && !limiter) return {};
  return {
    // Synchronous unless a rate limit is set: a promise per request would cost every answer.
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== graphqlPath) return;
      const isGraphiQLPage = request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
      if (isGraphiQLPage) return;
      const key = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
      if (accepted.size > 0 && (!key || !accepted.has(fingerprint(key)))) {
        return endResponse(
          refusal(fetchAPI.Response, 401, 'UNAUTHENTICATED', 'A valid client key is required: send `Authorization: Bearer <key>`.', {
            'www-authenticate': 'Bearer',
          }),
        );
      }
      if (!limiter) return;
      const address = (serverContext as { req?: IncomingMessage } | undefined)?.req?.socket.remoteAddress;
      const client = key ? `key:${fingerprint(key)}` : `ip:${address ?? 'unknown'}`;
      return limiter.consume(client).then(
        () => undefined,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const seconds = Math.ceil(rejection.msBeforeNext / 1000);
          endResponse(
            refusal(fetchAPI.Response, 429, 'RATE_LIMITED', `Too many operations: at most ${limits.rateLimitPerMinute} a minute. Retry in ${seconds} s.`, {
              'retry-after': String(seconds),
            }),
          );
        },
      );
    },
  };
}
