/** Adds `extensions.upstream` (calls, credits, cache hits of this operation) to every result. */
import type { Plugin } from 'graphql-yoga';
import type { GraphContext } from '../context.js';
import type { KonbiniClient } from '../upstream/client.js';

export function useUpstreamReport(client: KonbiniClient): Plugin<GraphContext> {
  return {
    onExecute({ args }) {
      const { ledger } = args.contextValue as GraphContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const upstream = ledger.report(client.creditsRemaining);
          setResult({ ...result, extensions: { ...result.extensions, upstream } });
        },
      };
    },
  };
}
