/**
 * Credit budgets counted across replicas: rate-limiter-flexible's Redis limiters, one per scope (a
 * client's credits per minute, the account's per hour), in fixed windows. A refused estimate is given
 * back at once (the library counts what it refuses), and so is what an operation did not spend. With
 * Redis unavailable or failing, the replica's own sliding windows decide (`local`): a budget then
 * holds per replica until Redis is back, and no operation waits for it.
 */
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type BudgetRefusal, type Budgets, type CreditBudgets, NOTHING_RESERVED, type Reservation, isRefusal } from '../budget/credit-budgets.js';
import type { BudgetLimits } from '../budget/credit-budgets.js';
import type { RedisLink } from './connection.js';

type Scope = BudgetRefusal['scope'];
interface Limiter {
  scope: Scope;
  limit: number;
  limiter: RateLimiterRedis;
  key: (client: string) => string;
}

export class SharedCreditBudgets implements Budgets {
  private readonly limiters: Limiter[] = [];

  constructor(
    private readonly link: RedisLink,
    limits: BudgetLimits,
    private readonly local: CreditBudgets,
  ) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({ storeClient: link.command, keyPrefix: link.key('budget', name), points, duration, rejectIfRedisNotReady: true });
    if (limits.clientCreditsPerMinute > 0) {
      this.limiters.push({
        scope: 'client',
        limit: limits.clientCreditsPerMinute,
        limiter: limiter('client', limits.clientCreditsPerMinute, 60),
        key: (c) => c,
      });
    }
    if (limits.accountCreditsPerHour > 0) {
      this.limiters.push({
        scope: 'account',
        limit: limits.accountCreditsPerHour,
        limiter: limiter('account', limits.accountCreditsPerHour, 3600),
        key: () => 'all',
      });
    }
  }

  get enabled(): boolean {
    return this.local.enabled;
  }

  async reserve(client: string, credits: number): Promise<Reservation | BudgetRefusal> {
    if (credits <= 0 || this.limiters.length === 0) return NOTHING_RESERVED;
    if (!this.link.guard.available()) return this.local.reserve(client, credits);
    const taken: Limiter[] = [];
    const giveBack = (amount: number, from: Limiter[]) => {
      for (const { limiter, key } of from) void this.link.guard.run('budget_refund', () => limiter.reward(key(client), amount));
    };
    for (const scope of this.limiters) {
      const outcome = await this.consume(scope, client, credits);
      if (outcome === undefined) {
        // Redis failed midway: what was taken goes back, and this replica's own budgets decide.
        giveBack(credits, taken);
        return this.local.reserve(client, credits);
      }
      if (isRefusal(outcome)) {
        giveBack(credits, [...taken, scope]);
        return this.local.refused(outcome);
      }
      taken.push(scope);
    }
    return {
      settle: (spent) => {
        if (credits - spent > 0) giveBack(credits - spent, taken);
      },
    };
  }

  /** Takes `credits` from one scope: undefined when Redis failed, a refusal when they do not fit. */
  private consume(scope: Limiter, client: string, credits: number): Promise<Reservation | BudgetRefusal | undefined> {
    const { limiter, limit, key } = scope;
    return this.link.guard.run('budget', () =>
      limiter.consume(key(client), credits).then(
        () => NOTHING_RESERVED,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          const before = rejection.consumedPoints - credits;
          const refusal: BudgetRefusal = {
            scope: scope.scope,
            limit,
            remaining: Math.max(0, limit - before),
            retryAfterMs: credits > limit ? Number.POSITIVE_INFINITY : rejection.msBeforeNext,
          };
          return refusal;
        },
      ),
    );
  }
}
