/**
 * Per-operation observability: one log line (name, outcome, duration, error codes, upstream report,
 * request id), Prometheus counters and a duration histogram by operation and outcome, and an
 * OpenTelemetry span that parents the operation's upstream calls. Answers from the response cache
 * never execute: they are counted and logged with the outcome `cached` (no span and no duration
 * sample: nothing ran). An incremental answer (`@defer`, `@stream`) is one operation, recorded after
 * its last payload, `cancelled` when its client left before it.
 */
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { type GraphQLError, getOperationAST, parse } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from '../context.js';
import type { Logger } from '../logger.js';
import { type IncrementalPayload, payloadErrors } from '../execution/incremental.js';
import type { Metrics } from '../metrics.js';
import { tracer } from '../spans.js';
import type { KonbiniClient } from '../upstream/client.js';
import { requestIdOf } from './use-request-id.js';

/** Operation names become metric labels: well-formed ones only, and a bounded number of them. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_NAMES = 200;
const codeOf = (e: GraphQLError) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
/** How the response cache marks the answers it serves. */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

/**
 * The name of the operation a document and an operation name select. Documents seen recently are
 * remembered: by the document alone when no name is given (the usual case: no key string to build),
 * else by name and document.
 */
const unselectedNames = new LRUCache<string, string>({ max: 1_000 });
const selectedNames = new LRUCache<string, string>({ max: 1_000 });
function operationName(query: string | undefined, selected: string | null | undefined): string | undefined {
  if (!query) return selected ?? undefined;
  const remembered = selected ? selectedNames : unselectedNames;
  const key = selected ? `${selected}\0${query}` : query;
  let name = remembered.get(key);
  if (name === undefined) {
    try {
      name = getOperationAST(parse(query), selected)?.name?.value ?? '';
    } catch {
      name = '';
    }
    remembered.set(key, name);
  }
  return name || undefined;
}

export function useOperationTelemetry(logger: Logger, metrics: Metrics, client: KonbiniClient): Plugin<GraphContext> {
  const names = new Set<string>();
  const label = (name: string | undefined) => {
    if (!name) return 'anonymous';
    if (!NAME.test(name)) return 'other';
    if (!names.has(name) && names.size >= MAX_NAMES) return 'other';
    names.add(name);
    return name;
  };
  const requested = new WeakMap<Request, { at: number; query?: string; operationName?: string | null }>();
  return {
    onParams({ params, request }) {
      requested.set(request, { at: performance.now(), query: params.query, operationName: params.operationName });
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || !(result as Record<symbol, unknown>)[SERVED_FROM_CACHE]) return;
      const asked = requested.get(request);
      const name = operationName(asked?.query, asked?.operationName);
      metrics.cached(label(name));
      if (!logger.isLevelEnabled('info')) return; // the hot path builds no log line nobody reads
      const durationMs = asked ? Math.round(performance.now() - asked.at) : 0;
      logger.info({ requestId: requestIdOf(request), operation: name ?? null, outcome: 'cached', durationMs, errors: [] }, 'operation');
    },
    onExecute({ args }) {
      const started = performance.now();
      const ctx = args.contextValue as GraphContext & { request?: Request };
      const operation = getOperationAST(args.document, args.operationName);
      const name = operation?.name?.value;
      const span = tracer().startSpan(`${operation?.operation ?? 'query'} ${name ?? 'anonymous'}`, {
        attributes: { 'graphql.operation.type': operation?.operation ?? 'query', 'graphql.operation.name': name ?? '' },
      });
      ctx.callOptions.traceContext = trace.setSpan(context.active(), span);
      const finish = (outcome: string, codes: string[], incremental?: { payloads: number }) => {
        const seconds = (performance.now() - started) / 1000;
        const upstream = ctx.ledger.report(client.creditsRemaining);
        metrics.operation(label(name), outcome, seconds);
        span.setAttributes({ 'graphql.outcome': outcome, 'konbini.requests': upstream.requests, 'konbini.credits_used': upstream.creditsUsed });
        if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
        span.end();
        logger.info(
          {
            requestId: ctx.request ? requestIdOf(ctx.request) : undefined,
            operation: name ?? null,
            outcome,
            durationMs: Math.round(seconds * 1000),
            errors: codes,
            upstream,
            ...incremental,
          },
          'operation',
        );
      };
      return {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result)) {
            const codes = (result.errors ?? []).map(codeOf);
            finish(codes.length === 0 ? 'ok' : result.data ? 'partial' : 'error', codes);
            return;
          }
          // @defer, @stream: one record for the whole answer, once its last payload is out (or the
          // client left before it: `cancelled`).
          const codes: string[] = [];
          let payloads = 0;
          let complete = false;
          return {
            onNext({ result: payload }) {
              payloads++;
              codes.push(...payloadErrors(payload as IncrementalPayload).map(codeOf));
              if ((payload as IncrementalPayload).hasNext === false) complete = true;
            },
            onEnd() {
              finish(!complete ? 'cancelled' : codes.length === 0 ? 'ok' : 'partial', codes, { payloads });
            },
          };
        },
      };
    },
  };
}
