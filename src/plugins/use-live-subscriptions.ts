/**
 * Subscriptions, before and during their life: arguments are checked and the per-event cost estimated
 * before anything is watched (BAD_USER_INPUT, QUERY_TOO_EXPENSIVE), a client holds at most
 * LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT open subscriptions, and every event executes with its own context:
 * fresh loaders, a fresh ledger (its ceiling the per-event estimate) and its own deadline. graphql-js
 * would execute every event with the one context of the subscription.
 */
import type { IncomingMessage } from 'node:http';
import { type DocumentNode, type ExecutionArgs, type ExecutionResult, createSourceEventStream, execute } from 'graphql';
import { type Plugin, type YogaInitialContext, isAsyncIterable, mapAsyncIterator } from 'graphql-yoga';
import { type IdentityOptions, clientOf } from '../budget/client-identity.js';
import { type Budgets, isRefusal } from '../budget/credit-budgets.js';
import type { GraphContext } from '../context.js';
import { estimateCredits } from '../cost/estimate.js';
import { CodedError, ErrorCode } from '../errors.js';
import type { Live } from '../live/live.js';
import { UpstreamLedger } from '../ledger.js';
import { createLoaders } from '../loaders.js';
import type { LiveContext } from '../schema/subscription.js';
import type { CallOptions } from '../upstream/client.js';

type SubscriptionContext = GraphContext & Partial<YogaInitialContext> & { req?: IncomingMessage };

/** A copy of the subscription's context for one event: its own ledger, deadline and loaders. */
function eventContext(ctx: SubscriptionContext, estimate: number): SubscriptionContext {
  const ledger = new UpstreamLedger();
  ledger.estimatedCredits = estimate;
  const callOptions: CallOptions = { observer: ledger, deadlineAt: Date.now() + ctx.config.resilience.operationTimeoutMs };
  return { ...ctx, ledger, callOptions, loaders: createLoaders(ctx.client, callOptions) };
}

/**
 * One execution per event and distinct operation: every subscriber of a topic in this process receives
 * the same event object (see src/live/fan-out.ts), and subscribers that sent the same document (Yoga
 * parses each text once) with the same variables get the same answer, so 10,000 subscribers of one
 * user running one query cost one execution per event, not 10,000. The answers depend on nothing
 * of the subscriber's: the event, the document and the variables.
 */
const executions = new WeakMap<object, WeakMap<DocumentNode, Map<string, Promise<ExecutionResult>>>>();

function shared(event: object, document: DocumentNode, key: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
  let byDocument = executions.get(event);
  if (!byDocument) executions.set(event, (byDocument = new WeakMap()));
  let byKey = byDocument.get(document);
  if (!byKey) byDocument.set(document, (byKey = new Map()));
  let result = byKey.get(key);
  if (!result) byKey.set(key, (result = run()));
  return result;
}

/**
 * The subscriptions plugin. `budgets` are the queries' credit budgets: a subscription that starts
 * watching users nobody watched is charged their first polls (one credit each), so that subscribing
 * to ever new users costs a client what querying them would.
 */
export function useLiveSubscriptions(live: Live, identity: IdentityOptions, budgets: Budgets): Plugin<GraphContext> {
  const perClient = new Map<string, number>();
  const { maxSubscriptionsPerClient } = live.config;
  return {
    onSubscribe({ args, setSubscribeFn, setResultAndStopExecution }) {
      const ctx = args.contextValue as SubscriptionContext;
      // Over HTTP a subscription is a stream: without a client that reads one, nothing would ever end it.
      const accept = ctx.request?.headers.get('accept') ?? '';
      if (ctx.request && !('socket' in ctx) && !/text\/event-stream|multipart\/mixed/.test(accept)) {
        return setResultAndStopExecution({
          errors: [
            new CodedError(
              ErrorCode.BAD_REQUEST,
              'A subscription is a stream: send `Accept: text/event-stream` (GraphQL over SSE), or use the WebSocket at /graphql (graphql-ws).',
              {
                http: { status: 406 },
              },
            ),
          ],
        });
      }
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const { credits: estimate, inputErrors } = estimateCredits(args.document, args.operationName, variables, ctx);
      if (inputErrors.length > 0) return setResultAndStopExecution({ errors: inputErrors });
      const limit = ctx.config.limits.maxCreditsPerOperation;
      if (estimate > limit) {
        return setResultAndStopExecution({
          errors: [
            new CodedError(
              ErrorCode.QUERY_TOO_EXPENSIVE,
              `Each event of this subscription could cost up to ${estimate} KonbiniAPI credits; the limit is ${limit}.`,
              {
                estimatedCredits: estimate,
                limit,
              },
            ),
          ],
        });
      }
      const client = ctx.request ? clientOf(ctx.request, ctx.req, identity) : 'ip:unknown';
      const open = perClient.get(client) ?? 0;
      if (maxSubscriptionsPerClient > 0 && open >= maxSubscriptionsPerClient) {
        return setResultAndStopExecution({
          errors: [
            new CodedError(ErrorCode.RATE_LIMITED, `This client already holds ${open} subscriptions, the most it may (LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT).`, {
              limit: maxSubscriptionsPerClient,
            }),
          ],
        });
      }
      // The slot is taken now, not once the stream starts: subscriptions sent at once count against each other.
      perClient.set(client, open + 1);
      let counted = false;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
        if (counted) live.metrics.subscriptions.dec();
      };
      (ctx as LiveContext).admitLive = async (newTopics) => {
        if (newTopics === 0 || !budgets.enabled) return;
        const outcome = await budgets.reserve(client, newTopics);
        if (isRefusal(outcome)) {
          const seconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
          throw new CodedError(
            ErrorCode.RATE_LIMITED,
            `This subscription starts polling ${newTopics} users nobody watched, a credit each, and ${outcome.scope === 'client' ? 'this client’s budget' : 'the account-wide ceiling'} has ${outcome.remaining} left. Retry in ${seconds} s.`,
            { budget: { scope: outcome.scope, limit: outcome.limit, remaining: outcome.remaining, retryAfterSeconds: seconds } },
          );
        }
        outcome.settle(newTopics);
      };
      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        let source: Awaited<ReturnType<typeof createSourceEventStream>>;
        try {
          source = await createSourceEventStream(subscribeArgs);
        } catch (error) {
          release();
          throw error;
        }
        if (!isAsyncIterable(source)) {
          release();
          return source;
        }
        counted = true;
        live.metrics.subscriptions.inc();
        const base = subscribeArgs.contextValue as SubscriptionContext;
        const variables = JSON.stringify(subscribeArgs.variableValues ?? {});
        const results = mapAsyncIterator(
          source,
          (event) =>
            shared(event as object, subscribeArgs.document, `${subscribeArgs.operationName ?? ''}|${variables}`, async () => {
              const eventCtx = eventContext(base, estimate);
              const result = await execute({ ...subscribeArgs, rootValue: event, contextValue: eventCtx });
              const upstream = eventCtx.ledger.report(base.client.creditsRemaining);
              return { ...result, extensions: { ...result.extensions, upstream } };
            }),
          (error: unknown) => {
            release();
            throw error;
          },
          release,
        );
        return results;
      });
    },
  };
}
