/**
 * What live subscriptions may cost and hold, against the server process: the credit cap spaces polls,
 * a client holds a bounded number of subscriptions, a hostile client cannot make polling spend more,
 * and SIGTERM ends every stream cleanly (SSE completes, WebSockets close with 1001).
 */
import { once } from 'node:events';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Received, type Subscriber, metric, sseSubscriber, until, wsSubscriber } from './live-clients.js';
import { killServers, serveSandbox, startServer } from './server-process.js';

const STORIES = 'subscription Stories($usernames: [String!]!) { storyPublished(usernames: $usernames) { storyId } }';
const FROZEN = Date.parse('2026-12-01T12:00:00Z');

const clients: Subscriber[] = [];
const closers: (() => Promise<void>)[] = [];

async function setUp(env: Record<string, string>) {
  const upstream = await serveSandbox();
  upstream.sandbox.now = () => FROZEN;
  closers.push(upstream.close);
  const server = await startServer({ KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: 'knbn_test', ...env });
  const sse = () => {
    const c = sseSubscriber(server.url);
    clients.push(c);
    return c;
  };
  const ws = () => {
    const c = wsSubscriber(server.url);
    clients.push(c);
    return c;
  };
  /** When each poll was decided (the server's `startedAt`), in order. */
  const pollStarts = () => server.lines.filter((l) => l.msg === 'live poll').map((l) => l.startedAt as number);
  return { upstream, server, sse, ws, pollStarts };
}

const codesOf = (received: Received) => [
  ...received.events.flatMap((e) => (e.errors ?? []).map((x: { extensions?: { code?: string } }) => x.extensions?.code)),
  ...received.errors.flatMap((e) => (Array.isArray(e) ? e.map((x) => x.extensions?.code) : [(e as { extensions?: { code?: string } }).extensions?.code])),
];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await killServers();
  await Promise.all(closers.splice(0).map((close) => close()));
});

afterAll(killServers);

describe('live limits', () => {
  it('LIVE_MAX_CREDITS_PER_HOUR spaces polls evenly: never two within 3,600,000 / cap ms, every user in turn', async () => {
    // 7,200 credits an hour: one poll every 500 ms at most, whatever the 100 ms interval asks.
    const { server, sse, pollStarts } = await setUp({ LIVE_POLL_INTERVAL_MS: '100', LIVE_MAX_CREDITS_PER_HOUR: '7200' });
    const users = ['cap_a', 'cap_b', 'cap_c', 'cap_d'];
    const subs = users.map((u) => sse().subscribe(STORIES, { usernames: [u] }));
    await until(() => pollStarts().length >= 10, '10 polls');
    const starts = pollStarts();
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    const polled = server.lines
      .filter((l) => l.msg === 'live poll')
      .slice(0, 8)
      .map((l) => l.topic);
    expect(new Set(polled)).toEqual(new Set(users.map((u) => `stories:${u}`)));
    // The stretched interval is in the log: 4 topics × 3,600,000 / 7,200 = 2,000 ms.
    expect(server.lines.filter((l) => l.msg === 'live poll').at(-1)?.intervalMs).toBe(2000);
    expect(await metric(server.origin, 'live_poll_credits_total')).toBeGreaterThanOrEqual(10);
    for (const s of subs) s.dispose();
  });

  it('LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: one more is refused with RATE_LIMITED, and allowed again once one ends', async () => {
    const { server, sse, ws, upstream } = await setUp({ LIVE_POLL_INTERVAL_MS: '300', LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '3' });
    const wsClient = ws();
    const open = [
      sse().subscribe(STORIES, { usernames: ['limit_a'] }),
      wsClient.subscribe(STORIES, { usernames: ['limit_b'] }),
      sse().subscribe(STORIES, { usernames: ['limit_c'] }),
    ];
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 3, '3 open subscriptions');
    const before = upstream.sandbox.calls.length;
    const refused = wsClient.subscribe(STORIES, { usernames: ['limit_d'] });
    await until(() => refused.completed || refused.errors.length > 0, 'the refusal');
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    expect(upstream.sandbox.calls.filter((c) => c.path.includes('limit_d'))).toEqual([]);
    expect(upstream.sandbox.calls.length).toBeGreaterThanOrEqual(before);
    open[0]!.dispose();
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 2, 'one ended');
    const again = sse().subscribe(STORIES, { usernames: ['limit_d'] });
    await until(() => upstream.sandbox.calls.some((c) => c.path.includes('limit_d')), 'limit_d polled');
    expect(again.errors).toEqual([]);
    expect(again.completed).toBe(false);
  });

  it('a hostile client: 40 subscriptions of 50 users each watch at most LIMIT × 50 users, and the cap bounds what polling spends', async () => {
    const { server, sse, ws, pollStarts } = await setUp({
      LIVE_POLL_INTERVAL_MS: '100',
      LIVE_MAX_CREDITS_PER_HOUR: '36000', // one poll per 100 ms at most
      LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '4',
    });
    const sseClient = sse();
    const wsClient = ws();
    const lists = Array.from({ length: 40 }, (_, s) => Array.from({ length: 50 }, (_, u) => `hostile_${s}_${u}`));
    const subs = lists.map((usernames, i) => (i % 2 ? sseClient : wsClient).subscribe(STORIES, { usernames }));
    await until(() => subs.filter((s) => s.completed || s.errors.length > 0).length === 36, '36 refusals');
    expect(subs.filter((s) => codesOf(s).includes('RATE_LIMITED'))).toHaveLength(36);
    expect(await metric(server.origin, 'live_subscriptions_active')).toBe(4);
    expect(await metric(server.origin, 'live_topics_watched')).toBe(200);
    await until(() => pollStarts().length >= 10, '10 polls');
    const starts = pollStarts();
    expect(Math.min(...starts.slice(1).map((t, i) => t - starts[i]!))).toBeGreaterThanOrEqual(100);
    // Each of the 200 topics waits its turn: 200 × 100 ms.
    expect(server.lines.filter((l) => l.msg === 'live poll').at(-1)?.intervalMs).toBe(20_000);
  });

  it('polls a subscription starts are charged to its client’s credit budget: new users cost, watched ones do not', async () => {
    const { server, upstream, sse, ws } = await setUp({
      LIVE_POLL_INTERVAL_MS: '300',
      CLIENT_CREDITS_PER_MINUTE: '60',
      LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '0',
    });
    const names = (tag: string) => Array.from({ length: 50 }, (_, i) => `budget_${tag}_${i}`);
    const first = sse().subscribe(STORIES, { usernames: names('a') });
    await until(async () => (await metric(server.origin, 'live_topics_watched')) === 50, '50 users watched');
    // 50 of the minute's 60 credits are spent: 50 more new users are refused, before any call about them.
    const refused = ws().subscribe(STORIES, { usernames: names('b') });
    await until(() => refused.completed || refused.errors.length > 0, 'the refusal');
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    expect(upstream.sandbox.calls.filter((c) => c.path.includes('budget_b_'))).toEqual([]);
    // The same 50 users again cost nothing more: they are polled anyway.
    const again = ws().subscribe(STORIES, { usernames: names('a') });
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 2, 'the second subscription open');
    expect(again.errors).toEqual([]);
    expect(first.errors).toEqual([]);
  });

  it('a reader that stops reading does not hold back the others, nor the server', async () => {
    const { server, upstream, sse } = await setUp({ LIVE_POLL_INTERVAL_MS: '200' });
    const user = 'slow_reader_star';
    const healthy = sse().subscribe(STORIES, { usernames: [user] });
    const slow = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await once(slow, 'open');
    slow.send(JSON.stringify({ type: 'connection_init' }));
    await once(slow, 'message');
    slow.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: STORIES.replace('storyId', 'storyId caption images { url } author { username }'), variables: { usernames: [user] } },
      }),
    );
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 2, 'both subscribed');
    const polls = () => upstream.sandbox.calls.filter((c) => c.path.startsWith(`/v1/tiktok/users/${user}/stories`)).length;
    const baseline = polls();
    await until(() => polls() >= baseline + 2, 'baseline');
    // The slow reader's socket stops reading: what the server sends piles up in the kernel, then in Node.
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    let published = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 30; i++) upstream.sandbox.publishStory(user);
      published += 30;
      const now = polls();
      await until(() => polls() >= now + 2, 'the next polls');
    }
    await until(() => healthy.events.length === published, 'every story at the healthy reader');
    expect(new Set(healthy.events.map((e) => e.data.storyPublished.storyId)).size).toBe(published);
    // The server still answers at once.
    expect((await server.query('{ __typename }')).data).toEqual({ __typename: 'Query' });
    slow.terminate();
  }, 60_000);

  it('client keys apply to both transports: without a key nothing is watched, with one the subscription runs', async () => {
    const { server, upstream } = await setUp({ LIVE_POLL_INTERVAL_MS: '300', CLIENT_API_KEYS: 'live-client-key', METRICS_TOKEN: 'live-metrics' });
    const anonymousWs = wsSubscriber(server.url);
    const anonymousSse = sseSubscriber(server.url);
    clients.push(anonymousWs, anonymousSse);
    const refusedWs = anonymousWs.subscribe(STORIES, { usernames: ['keyed_user'] });
    const refusedSse = anonymousSse.subscribe(STORIES, { usernames: ['keyed_user'] });
    await until(() => anonymousWs.closes.length > 0 && refusedSse.errors.length > 0, 'both refusals');
    expect(anonymousWs.closes).toEqual([4403]);
    expect(upstream.sandbox.calls).toEqual([]);
    const keyedWs = wsSubscriber(server.url, { authorization: 'Bearer live-client-key' });
    const keyedSse = sseSubscriber(server.url, { authorization: 'Bearer live-client-key' });
    clients.push(keyedWs, keyedSse);
    const subs = [keyedWs.subscribe(STORIES, { usernames: ['keyed_user'] }), keyedSse.subscribe(STORIES, { usernames: ['keyed_user'] })];
    await until(() => upstream.sandbox.calls.some((c) => c.path.includes('keyed_user')), 'keyed_user polled');
    await until(async () => (await metric(server.origin, 'live_subscriptions_active', 'live-metrics')) === 2, 'two subscriptions');
    const story = upstream.sandbox.publishStory('keyed_user');
    await until(() => subs.every((s) => s.events.length === 1), 'the story on both');
    expect(subs.map((s) => s.events[0].data.storyPublished.storyId)).toEqual([story.entityId, story.entityId]);
    expect(refusedWs.events).toEqual([]);
    // Over WebSocket only subscriptions run: queries go over HTTP, where every HTTP limit applies.
    const query = keyedWs.subscribe('{ __typename }');
    await until(() => query.completed || query.errors.length > 0, 'the refusal');
    expect(codesOf(query)).toEqual(['OPERATION_NOT_SUPPORTED']);
  });

  it('SIGTERM completes SSE streams, closes WebSockets with 1001, and the process exits', async () => {
    const { server, sse, ws, upstream } = await setUp({ LIVE_POLL_INTERVAL_MS: '300' });
    const sseSub = sse().subscribe(STORIES, { usernames: ['sigterm_user'] });
    const wsClient = ws();
    const wsSub = wsClient.subscribe(STORIES, { usernames: ['sigterm_user'] });
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 2, 'both subscribed');
    await until(() => upstream.sandbox.calls.length >= 2, 'polls');
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    await until(() => sseSub.completed, 'the SSE stream complete');
    await until(() => wsClient.closes.length > 0, 'the WebSocket closed');
    expect(wsClient.closes).toEqual([1001]);
    expect(sseSub.errors).toEqual([]);
    expect(wsSub.events).toEqual([]);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(server.lines.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
