/**
 * Before execution: check every argument (BAD_USER_INPUT refuses the whole operation, so bad input
 * never costs a credit), estimate the operation's upstream credits, refuse it with QUERY_TOO_EXPENSIVE
 * over the per-operation limit or with RATE_LIMITED (429) when its client's budget or the account's
 * ceiling cannot cover the estimate, and answer only the estimate to a dry run (`X-Dry-Run: true`),
 * like GitHub's `rateLimit(dryRun: true)`. The estimate is also the ceiling the ledger enforces during
 * execution; what the operation did not spend of it goes back to the budgets when it ends (after its last
 * payload, with `@defer` or `@stream`).
 */
import type { IncomingMessage } from 'node:http';
import type { OnExecuteHookResult } from '@envelop/core';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { type BudgetRefusal, type Budgets, type Reservation, isRefusal } from '../budget/credit-budgets.js';
import { type IdentityOptions, clientOf } from '../budget/client-identity.js';
import type { GraphContext } from '../context.js';
import { estimateCredits } from '../cost/estimate.js';
import { whenExecutionEnds } from '../execution/incremental.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { KonbiniClient } from '../upstream/client.js';

export const DRY_RUN_HEADER = 'x-dry-run';

type ExecutionContext = GraphContext & Partial<YogaInitialContext> & { req?: IncomingMessage };

function tooExpensive(estimate: number, limit: number, per: string): CodedError {
  return new CodedError(
    ErrorCode.QUERY_TOO_EXPENSIVE,
    `This operation could cost up to ${estimate} KonbiniAPI credits; the limit is ${limit} ${per}. ` +
      'Ask for fewer users, fewer or smaller pages, or fewer nested profiles.',
    { estimatedCredits: estimate, limit },
  );
}

function rateLimited(estimate: number, refusal: BudgetRefusal): CodedError {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const whose = refusal.scope === 'client' ? 'this client’s budget' : 'the server’s account-wide ceiling';
  const window = refusal.scope === 'client' ? 'minute' : 'hour';
  return new CodedError(
    ErrorCode.RATE_LIMITED,
    `This operation could cost up to ${estimate} KonbiniAPI credits and ${whose} has ${refusal.remaining} of its ` +
      `${refusal.limit} credits a ${window} left. Retry in ${seconds} s.`,
    {
      estimatedCredits: estimate,
      budget: { scope: refusal.scope, limit: refusal.limit, remaining: refusal.remaining, retryAfterSeconds: seconds },
      http: { status: 429, headers: { 'retry-after': String(seconds) } },
    },
  );
}

export function useCreditBudget(client: KonbiniClient, budgets: Budgets, identity: IdentityOptions): Plugin<GraphContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as ExecutionContext;
      const { credits: estimate, inputErrors } = estimateCredits(
        args.document,
        args.operationName,
        (args.variableValues ?? {}) as Record<string, unknown>,
        ctx,
      );
      ctx.ledger.estimatedCredits = estimate;
      const limit = ctx.config.limits.maxCreditsPerOperation;
      const refuse = (error: CodedError) => setResultAndStopExecution({ errors: [error], extensions: { upstream: upstream() } });
      const upstream = () => ctx.ledger.report(client.creditsRemaining);
      if (inputErrors.length > 0) {
        // Bad input anywhere refuses the whole operation: nothing is spent on the rest of it.
        setResultAndStopExecution({ errors: inputErrors, extensions: { upstream: upstream() } });
        return;
      }
      if (estimate > limit) return refuse(tooExpensive(estimate, limit, 'per operation'));
      if (ctx.request?.headers.get(DRY_RUN_HEADER) === 'true') {
        setResultAndStopExecution({ extensions: { upstream: { ...upstream(), dryRun: true, limit } } });
        return;
      }
      if (estimate === 0 || !budgets.enabled) return;
      const decide = (outcome: Reservation | BudgetRefusal): OnExecuteHookResult<GraphContext> | undefined => {
        if (isRefusal(outcome)) {
          refuse(
            outcome.retryAfterMs === Infinity
              ? tooExpensive(estimate, outcome.limit, `a ${outcome.scope === 'client' ? 'minute per client' : 'hour for all clients'}`)
              : rateLimited(estimate, outcome),
          );
          return undefined;
        }
        // With @defer or @stream, execution ends with the last payload (or when the client leaves).
        return { onExecuteDone: ({ result }) => whenExecutionEnds(result, () => outcome.settle(ctx.ledger.creditsCommitted)) };
      };
      // Budgets shared through Redis answer asynchronously; this process's own, at once.
      const outcome = budgets.reserve(ctx.request ? clientOf(ctx.request, ctx.req, identity) : 'ip:unknown', estimate);
      return outcome instanceof Promise ? outcome.then(decide) : decide(outcome);
    },
  };
}
