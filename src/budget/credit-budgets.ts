/**
 * Per-client credit budgets and the account-wide ceiling. Before an operation runs, its estimate is
 * reserved from its client's window (and the account's); when it ends, what it did not spend goes
 * back. Windows are sliding (see credit-window.ts). Budgets are reported in `/metrics`.
 */
import { LRUCache } from 'lru-cache';
import { Counter, Gauge, type Registry } from 'prom-client';
import { CreditWindow } from './credit-window.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Clients whose windows are remembered; the least recently seen are forgotten past it. */
const MAX_CLIENTS = 100_000;

export interface BudgetLimits {
  /** Credits one client may spend in any minute; 0: no per-client budget. */
  clientCreditsPerMinute: number;
  /** Credits all clients together may spend in any hour; 0: no ceiling. */
  accountCreditsPerHour: number;
}

/** Why an operation may not run now. */
export interface BudgetRefusal {
  scope: 'client' | 'account';
  limit: number;
  remaining: number;
  /** When the estimate would fit again (Infinity: never, it is larger than the whole budget). */
  retryAfterMs: number;
}

/** Credits set aside for one operation; `settle` gives back what it did not spend. */
export interface Reservation {
  settle(spent: number): void;
}

export const NOTHING_RESERVED: Reservation = { settle() {} };

/** The budgets an operation's estimate is reserved from: this process's (below), or the replicas' together (src/redis). */
export interface Budgets {
  readonly enabled: boolean;
  reserve(client: string, credits: number): Reservation | BudgetRefusal | Promise<Reservation | BudgetRefusal>;
}

export class CreditBudgets implements Budgets {
  private readonly clients: LRUCache<string, CreditWindow> | undefined;
  private readonly account: CreditWindow | undefined;
  private readonly refusals: Counter<'scope'>;

  constructor(
    private readonly limits: BudgetLimits,
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    if (limits.clientCreditsPerMinute > 0) this.clients = new LRUCache({ max: MAX_CLIENTS });
    if (limits.accountCreditsPerHour > 0) this.account = new CreditWindow(limits.accountCreditsPerHour, HOUR);
    this.refusals = new Counter({
      name: 'tiktok_graph_budget_refusals_total',
      help: 'Operations refused because their estimate did not fit a credit budget, by scope (client, account).',
      labelNames: ['scope'],
      registers: [registry],
    });
    const budgets = this;
    new Gauge({
      name: 'tiktok_graph_budget_limit_credits',
      help: 'Credits a budget allows in its window, by scope (client: per minute, account: per hour); 0 when off.',
      labelNames: ['scope'],
      registers: [registry],
      collect() {
        this.set({ scope: 'client' }, limits.clientCreditsPerMinute);
        this.set({ scope: 'account' }, limits.accountCreditsPerHour);
      },
    });
    new Gauge({
      name: 'tiktok_graph_budget_clients',
      help: 'Clients with a credit budget window in memory.',
      registers: [registry],
      collect() {
        this.set(budgets.clients?.size ?? 0);
      },
    });
    new Gauge({
      name: 'tiktok_graph_budget_account_remaining_credits',
      help: 'Credits left in the account-wide hourly ceiling (absent when there is none).',
      registers: [registry],
      collect() {
        if (budgets.account) this.set(budgets.account.remaining(budgets.now()));
      },
    });
  }

  /** Whether any budget is on (when none is, nothing is reserved). */
  get enabled(): boolean {
    return this.clients !== undefined || this.account !== undefined;
  }

  /** Sets `credits` aside for an operation of `client`, or says which budget refuses them. */
  reserve(client: string, credits: number): Reservation | BudgetRefusal {
    if (credits <= 0 || !this.enabled) return NOTHING_RESERVED;
    const at = this.now();
    let window = this.clients?.get(client);
    if (this.clients && !window) {
      window = new CreditWindow(this.limits.clientCreditsPerMinute, MINUTE);
      this.clients.set(client, window);
    }
    const refusal = this.refusal('client', window, credits, at) ?? this.refusal('account', this.account, credits, at);
    if (refusal) return this.refused(refusal);
    const clientSlot = window?.trySpend(credits, at) ?? null;
    const accountSlot = this.account?.trySpend(credits, at) ?? null;
    return {
      settle: (spent) => {
        const unspent = credits - spent;
        if (unspent <= 0) return;
        if (clientSlot !== null) window!.refund(clientSlot, unspent);
        if (accountSlot !== null) this.account!.refund(accountSlot, unspent);
      },
    };
  }

  /** Counts a refusal (in `/metrics`) and returns it. */
  refused(refusal: BudgetRefusal): BudgetRefusal {
    this.refusals.inc({ scope: refusal.scope });
    return refusal;
  }

  /** What a client may still spend this minute (null without a per-client budget). */
  remaining(client: string): number | null {
    if (!this.clients) return null;
    return this.clients.get(client)?.remaining(this.now()) ?? this.limits.clientCreditsPerMinute;
  }

  private refusal(scope: BudgetRefusal['scope'], window: CreditWindow | undefined, credits: number, at: number): BudgetRefusal | undefined {
    if (!window || window.used(at) + credits <= window.limit) return undefined;
    return { scope, limit: window.limit, remaining: window.remaining(at), retryAfterMs: window.msUntilFits(credits, at) };
  }
}

export const isRefusal = (outcome: Reservation | BudgetRefusal): outcome is BudgetRefusal => 'scope' in outcome;
