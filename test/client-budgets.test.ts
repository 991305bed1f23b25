/** Per-client credit budgets and the account-wide ceiling: estimates reserved, refused with 429, unspent credits returned. */
import { describe, expect, it } from 'vitest';
import { CreditWindow } from '../src/budget/credit-window.js';
import { addressKey } from '../src/budget/client-identity.js';
import { testConfig } from '../src/config.js';
import { codes, setup } from './helpers.js';

const limits = (overrides: Partial<ReturnType<typeof testConfig>['limits']>) => ({ limits: { ...testConfig().limits, ...overrides } });
/** One profile: estimated at, and costing, one credit. */
const PROFILE = (u: string) => `{ user(username: "${u}") { displayName } }`;
const as = (address: string) => ({ 'x-forwarded-for': `10.9.9.9, ${address}` });

function clock(start = Date.parse('2026-12-01T10:00:00Z')) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('a client’s credit budget', () => {
  it('refuses an operation its remaining credits cannot cover with 429, Retry-After and the budget, before any call', async () => {
    const time = clock();
    const { gql, calls } = setup({ config: limits({ clientCreditsPerMinute: 3, trustProxy: 'x-forwarded-for' }), wallClock: time.now });
    for (const u of ['a1', 'a2', 'a3']) expect(codes(await gql(PROFILE(u), {}, as('1.2.3.4')))).toEqual([]);
    expect(calls()).toBe(3);
    const refused = await gql(PROFILE('a4'), {}, as('1.2.3.4'));
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors![0]!.extensions).toMatchObject({ estimatedCredits: 1, budget: { scope: 'client', limit: 3, remaining: 0 } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(61);
    expect(refused.errors![0]!.extensions!.budget.retryAfterSeconds).toBe(retryAfter);
    expect(calls()).toBe(3);
    // Another client is not affected; the same one is served again once its credits left the window.
    expect(codes(await gql(PROFILE('b1'), {}, as('5.6.7.8')))).toEqual([]);
    time.advance(retryAfter * 1000);
    expect(codes(await gql(PROFILE('a4'), {}, as('1.2.3.4')))).toEqual([]);
    expect(calls()).toBe(5);
  });

  it('never spends more than the budget in any minute, burst included', async () => {
    const time = clock();
    const { gql, sandbox } = setup({ config: limits({ clientCreditsPerMinute: 10, trustProxy: 'x-forwarded-for' }), wallClock: time.now });
    const spentAt: number[] = [];
    for (let i = 0; i < 240; i++) {
      const before = sandbox.calls.length;
      await gql(PROFILE(`missing_${i}`), {}, as('1.2.3.4')); // billed 404s
      for (let c = before; c < sandbox.calls.length; c++) spentAt.push(time.now());
      time.advance(1_000); // one attempt a second for four minutes
    }
    for (const start of spentAt) expect(spentAt.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(10);
    expect(spentAt.length).toBeGreaterThanOrEqual(30); // it refills: about 10 a minute over 4 minutes
  });

  it('gives back what an operation did not spend of its estimate', async () => {
    const time = clock();
    const { gql, calls } = setup({ config: { ...limits({ clientCreditsPerMinute: 6 }), responseCacheMaxEntries: 0 }, wallClock: time.now });
    // Estimated 2 (profile + stories page), spends 2 the first time and 0 the next (the client's cache answers).
    const query = `{ user(username: "alice") { displayName stories(first: 1) { totalCount } } }`;
    for (let i = 0; i < 10; i++) {
      const res = await gql(query);
      expect(codes(res)).toEqual([]);
      expect(res.extensions!.upstream.estimatedCredits).toBe(2);
    }
    expect(calls()).toBe(2);
  });

  it('counts every made-up bearer token as its address when no client keys are configured', async () => {
    const { gql, calls } = setup({ config: limits({ clientCreditsPerMinute: 2, trustProxy: 'x-forwarded-for' }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await gql(PROFILE(`t${i}`), {}, { ...as('1.2.3.4'), authorization: `Bearer made-up-${i}` })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(calls()).toBe(2);
  });

  it('counts per client key where keys are configured, whatever the address', async () => {
    const { gql } = setup({ config: limits({ clientCreditsPerMinute: 1, clientKeys: ['key-one', 'key-two'], trustProxy: 'x-forwarded-for' }) });
    const call = (u: string, key: string, address: string) => gql(PROFILE(u), {}, { ...as(address), authorization: `Bearer ${key}` });
    expect((await call('k1', 'key-one', '1.1.1.1')).status).toBe(200);
    expect((await call('k2', 'key-one', '2.2.2.2')).status).toBe(429);
    expect((await call('k3', 'key-two', '1.1.1.1')).status).toBe(200);
    expect((await call('k4', 'made-up', '3.3.3.3')).status).toBe(401);
  });

  it('refuses outright, as too expensive, an operation larger than the whole budget', async () => {
    const { gql, calls } = setup({ config: limits({ clientCreditsPerMinute: 2 }) });
    const res = await gql(`{ users(usernames: ["a", "b", "c"]) { displayName } }`);
    expect(codes(res)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(res.errors![0]!.extensions).toMatchObject({ estimatedCredits: 3, limit: 2 });
    expect(calls()).toBe(0);
  });

  it('costs nothing for answers that need no credit (dry runs, __typename, response cache hits)', async () => {
    const { gql, calls } = setup({ config: { ...limits({ clientCreditsPerMinute: 1 }), responseCacheMaxEntries: 10 } });
    for (let i = 0; i < 3; i++) expect((await gql(`{ __typename }`)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await gql(PROFILE('x1'), {}, { 'x-dry-run': 'true' })).status).toBe(200);
    for (let i = 0; i < 3; i++) expect(codes(await gql(PROFILE('x1')))).toEqual([]);
    expect(calls()).toBe(1);
  });
});

describe('the account-wide ceiling', () => {
  it('holds for all clients together, within the hour', async () => {
    const time = clock();
    const { gql, calls } = setup({
      config: limits({ clientCreditsPerMinute: 100, accountCreditsPerHour: 3, trustProxy: 'x-forwarded-for' }),
      wallClock: time.now,
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await gql(PROFILE(`c${i}`), {}, as(`9.9.9.${i}`))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await gql(PROFILE('c9'), {}, as('9.9.9.9'));
    expect(refused.errors![0]!.extensions!.budget).toMatchObject({ scope: 'account', limit: 3, remaining: 0 });
    expect(calls()).toBe(3);
    time.advance(61 * 60_000);
    expect((await gql(PROFILE('c9'), {}, as('9.9.9.9'))).status).toBe(200);
  });
});

describe('budget metrics', () => {
  it('reports limits, clients and refusals in /metrics', async () => {
    const { app, gql } = setup({ config: limits({ clientCreditsPerMinute: 1, accountCreditsPerHour: 50 }) });
    await gql(PROFILE('m1'));
    await gql(PROFILE('m2'));
    const text = await (await app.yoga.fetch('http://localhost/metrics')).text();
    expect(text).toContain('tiktok_graph_budget_limit_credits{scope="client"} 1');
    expect(text).toContain('tiktok_graph_budget_limit_credits{scope="account"} 50');
    expect(text).toContain('tiktok_graph_budget_clients 1');
    expect(text).toContain('tiktok_graph_budget_refusals_total{scope="client"} 1');
    expect(text).toContain('tiktok_graph_budget_account_remaining_credits 49');
  });
});

describe('the sliding window', () => {
  it('never lets more than its limit through in any window, refilling at most one slot late', () => {
    const window = new CreditWindow(5, 60_000);
    let t = 0;
    const spent: number[] = [];
    for (; t < 300_000; t += 250) if (window.trySpend(1, t) !== null) spent.push(t);
    for (const start of spent) expect(spent.filter((s) => s >= start && s < start + 60_000).length).toBeLessThanOrEqual(5);
    expect(spent.length).toBeGreaterThanOrEqual(20);
    expect(window.msUntilFits(6, t)).toBe(Infinity);
  });

  it('gives refunds back to the slot they were taken from', () => {
    const window = new CreditWindow(10, 60_000);
    const slot = window.trySpend(8, 1_000)!;
    expect(window.remaining(1_000)).toBe(2);
    window.refund(slot, 5);
    expect(window.remaining(2_000)).toBe(7);
  });
});

describe('client addresses', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:db8:aa:bb::ffff', '2001:db8:aa:bb::/64'],
    ['[2001:0db8:00aa:00bb::1]', '2001:db8:aa:bb::/64'],
    ['not an address', undefined],
    ['', undefined],
  ])('%s counts as %s', (raw, key) => {
    expect(addressKey(raw)).toBe(key);
  });
});
