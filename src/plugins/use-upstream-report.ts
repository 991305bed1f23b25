/**
 * Adds `extensions.upstream` (calls, credits, cache hits of this operation) to every result, after
 * everything else. An answer from the response cache never ran, so it reports that it cost nothing
 * (not what the cached execution cost).
 */
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from '../context.js';
import { idleReport } from '../ledger.js';
import type { KonbiniClient } from '../upstream/client.js';

type Extensions = { extensions?: Record<string, unknown> };

export function useUpstreamReport(client: KonbiniClient): Plugin<GraphContext> {
  return {
    onExecutionResult({ result, setResult, context }) {
      const { ledger } = context as unknown as Partial<GraphContext>;
      if (!ledger || !result || Symbol.asyncIterator in result) return;
      const upstream = { ...(result.extensions?.upstream as object | undefined), ...ledger.report(client.creditsRemaining) };
      setResult({ ...result, extensions: { ...result.extensions, upstream } });
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || (result as Extensions).extensions?.upstream) return;
      setResult({ ...result, extensions: { ...(result as Extensions).extensions, upstream: idleReport(client.creditsRemaining) } });
    },
  };
}
