/**
 * Optional access control to this server: client keys (`Authorization: Bearer <key>`) and a rate limit
 * of operations per client (its key, else its address). Both off by default. They apply to every
 * request that reaches this plugin, whatever its path (`/graphql/`, `//graphql` and `/graphql?x` all
 * answer GraphQL): health, readiness, metrics and GraphiQL's page are answered by earlier plugins.
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { type IdentityOptions, bearerToken, clientOf, fingerprint } from '../budget/client-identity.js';
import type { LimitsConfig } from '../config.js';
import { refusal } from './json-response.js';

/** The operations-per-minute limiter of this process alone; replicas sharing Redis pass theirs (src/redis). */
export const localRateLimiter = (perMinute: number): RateLimiterAbstract => new RateLimiterMemory({ points: perMinute, duration: 60 });

export function useClientAccess(limits: LimitsConfig, identity: IdentityOptions, limiter?: RateLimiterAbstract): Plugin {
  const accepted = identity.keys;
  if (accepted.size === 0 && !limiter) return {};
  return {
    // Synchronous unless a rate limit is set: a promise per request would cost every answer.
    onRequest({ request, endResponse, fetchAPI, serverContext }) {
      if (accepted.size > 0) {
        const key = bearerToken(request);
        if (!key || !accepted.has(fingerprint(key))) {
          return endResponse(
            refusal(fetchAPI.Response, 401, 'UNAUTHENTICATED', 'A valid client key is required: send `Authorization: Bearer <key>`.', {
              'www-authenticate': 'Bearer',
            }),
          );
        }
      }
      if (!limiter) return;
      const client = clientOf(request, (serverContext as { req?: IncomingMessage } | undefined)?.req, identity);
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
