/**
 * Before execution: check every argument (BAD_USER_INPUT refuses the whole operation, so bad input
 * never costs a credit), estimate the operation's upstream credits, refuse it with QUERY_TOO_EXPENSIVE
 * over the budget, and answer only the estimate to a dry run (`X-Dry-Run: true`), like GitHub's
 * `rateLimit(dryRun: true)`. The estimate is also the ceiling the ledger enforces during execution.
 */
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GraphContext } from '../context.js';
import { estimateCredits } from '../cost/estimate.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { KonbiniClient } from '../upstream/client.js';

export const DRY_RUN_HEADER = 'x-dry-run';

export function useCreditBudget(client: KonbiniClient): Plugin<GraphContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as GraphContext & Partial<YogaInitialContext>;
      const { credits: estimate, inputErrors } = estimateCredits(
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
        ctx,
      );
      ctx.ledger.estimatedCredits = estimate;
      const limit = ctx.config.limits.maxCreditsPerOperation;
      const upstream = () => ctx.ledger.report(client.creditsRemaining);
      if (inputErrors.length > 0) {
        // Bad input anywhere refuses the whole operation: nothing is spent on the rest of it.
        setResultAndStopExecution({ errors: inputErrors, extensions: { upstream: upstream() } });
      } else if (estimate > limit) {
        setResultAndStopExecution({
          errors: [
            new CodedError(
              ErrorCode.QUERY_TOO_EXPENSIVE,
              `This operation could cost up to ${estimate} KonbiniAPI credits; the limit is ${limit} per operation. ` +
                'Ask for fewer users, fewer or smaller pages, or fewer nested profiles.',
              { estimatedCredits: estimate, limit },
            ),
          ],
          extensions: { upstream: upstream() },
        });
      } else if (ctx.request?.headers.get(DRY_RUN_HEADER) === 'true') {
        setResultAndStopExecution({ extensions: { upstream: { ...upstream(), dryRun: true, limit } } });
      }
    },
  };
}
