/**
 * The seams issue 15 (Redis) plugs into, in-process: two apps that share a poll coordinator and an
 * event target behave as replicas (one polls a topic, both deliver its events), the polling's pure
 * parts (what a poll found new, the stretched interval), and `close()` leaving nothing running.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { changesOf } from '../src/live/changes.js';
import { type LiveCoordinator, type LiveState, createMemoryCoordinator } from '../src/live/coordinator.js';
import { effectiveIntervalMs } from '../src/live/polling.js';
import { createLogger } from '../src/logger.js';
import { createSandbox } from '../src/sandbox/handler.js';
import { until } from './live-clients.js';

const QUERY = 'subscription($u: [String!]!) { storyPublished(usernames: $u) { storyId } }';
const apps: App[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Opens a subscription through the app's envelop (as the WebSocket endpoint does) and collects its events. */
async function subscribe(app: App, usernames: string[]) {
  const { parse, subscribe: run, contextFactory, schema } = app.yoga.getEnveloped({ params: { query: QUERY } });
  const result = await run({ schema, document: parse(QUERY), variableValues: { u: usernames }, contextValue: await contextFactory() });
  const iterator = (result as AsyncIterable<any>)[Symbol.asyncIterator]();
  const events: any[] = [];
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) events.push(next.value);
  })();
  return { events, stop: () => iterator.return?.() };
}

describe('replicas through a shared coordinator and event target', () => {
  it('one replica polls a topic, the other only listens, and both deliver its stories', async () => {
    const sandbox = createSandbox();
    const frozen = Date.parse('2026-12-01T12:00:00Z');
    sandbox.now = () => frozen;
    const states = createMemoryCoordinator();
    // Replica A holds every claim; replica B never gets one (another replica has the poll).
    const coordinator = (claims: boolean): LiveCoordinator => ({ ...states, claim: async () => claims });
    const eventTarget = new EventTarget();
    const config = { ...testConfig(), live: { pollIntervalMs: 100, maxCreditsPerHour: 0, maxSubscriptionsPerClient: 0 } };
    const logger = createLogger(undefined, 'warn');
    const a = createApp(config, { fetch: sandbox.fetch, logger, live: { coordinator: coordinator(true), eventTarget: eventTarget as never } });
    const fetchesOfB: string[] = [];
    const b = createApp(config, {
      fetch: (input, init) => {
        fetchesOfB.push(String(input));
        return sandbox.fetch(input, init);
      },
      logger,
      live: { coordinator: coordinator(false), eventTarget: eventTarget as never },
    });
    apps.push(a, b);
    const onA = await subscribe(a, ['replica_user']);
    const onB = await subscribe(b, ['replica_user']);
    const polls = () => sandbox.calls.filter((c) => c.path.includes('replica_user/stories')).length;
    await until(() => polls() >= 2, 'the baseline and one more poll');
    const story = sandbox.publishStory('replica_user');
    await until(() => onA.events.length >= 1 && onB.events.length >= 1, 'the story on both replicas');
    // Both hear A's one publication, once each, through the one shared event target.
    const after = polls();
    await until(() => polls() >= after + 2, 'two more polls');
    expect(onA.events.map((e) => e.data.storyPublished.storyId)).toEqual([story.entityId]);
    expect(onB.events.map((e) => e.data.storyPublished.storyId)).toEqual([story.entityId]);
    expect(fetchesOfB).toEqual([]);
    await onA.stop();
    await onB.stop();
  });
});

describe('what a poll finds new', () => {
  const page = (ids: string[]) => ({ orderedItems: ids.map((entityId) => ({ entityId })) });
  const topic = { kind: 'stories' as const, username: 'u' };

  it('the first poll is a baseline; later, unseen ids oldest first, each once', () => {
    const first = changesOf(topic, page(['3', '2', '1']), undefined, 1);
    expect(first.events).toEqual([]);
    const second = changesOf(topic, page(['5', '4', '3', '2']), first.state, 2);
    expect(second.events.map((e) => (e.kind === 'story' ? e.story.entityId : e.kind))).toEqual(['4', '5']);
    // 4 and 5 are now seen, and so are ids that left the page.
    expect(changesOf(topic, page(['5', '4', '1']), second.state, 3).events).toEqual([]);
  });

  it('a profile is news when any field changed, and the state is JSON', () => {
    const profileTopic = { kind: 'profile' as const, username: 'u' };
    const base = changesOf(profileTopic, { followerCount: 1, bio: 'a' }, undefined);
    expect(changesOf(profileTopic, { followerCount: 1, bio: 'a' }, base.state).events).toEqual([]);
    expect(changesOf(profileTopic, { followerCount: 2, bio: 'a' }, base.state).events).toHaveLength(1);
    const state: LiveState = JSON.parse(JSON.stringify(base.state));
    expect(changesOf(profileTopic, { followerCount: 1, bio: 'b' }, state).events).toHaveLength(1);
  });
});

describe('the effective interval', () => {
  it('is LIVE_POLL_INTERVAL_MS until the cap needs more, then watched topics × 3,600,000 / cap', () => {
    expect(effectiveIntervalMs(10, 60_000, 0)).toBe(60_000);
    expect(effectiveIntervalMs(10, 60_000, 600)).toBe(60_000);
    expect(effectiveIntervalMs(10, 60_000, 300)).toBe(120_000);
    expect(effectiveIntervalMs(1_000, 60_000, 36_000)).toBe(100_000);
  });
});

describe('close()', () => {
  it('ends open subscriptions and stops polling', async () => {
    const sandbox = createSandbox();
    const config = { ...testConfig(), live: { pollIntervalMs: 100, maxCreditsPerHour: 0, maxSubscriptionsPerClient: 0 } };
    const app = createApp(config, { fetch: sandbox.fetch, logger: createLogger(undefined, 'warn') });
    const { parse, subscribe: run, contextFactory, schema } = app.yoga.getEnveloped({ params: { query: QUERY } });
    const result = (await run({
      schema,
      document: parse(QUERY),
      variableValues: { u: ['closing_user'] },
      contextValue: await contextFactory(),
    })) as AsyncIterable<unknown>;
    const iterator = result[Symbol.asyncIterator]();
    const ended = iterator.next();
    await until(() => sandbox.calls.length >= 1, 'the baseline poll');
    await app.close();
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(app.live.stats()).toMatchObject({ topics: 0, subscriptions: 0 });
    const calls = sandbox.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sandbox.calls.length).toBe(calls);
  });
});
