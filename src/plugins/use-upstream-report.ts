/**
 * Adds `extensions.upstream` (calls, credits, cache hits of this operation) to every result, after
 * everything else. An answer from the response cache never ran, so it reports that it cost nothing
 * (not what the cached execution cost). An incremental answer (`@defer`, `@stream`) carries it in its
 * last payload (`hasNext: false`), when every call of the operation is counted.
 */
import { mapAsyncIterator } from '@envelop/core';
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from '../context.js';
import type { IncrementalPayload } from '../execution/incremental.js';
import { idleReport } from '../ledger.js';
import type { KonbiniClient } from '../upstream/client.js';

type Extensions = { extensions?: Record<string, unknown> };

export function useUpstreamReport(client: KonbiniClient): Plugin<GraphContext> {
  return {
    onExecutionResult({ result, setResult, context }) {
      const { ledger } = context as unknown as Partial<GraphContext>;
      if (!ledger || !result) return;
      const withReport = <R extends Extensions>(answer: R): R => {
        const upstream = { ...(answer.extensions?.upstream as object | undefined), ...ledger.report(client.creditsRemaining) };
        return { ...answer, extensions: { ...answer.extensions, upstream } };
      };
      if (Symbol.asyncIterator in result) {
        const payloads = result as AsyncIterable<IncrementalPayload>;
        setResult(mapAsyncIterator(payloads, (payload) => (payload.hasNext === false ? withReport(payload) : payload)) as typeof result);
        return;
      }
      setResult(withReport(result));
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || (result as Extensions).extensions?.upstream) return;
      setResult({ ...result, extensions: { ...(result as Extensions).extensions, upstream: idleReport(client.creditsRemaining) } });
    },
  };
}
