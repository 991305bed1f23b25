/** Upstream faults: retries, budgets, breakers, lockouts, deadlines, caps and stale-if-error. */
import { describe, expect, it, vi } from 'vitest';
import { roundTripProbe } from '../bench/round-trips.js';
import { DEFAULT_CACHE, testConfig } from '../src/config.js';
import type { Fetch } from '../src/upstream/client.js';
import { codes, setup } from './helpers.js';

const PROFILE = `query ($u: String!) { user(username: $u) { username followerCount } }`;
const resilience = (overrides: Partial<ReturnType<typeof testConfig>['resilience']>) => ({ ...testConfig().resilience, retryBaseMs: 1, ...overrides });

/** Answers the first `n` calls with `failure()` instead of the upstream's answer. */
function failFirst(n: number, failure: () => Promise<Response>) {
  let remaining = n;
  return (fetch: Fetch): Fetch =>
    (input, init) => {
      if (remaining > 0) {
        remaining -= 1;
        return failure();
      }
      return fetch(input, init);
    };
}

const status503 = () =>
  Promise.resolve(
    new Response(JSON.stringify({ errors: [{ code: 'service_unavailable', message: 'Service unavailable' }], data: null }), {
      status: 503,
      headers: { 'x-credits-used': '0', 'x-credits-remaining': '100' },
    }),
  );
const connectionReset = () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));

describe('retries', () => {
  it.each([
    ['a 503', status503],
    ['a connection reset', connectionReset],
  ])('retries %s and answers', async (_, failure) => {
    const { gql } = setup({ wrapFetch: failFirst(1, failure) });
    const res = await gql(PROFILE, { u: 'alice' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.user.username).toBe('alice');
    expect(res.extensions!.upstream).toMatchObject({ requests: 2, retries: 1, creditsUsed: 1 });
  });

  it.each(['status_400', 'nobody', 'bad_json'])('never retries %s', async (username) => {
    const { gql, calls } = setup();
    await gql(PROFILE, { u: username });
    expect(calls()).toBe(1);
  });

  it.each([
    ['knbn_no_credits', 'CREDITS_EXHAUSTED'],
    ['knbn_disabled', 'UPSTREAM_AUTH_FAILED'],
  ])('never retries an account failure (%s)', async (apiKey, code) => {
    const { gql, calls } = setup({ config: { apiKey } });
    expect(codes(await gql(PROFILE, { u: 'alice' }))).toEqual([code]);
    expect(calls()).toBe(1);
  });

  it('never retries after its own timeout (the upstream may have billed)', async () => {
    const { gql, calls } = setup({ config: { upstreamTimeoutMs: 30 } });
    expect(codes(await gql(PROFILE, { u: 'hanging_user' }))).toEqual(['UPSTREAM_TIMEOUT']);
    expect(calls()).toBe(0); // the sandbox never answered
  });

  it('does not retry past the operation’s deadline', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // a backoff of 500 ms, past the 200 ms deadline
    try {
      const { gql, calls } = setup({ config: { resilience: resilience({ retryBaseMs: 1000, operationTimeoutMs: 200 }) }, wrapFetch: () => status503 });
      const res = await gql(PROFILE, { u: 'alice' });
      expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(res.extensions!.upstream).toMatchObject({ requests: 1, retries: 0 });
      expect(calls()).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('stops retrying once the retry budget is spent', async () => {
    const { gql } = setup({
      config: { resilience: resilience({ maxRetries: 3, breakerMinCalls: 1000, retryBudgetRatio: 0 }) },
      wrapFetch: () => status503,
    });
    let retries = 0;
    for (let i = 0; i < 10; i++) retries += (await gql(PROFILE, { u: `user_${i}` })).extensions!.upstream.retries;
    expect(retries).toBe(10); // the reserve; with a ratio of 0 nothing refills it
  });
});

describe('circuit breaker', () => {
  it('fails fast after repeated failures of several resources, then probes and closes', async () => {
    let healthy = false;
    const { gql, app } = setup({
      config: { resilience: resilience({ maxRetries: 0, breakerMinCalls: 3, breakerMinResources: 3, breakerCooldownMs: 1000 }) },
      wrapFetch: (fetch) => (input, init) => (healthy ? fetch(input, init) : status503()),
    });
    let attempted = 0;
    for (let i = 0; i < 6; i++) attempted += (await gql(PROFILE, { u: `u${i}` })).extensions!.upstream.requests;
    expect(attempted).toBe(3);
    expect(app.client.health().circuits.user).toBe('open');
    const fast = await gql(PROFILE, { u: 'someone' });
    expect(codes(fast)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(fast.errors![0]!.message).toMatch(/unavailable/);
    expect(fast.errors![0]!.extensions).toMatchObject({ upstreamCode: 'circuit_open' });
    expect(fast.extensions!.upstream.requests).toBe(0);
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const probe = await gql(PROFILE, { u: 'someone' });
    expect(probe.errors).toBeUndefined();
    expect(app.client.health().circuits.user).toBe('closed');
  });
});

describe('account lockout', () => {
  it('stops calling the upstream after a 402, answers at once, and reports it', async () => {
    const { gql, calls, app } = setup({ config: { apiKey: 'knbn_no_credits' } });
    await gql(PROFILE, { u: 'alice' });
    const again = await gql(`{ users(usernames: ["bob", "carol"]) { username } }`);
    expect(codes(again)).toEqual(['CREDITS_EXHAUSTED', 'CREDITS_EXHAUSTED']);
    expect(calls()).toBe(1);
    expect(app.client.health().account).toMatchObject({ usable: false, failure: 'credits_exhausted' });
  });
});

describe('deadlines and caps', () => {
  it('answers UPSTREAM_TIMEOUT at the operation deadline, even when one call may take longer', async () => {
    const { gql } = setup({ config: { upstreamTimeoutMs: 60_000, resilience: resilience({ operationTimeoutMs: 50 }) } });
    const res = await gql(`{ a: user(username: "hanging_user") { username } b: user(username: "alice") { username } }`);
    expect(res.data).toEqual({ a: null, b: { username: 'alice' } });
    expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it('never has more upstream calls in flight than the cap', async () => {
    let inFlight = 0;
    let peak = 0;
    const { gql, calls } = setup({
      sandbox: { latencyMs: 5 },
      config: { resilience: resilience({ maxConcurrency: 2 }) },
      wrapFetch: (fetch) => async (input, init) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight -= 1;
        }
      },
    });
    const res = await gql(`{ users(usernames: ["a1", "a2", "a3", "a4", "a5", "a6"]) { username } }`);
    expect(res.errors).toBeUndefined();
    expect(calls()).toBe(6);
    expect(peak).toBe(2);
  });

  it('refuses an upstream body over the size cap as UPSTREAM_BAD_RESPONSE', async () => {
    const huge = JSON.stringify({ data: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const { gql } = setup({
      config: { resilience: resilience({ maxBodyBytes: 1024 * 1024 }) },
      wrapFetch: () => () => Promise.resolve(new Response(huge, { status: 200 })),
    });
    expect(codes(await gql(PROFILE, { u: 'alice' }))).toEqual(['UPSTREAM_BAD_RESPONSE']);
  });
});

describe('stale-if-error', () => {
  it('answers from a copy past its lifetime when the upstream fails, and says so', async () => {
    let failing = false;
    const { gql, advance } = setup({
      config: { cache: { ...DEFAULT_CACHE, profileTtlMs: 1000 }, resilience: resilience({ maxRetries: 0, staleGraceMs: 60_000 }) },
      wrapFetch: (fetch) => (input, init) => (failing ? status503() : fetch(input, init)),
    });
    const fresh = await gql(PROFILE, { u: 'alice' });
    failing = true;
    advance(5_000);
    const stale = await gql(PROFILE, { u: 'alice' });
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toEqual(fresh.data);
    expect(stale.extensions!.upstream.stale).toEqual([{ resource: '/v1/tiktok/users/alice', ageSeconds: 5, because: 'unavailable' }]);
    advance(60_000);
    expect(codes(await gql(PROFILE, { u: 'alice' }))).toEqual(['UPSTREAM_UNAVAILABLE']);
  });

  it('does not cover a 404: a user that is gone is gone', async () => {
    let username = 'alice';
    const { gql, advance } = setup({
      config: { cache: { ...DEFAULT_CACHE, profileTtlMs: 1000 } },
      wrapFetch: (fetch) => (input, init) => fetch(input.replace('/alice', `/${username}`), init),
    });
    await gql(PROFILE, { u: 'alice' });
    username = 'nobody';
    advance(5_000);
    expect(codes(await gql(PROFILE, { u: 'alice' }))).toEqual(['NOT_FOUND']);
  });
});

describe('the process stays up', () => {
  it('answers after every kind of fault', async () => {
    // (a high breaker threshold: this is about the process, not about the circuit opening)
    const { gql } = setup({ config: { upstreamTimeoutMs: 50, resilience: resilience({ breakerMinCalls: 1000 }) } });
    const faults = [
      'status_500',
      'status_502',
      'status_503',
      'status_504',
      'bad_json',
      'bad_html',
      'bad_contract',
      'cut_off_body',
      'stalled_body',
      'hanging_user',
      'nobody',
    ];
    for (const u of faults) {
      expect((await gql(PROFILE, { u })).status).toBe(200);
    }
    const ok = await gql(PROFILE, { u: 'khaby.lame' });
    expect(ok.data!.user.followerCount).toBe(160300000);
  });
});

it('counts round trips of retried calls as waiting', async () => {
  const probe = roundTripProbe();
  const { gql } = setup({ wrapFetch: (fetch) => probe.wrap(failFirst(1, status503)(fetch)) });
  await gql(PROFILE, { u: 'alice' });
  expect(probe.roundTrips()).toBe(2);
});
