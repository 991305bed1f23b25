/**
 * The upstream client under attack: deadlines end the work (a call nobody waits for is never started
 * or billed, the queue is bounded), the circuit trips on the upstream and not on one profile,
 * readiness is about this instance, and a billed 2xx is reported and never paid twice.
 */
import { describe, expect, it, vi } from 'vitest';
import { testConfig } from '../src/config.js';
import type { CallOptions, Fetch } from '../src/upstream/client.js';
import { codes, setup } from './helpers.js';

const PROFILE = `query ($u: String!) { user(username: $u) { username followerCount } }`;
const resilience = (overrides: Partial<ReturnType<typeof testConfig>['resilience']>) => ({ ...testConfig().resilience, retryBaseMs: 1, ...overrides });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const paths = (sandbox: { calls: { path: string }[] }) => sandbox.calls.map((c) => c.path);

const envelope = (status: number, code: string) =>
  new Response(JSON.stringify({ errors: [{ code, message: code }], data: null }), {
    status,
    headers: { 'content-type': 'application/json', 'x-credits-used': '0', 'x-credits-remaining': '100' },
  });

/** Answers users whose name starts with `prefix` with `answer()`; the sandbox answers the rest. */
const failing =
  (prefix: string, answer: () => Response) =>
  (fetch: Fetch): Fetch =>
  (input, init) =>
    new URL(input).pathname.startsWith(`/v1/tiktok/users/${prefix}`) ? Promise.resolve(answer()) : fetch(input, init);

async function metric(app: ReturnType<typeof setup>['app'], line: string): Promise<number> {
  const text = await (await app.yoga.fetch('http://localhost/metrics')).text();
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Number(new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/**
 * Holds every upstream call until `open()`, so that tests decide what is in flight and what waits,
 * whatever the machine's load. `started` counts the calls that reached the upstream's door.
 */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const state = {
    started: 0,
    open,
    wrap:
      (fetch: Fetch): Fetch =>
      async (input, init) => {
        state.started += 1;
        await opened;
        return fetch(input, init);
      },
  };
  return state;
}

/** Waits until `condition()` holds (checked every few ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(2);
}

describe('deadlines end the work', () => {
  it('never starts the queued calls of an operation that has answered UPSTREAM_TIMEOUT', async () => {
    const upstream = gate();
    const { gql, sandbox, app } = setup({
      config: { resilience: resilience({ maxConcurrency: 1, operationTimeoutMs: 300 }) },
      wrapFetch: upstream.wrap,
    });
    // The upstream holds q1; q2, q3 and q4 wait behind the cap. The operation answers at its deadline.
    const res = await gql(`{ users(usernames: ["q1", "q2", "q3", "q4"]) { username } }`);
    expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT']);
    expect(app.client.health().calls).toEqual({ running: 1, queued: 3 });
    upstream.open();
    await until(() => app.client.health().calls.running === 0);
    // Only the call that had started when the deadline passed reached the upstream (and was billed).
    expect(upstream.started).toBe(1);
    expect(paths(sandbox)).toEqual(['/v1/tiktok/users/q1']);
    expect(app.client.health().calls).toEqual({ running: 0, queued: 0 });
    expect(await metric(app, 'konbini_upstream_refused_total{endpoint="user",reason="abandoned"}')).toBe(3);
  });

  it('does not start a queued call whose operation has answered, even before its deadline', async () => {
    const upstream = gate();
    const { gql, sandbox, app } = setup({
      config: { resilience: resilience({ maxConcurrency: 1, operationTimeoutMs: 10_000 }) },
      wrapFetch: upstream.wrap,
    });
    // The first operation's profile call takes the only slot.
    const first = gql(`{ user(username: "nobody") { displayName } }`);
    await until(() => app.client.health().calls.running === 1);
    // The second joins that call, and queues its stories page (prefetched with the profile). The
    // profile's 404 answers the whole operation: nobody needs the page any more.
    const second = gql(`{ user(username: "nobody") { displayName stories(first: 1) { totalCount } } }`);
    await until(() => app.client.health().calls.queued === 1);
    upstream.open();
    expect(codes(await second)).toEqual(['NOT_FOUND']);
    expect(codes(await first)).toEqual(['NOT_FOUND']);
    await until(() => app.client.health().calls.running === 0 && app.client.health().calls.queued === 0);
    expect(upstream.started).toBe(1);
    expect(paths(sandbox)).toEqual(['/v1/tiktok/users/nobody']);
  });

  it('starts a shared call while one of its waiters still waits, and not when none does', async () => {
    const { app, sandbox } = setup({ sandbox: { latencyMs: 100 }, config: { resilience: resilience({ maxConcurrency: 1 }) } });
    const blocker = app.client.call('tiktokGetUser', { username: 'blocker' }); // takes the only slot for 100 ms
    const short: CallOptions = { deadlineAt: Date.now() + 30 };
    const long: CallOptions = { deadlineAt: Date.now() + 5_000 };
    const a = app.client.call('tiktokGetUser', { username: 'shared_one' }, short).catch((e) => e);
    const b = app.client.call('tiktokGetUser', { username: 'shared_one' }, long);
    expect((await a).failure).toBe('timeout');
    expect((await b).preferredUsername).toBe('shared_one'); // the live waiter kept the call
    await blocker;
    // Both waiters of the next call are gone (one past its deadline, one answered) before it leaves the queue.
    const blocker2 = app.client.call('tiktokGetUser', { username: 'blocker_two' });
    const gone: CallOptions = { deadlineAt: Date.now() + 30 };
    const answered: CallOptions = { deadlineAt: Date.now() + 5_000 };
    const c = app.client.call('tiktokGetUser', { username: 'shared_two' }, gone).catch((e) => e);
    const d = app.client.call('tiktokGetUser', { username: 'shared_two' }, answered).catch((e) => e);
    answered.done = true;
    await blocker2;
    expect((await c).failure).toBe('timeout');
    expect(await d).toMatchObject({ failure: 'timeout', upstreamCode: 'abandoned' });
    expect(paths(sandbox)).toEqual(['/v1/tiktok/users/blocker', '/v1/tiktok/users/shared_one', '/v1/tiktok/users/blocker_two']);
  });

  it('does not retry for an operation that has answered meanwhile', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // a backoff of 25 ms
    try {
      const options: CallOptions = { deadlineAt: Date.now() + 5_000 };
      let calls = 0;
      const { app } = setup({
        config: { resilience: resilience({ retryBaseMs: 50 }) },
        wrapFetch: () => async () => {
          calls += 1;
          setTimeout(() => (options.done = true), 5); // the operation answers during the backoff
          return envelope(503, 'service_unavailable');
        },
      });
      await expect(app.client.call('tiktokGetUser', { username: 'alice' }, options)).rejects.toMatchObject({ failure: 'timeout', upstreamCode: 'abandoned' });
      expect(calls).toBe(1);
      // Answered before the failure: not even the backoff is waited for.
      const answered: CallOptions = { deadlineAt: Date.now() + 5_000, done: false };
      const { app: other } = setup({
        config: { resilience: resilience({ retryBaseMs: 50 }) },
        wrapFetch: () => async () => {
          calls += 1;
          answered.done = true;
          return envelope(503, 'service_unavailable');
        },
      });
      await expect(other.client.call('tiktokGetUser', { username: 'alice' }, answered)).rejects.toMatchObject({ failure: 'unavailable', status: 503 });
      expect(calls).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('answers UPSTREAM_UNAVAILABLE (queue_full) at once when the queue is full, instead of growing it', async () => {
    const upstream = gate();
    const { gql, app, sandbox } = setup({ config: { resilience: resilience({ maxConcurrency: 1, maxQueue: 1 }) }, wrapFetch: upstream.wrap });
    const running = gql(`{ users(usernames: ["full1", "full2"]) { username } }`); // one runs, one waits
    await until(() => app.client.health().calls.queued === 1);
    // Answered while the upstream still holds the running call: it waited for nothing.
    const refused = await gql(PROFILE, { u: 'full3' });
    expect(app.client.health().calls).toEqual({ running: 1, queued: 1 });
    expect(codes(refused)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(refused.errors![0]!.extensions).toMatchObject({ upstreamCode: 'queue_full' });
    expect(refused.errors![0]!.extensions!.upstreamStatus).toBeUndefined();
    expect(refused.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0 });
    upstream.open();
    expect((await running).errors).toBeUndefined();
    expect(paths(sandbox)).toEqual(['/v1/tiktok/users/full1', '/v1/tiktok/users/full2']);
    expect(await metric(app, 'konbini_upstream_refused_total{endpoint="user",reason="queue_full"}')).toBe(1);
  });

  it('makes room in a full queue by dropping the calls nobody waits for', async () => {
    const upstream = gate();
    const { gql, sandbox, app } = setup({
      config: { resilience: resilience({ maxConcurrency: 1, maxQueue: 1, operationTimeoutMs: 300 }) },
      wrapFetch: upstream.wrap,
    });
    const timedOut = await gql(`{ users(usernames: ["d1", "d2"]) { username } }`); // d2 waits, then its operation gives up
    expect(codes(timedOut)).toEqual(['UPSTREAM_TIMEOUT', 'UPSTREAM_TIMEOUT']);
    // The queue is full, of a call nobody waits for: d3 takes its place rather than being refused
    // (and, its own operation giving up too, is not started either).
    expect(codes(await gql(PROFILE, { u: 'd3' }))).toEqual(['UPSTREAM_TIMEOUT']);
    upstream.open();
    await until(() => app.client.health().calls.running === 0);
    expect(upstream.started).toBe(1);
    expect(paths(sandbox)).toEqual(['/v1/tiktok/users/d1']);
    expect(await metric(app, 'konbini_upstream_refused_total{endpoint="user",reason="queue_full"}')).toBe(0);
    expect(await metric(app, 'konbini_upstream_refused_total{endpoint="user",reason="abandoned"}')).toBe(2);
  });
});

describe('the breaker trips on the upstream, not on a profile', () => {
  const tight = resilience({ breakerMinCalls: 5, breakerMinResources: 5, breakerErrorPercent: 50, breakerCooldownMs: 60_000 });

  it('five profiles TikTok refuses (502 platform_error) neither open the circuit nor unready the instance', async () => {
    const { gql, app, calls } = setup({ config: { resilience: tight }, wrapFetch: failing('refused_', () => envelope(502, 'platform_error')) });
    const names = ['refused_1', 'refused_2', 'refused_3', 'refused_4', 'refused_5'];
    const res = await gql(`query ($n: [String!]!) { users(usernames: $n) { username } }`, { n: names });
    expect(codes(res)).toEqual(Array(5).fill('UPSTREAM_UNAVAILABLE'));
    expect(res.errors![0]!.extensions).toMatchObject({ upstreamStatus: 502, upstreamCode: 'platform_error' });
    expect(res.extensions!.upstream).toMatchObject({ requests: 15, retries: 10 }); // refunded, retried twice each
    expect(app.client.health().circuits.user).toBe('closed');
    const other = await gql(PROFILE, { u: 'alice' });
    expect(other.data!.user.username).toBe('alice');
    expect(calls()).toBe(1);
    const ready = await app.yoga.fetch('http://localhost/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', degraded: false });
  });

  it('the same five profiles answering 503 (the service failing) do open it', async () => {
    const { gql, app, calls } = setup({ config: { resilience: tight }, wrapFetch: failing('down_', () => envelope(503, 'service_unavailable')) });
    const res = await gql(`{ users(usernames: ["down_1", "down_2", "down_3", "down_4", "down_5"]) { username } }`);
    expect(codes(res)).toEqual(Array(5).fill('UPSTREAM_UNAVAILABLE'));
    expect(app.client.health().circuits.user).toBe('open');
    const other = await gql(PROFILE, { u: 'alice' });
    expect(other.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'circuit_open' });
    expect(calls()).toBe(0);
  });

  it('service failures of one resource, however many, do not open it', async () => {
    const { gql, app } = setup({ config: { resilience: { ...tight, maxRetries: 0 } } });
    for (let i = 0; i < 10; i++) expect(codes(await gql(PROFILE, { u: 'status_503' }))).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(app.client.health().circuits.user).toBe('closed');
  });

  it('needs the error share: failures among many good calls do not open it', async () => {
    const { gql, app } = setup({
      config: { resilience: { ...tight, maxRetries: 0, breakerMinCalls: 10 } },
      wrapFetch: failing('down_', () => envelope(503, 'service_unavailable')),
    });
    const good = Array.from({ length: 10 }, (_, i) => `"good_${i}"`).join(', ');
    await gql(`{ users(usernames: [${good}]) { username } }`);
    await gql(`{ users(usernames: ["down_1", "down_2", "down_3", "down_4", "down_5"]) { username } }`);
    expect(app.client.health().circuits.user).toBe('closed'); // 5 of 15: 33%
    await gql(`{ users(usernames: ["down_6", "down_7", "down_8", "down_9", "down_10"]) { username } }`);
    expect(app.client.health().circuits.user).toBe('open'); // 10 of 20: 50%
  });

  it('half-open: one probe; a failure re-opens, a success closes', async () => {
    let healthy = false;
    let upstreamCalls = 0;
    const { gql, app } = setup({
      config: { resilience: { ...tight, maxRetries: 0, breakerCooldownMs: 500 } },
      wrapFetch: (fetch) => (input, init) => {
        upstreamCalls += 1;
        return healthy ? fetch(input, init) : Promise.resolve(envelope(503, 'service_unavailable'));
      },
    });
    await gql(`{ users(usernames: ["h1", "h2", "h3", "h4", "h5"]) { username } }`);
    expect(app.client.health().circuits.user).toBe('open');
    await sleep(550);
    expect(app.client.health().circuits.user).toBe('halfOpen');
    // Concurrent lookups while half-open: one probe goes out, the rest fail fast.
    const probing = await gql(`{ users(usernames: ["p1", "p2", "p3"]) { username } }`);
    expect(codes(probing)).toEqual(Array(3).fill('UPSTREAM_UNAVAILABLE'));
    expect(upstreamCalls).toBe(6);
    expect(app.client.health().circuits.user).toBe('open');
    await sleep(550);
    healthy = true;
    const res = await gql(PROFILE, { u: 'alice' });
    expect(res.errors).toBeUndefined();
    expect(upstreamCalls).toBe(7);
    expect(app.client.health().circuits.user).toBe('closed');
  });

  it('remembers a refused profile for a while: asked again, it answers the same error with no call', async () => {
    const { gql, advance, calls, app } = setup({ config: { resilience: resilience({ resourceFailureTtlMs: 30_000 }) } });
    const first = await gql(PROFILE, { u: 'status_502' });
    expect(calls()).toBe(3);
    const again = await gql(PROFILE, { u: 'status_502' });
    expect(codes(again)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(again.errors![0]!.extensions).toEqual(first.errors![0]!.extensions);
    expect(again.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0 });
    expect(calls()).toBe(3);
    expect(await metric(app, 'konbini_upstream_refused_total{endpoint="user",reason="resource_failure"}')).toBe(1);
    advance(30_001);
    await gql(PROFILE, { u: 'status_502' });
    expect(calls()).toBe(6);
  });

  it('does not remember service failures (503) for a resource', async () => {
    const { gql, calls } = setup({ config: { resilience: resilience({ maxRetries: 0 }) } });
    await gql(PROFILE, { u: 'status_503' });
    await gql(PROFILE, { u: 'status_503' });
    expect(calls()).toBe(2);
  });

  it('remembers a malformed 200 for that user: billed once, not again at once', async () => {
    const { gql, sandbox } = setup();
    const first = await gql(PROFILE, { u: 'bad_json' });
    expect(first.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1 });
    const again = await gql(PROFILE, { u: 'bad_json' });
    expect(codes(again)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(again.extensions!.upstream).toMatchObject({ requests: 0, creditsUsed: 0 });
    expect(sandbox.calls).toEqual([{ path: '/v1/tiktok/users/bad_json', status: 200, creditsUsed: 1 }]);
  });

  it('lets a stale copy cover for a remembered failure', async () => {
    let refuse = false;
    const { gql, advance, calls } = setup({
      config: { cache: { ...testConfig().cache, profileTtlMs: 1_000 }, resilience: resilience({ maxRetries: 0 }) },
      wrapFetch: (fetch) => (input, init) => (refuse ? Promise.resolve(envelope(502, 'platform_error')) : fetch(input, init)),
    });
    await gql(PROFILE, { u: 'alice' });
    refuse = true;
    advance(5_000);
    for (let i = 0; i < 2; i++) {
      const res = await gql(PROFILE, { u: 'alice' });
      expect(res.data!.user.username).toBe('alice');
      expect(res.extensions!.upstream.stale).toHaveLength(1);
    }
    expect(calls()).toBe(1); // the second stale answer needed no call
  });
});

describe('billed is billed', () => {
  it('a 200 whose body breaks off is reported as billed, never retried, and not paid for again at once', async () => {
    const { gql, sandbox, app } = setup();
    const res = await gql(PROFILE, { u: 'cut_off_body' });
    expect(codes(res)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(res.errors![0]!.extensions!.upstreamStatus).toBe(200);
    expect(res.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, retries: 0 });
    expect(sandbox.calls).toEqual([{ path: '/v1/tiktok/users/cut_off_body', status: 200, creditsUsed: 1 }]);
    const again = await gql(PROFILE, { u: 'cut_off_body' });
    expect(codes(again)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(sandbox.calls).toHaveLength(1);
    expect(await metric(app, 'konbini_credits_used_total')).toBe(1);
    expect(await metric(app, 'konbini_upstream_calls_total{endpoint="user",status="200"}')).toBe(1);
    expect(app.client.health().circuits.user).toBe('closed');
  });

  it('a 200 whose body comes too slowly is UPSTREAM_TIMEOUT, reported as billed, never retried', async () => {
    const { gql, sandbox, app } = setup({ config: { upstreamTimeoutMs: 100 } });
    const res = await gql(PROFILE, { u: 'stalled_body' });
    expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(res.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, retries: 0 });
    expect(sandbox.calls).toEqual([{ path: '/v1/tiktok/users/stalled_body', status: 200, creditsUsed: 1 }]);
    expect(codes(await gql(PROFILE, { u: 'stalled_body' }))).toEqual(['UPSTREAM_TIMEOUT']);
    expect(sandbox.calls).toHaveLength(1);
    expect(await metric(app, 'konbini_credits_used_total')).toBe(1);
  });

  it('a 200 whose body is too large is reported as billed and never retried', async () => {
    let calls = 0;
    const { gql, app } = setup({
      config: { resilience: resilience({ maxBodyBytes: 1024 }) },
      wrapFetch: () => async () => {
        calls += 1;
        const body = JSON.stringify({ data: { padding: 'x'.repeat(4096) } });
        return new Response(body, { status: 200, headers: { 'x-credits-used': '1', 'x-credits-remaining': '41' } });
      },
    });
    const res = await gql(PROFILE, { u: 'alice' });
    expect(codes(res)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(res.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, retries: 0, creditsRemaining: 41 });
    await gql(PROFILE, { u: 'alice' });
    expect(calls).toBe(1);
    expect(await metric(app, 'konbini_credits_used_total')).toBe(1);
  });

  it('a connection reset before any status is still retried (nothing was billed)', async () => {
    let resets = 1;
    const { gql, calls } = setup({
      wrapFetch: (fetch) => (input, init) => (resets-- > 0 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init)),
    });
    const res = await gql(PROFILE, { u: 'alice' });
    expect(res.errors).toBeUndefined();
    expect(res.extensions!.upstream).toMatchObject({ requests: 2, creditsUsed: 1, retries: 1 });
    expect(calls()).toBe(1);
  });
});
