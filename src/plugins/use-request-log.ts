/**
 * A request id (the caller's `X-Request-Id`, or a new one) returned in a response header, and one log
 * line per operation: its name, outcome, duration, error codes and upstream report.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from '../context.js';
import type { Logger } from '../logger.js';
import type { KonbiniClient } from '../upstream/client.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function useRequestLog(logger: Logger, client: KonbiniClient): Plugin<GraphContext> {
  const ids = new WeakMap<Request, string>();
  const idOf = (request: Request) => {
    let id = ids.get(request);
    if (!id) {
      const given = request.headers.get('x-request-id');
      id = given && REQUEST_ID.test(given) ? given : randomUUID();
      ids.set(request, id);
    }
    return id;
  };
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', idOf(request));
    },
    onExecute({ args }) {
      const started = performance.now();
      const ctx = args.contextValue as GraphContext & { request?: Request };
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const codes = (result.errors ?? []).map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
          logger.info(
            {
              requestId: ctx.request ? idOf(ctx.request) : undefined,
              operation: getOperationAST(args.document, args.operationName)?.name?.value ?? null,
              outcome: codes.length === 0 ? 'ok' : result.data ? 'partial' : 'error',
              durationMs: Math.round(performance.now() - started),
              errors: codes,
              upstream: ctx.ledger.report(client.creditsRemaining),
            },
            'operation',
          );
        },
      };
    },
  };
}
