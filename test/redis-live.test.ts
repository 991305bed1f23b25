/**
 * Issues 15 and 16 together: live subscriptions on three replicas over one real Redis. One poll per
 * watched user per interval for the whole cluster (not one per replica), and an event reaches the
 * subscribers of every replica, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis, stopAllRedis } from '../scripts/redis-server.js';
import { type Received, type Subscriber, metric, sseSubscriber, until, wsSubscriber } from './live-clients.js';
import { type ServerProcess, killServers, serveSandbox, startServer } from './server-process.js';

const INTERVAL_MS = 400;
const STORIES = 'subscription Stories($usernames: [String!]!) { storyPublished(usernames: $usernames) { storyId author { username } } }';

let redis: RedisServer;
let upstream: Awaited<ReturnType<typeof serveSandbox>>;
let replicas: ServerProcess[];
const clients: Subscriber[] = [];

beforeAll(async () => {
  redis = await startRedis();
  upstream = await serveSandbox();
  const frozen = Date.parse('2026-12-01T12:00:00Z');
  upstream.sandbox.now = () => frozen;
  const env = {
    REDIS_URL: redis.url,
    REDIS_TIMEOUT_MS: '2000',
    KONBINI_BASE_URL: upstream.url,
    KONBINI_API_KEY: 'knbn_live_cluster',
    CURSOR_SECRET: 'live-cluster',
    LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
    LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '0',
  };
  replicas = await Promise.all([0, 1, 2].map(() => startServer(env)));
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await killServers();
  await upstream?.close();
  await stopAllRedis();
});

const storyPolls = (username: string) => upstream.sandbox.calls.filter((c) => c.path.startsWith(`/v1/tiktok/users/${username}/stories`)).length;

describe('live subscriptions across replicas', () => {
  it('polls a user once per interval for the cluster and delivers its new story to the subscribers of every replica, once', async () => {
    const user = 'cluster_star';
    const subscriptions: Received[] = [];
    for (const [i, replica] of replicas.entries()) {
      const client = i === 0 ? wsSubscriber(replica.url) : sseSubscriber(replica.url);
      clients.push(client);
      for (let n = 0; n < 10; n++) subscriptions.push(client.subscribe(STORIES, { usernames: [user] }));
    }
    for (const replica of replicas)
      await until(async () => (await metric(replica.origin, 'live_subscriptions_active')) === 10, 'ten subscriptions on each replica');

    // Every replica watches the user; over a window of several intervals the cluster polls it about once per interval.
    const from = storyPolls(user);
    const started = Date.now();
    await until(() => storyPolls(user) >= from + 5, 'five more polls');
    const intervals = (Date.now() - started) / INTERVAL_MS;
    // Three replicas polling on their own would make about 3 polls an interval.
    expect(storyPolls(user) - from).toBeLessThanOrEqual(Math.ceil(intervals) + 2);
    expect(subscriptions.every((s) => s.events.length === 0)).toBe(true);

    const story = upstream.sandbox.publishStory(user);
    await until(() => subscriptions.every((s) => s.events.length >= 1), 'the story on all 30 subscriptions');
    const polled = storyPolls(user);
    await until(() => storyPolls(user) >= polled + 2, 'two more polls');
    for (const s of subscriptions) {
      expect(s.events).toHaveLength(1);
      expect(s.events[0].data.storyPublished).toMatchObject({ storyId: story.entityId, author: { username: user } });
    }
    for (const s of subscriptions) s.dispose();
  }, 60_000);
});

describe('the polling credit cap across replicas', () => {
  it('spaces polls for the whole cluster, not per replica', async () => {
    const CAP_PER_HOUR = 9_000; // one poll per 400 ms for the cluster
    const spacingMs = 3_600_000 / CAP_PER_HOUR;
    const capped = await Promise.all(
      [0, 1, 2].map(() =>
        startServer({
          REDIS_URL: redis.url,
          REDIS_TIMEOUT_MS: '2000',
          REDIS_KEY_PREFIX: 'capped:',
          KONBINI_BASE_URL: upstream.url,
          KONBINI_API_KEY: 'knbn_live_cluster',
          LIVE_POLL_INTERVAL_MS: '100',
          LIVE_MAX_CREDITS_PER_HOUR: String(CAP_PER_HOUR),
          LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '0',
        }),
      ),
    );
    // Each replica watches a user of its own: alone, each would spend the whole cap.
    const users = ['capped_a', 'capped_b', 'capped_c'];
    for (const [i, replica] of capped.entries()) {
      const client = sseSubscriber(replica.url);
      clients.push(client);
      client.subscribe(STORIES, { usernames: [users[i]] });
    }
    const polls = () => users.reduce((sum, user) => sum + storyPolls(user), 0);
    await until(() => users.every((user) => storyPolls(user) >= 1), 'every user polled');
    const from = polls();
    const started = Date.now();
    await until(() => polls() >= from + 9, 'nine more polls');
    const elapsed = Date.now() - started;
    // Three replicas spacing their own polls would poll three times as often.
    expect(polls() - from).toBeLessThanOrEqual(Math.floor(elapsed / spacingMs) + 2);
  }, 60_000);
});
