/**
 * The live side of the app: the pollers, the pubsub they publish on, and the subscriptions' streams.
 * Events travel through Yoga's `createPubSub`, whose event target is injectable: in memory by default,
 * Redis (`@graphql-yoga/redis-event-target`) to fan events out across replicas.
 */
import { type PubSubEventTarget, Repeater, SlidingBuffer, createPubSub } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { KonbiniClient } from '../upstream/client.js';
import type { LiveEvent } from './changes.js';
import { type LiveCoordinator, createMemoryCoordinator } from './coordinator.js';
import { type LiveChannels, createFanOut } from './fan-out.js';
import { type LiveMetrics, createLiveMetrics } from './metrics.js';
import { LivePolling } from './polling.js';

export type { LiveEvent } from './changes.js';

/** Settings of the live subscriptions (LIVE_* variables). */
export interface LiveConfig {
  pollIntervalMs: number;
  /** 0: no cap. */
  maxCreditsPerHour: number;
  /** Open subscriptions one client (key, else address) may hold; 0: no limit. */
  maxSubscriptionsPerClient: number;
}

/** What the app may inject: a shared coordinator and event target (Redis), else in-memory ones. */
export interface LiveDependencies {
  coordinator?: LiveCoordinator;
  eventTarget?: PubSubEventTarget<LiveChannels>;
}

export interface Live {
  config: LiveConfig;
  metrics: LiveMetrics;
  /** The events of `topics` (names from topics.ts) from now on, merged; watching them while it is read. */
  events(topics: readonly string[]): AsyncIterableIterator<LiveEvent>;
  /** How many of `topics` nobody watches now: each would cost a poll (its baseline) at once. */
  unwatched(topics: readonly string[]): number;
  /** Topics watched now, and the interval they are polled at. */
  stats(): { topics: number; intervalMs: number; subscriptions: number };
  /** Ends every subscription stream and stops polling (SIGTERM, tests). */
  close(): Promise<void>;
}

/** Events a slow reader may fall behind by, per subscription, before the oldest are dropped. */
export const MAX_PENDING_EVENTS = 100;

/**
 * Builds the live side over the app's client: polling that publishes to the pubsub, and `events()`
 * for the subscription fields. Nothing runs until a topic is watched.
 */
export function createLive(
  config: LiveConfig,
  options: { client: KonbiniClient; registry: Registry; logger: Logger; pollTimeoutMs: number } & LiveDependencies,
): Live {
  const coordinator = options.coordinator ?? createMemoryCoordinator();
  const pubsub = createPubSub<LiveChannels>(options.eventTarget ? { eventTarget: options.eventTarget } : {});
  // Read on each scrape of /metrics, once `polling` exists.
  const metrics = createLiveMetrics(options.registry, () => polling.size);
  const polling = new LivePolling({
    client: options.client,
    coordinator,
    publish: (topic, event) => pubsub.publish(topic, event),
    pollIntervalMs: config.pollIntervalMs,
    maxCreditsPerHour: config.maxCreditsPerHour,
    pollTimeoutMs: options.pollTimeoutMs,
    metrics,
    logger: options.logger,
  });
  const streams = new Set<() => void>();
  let closed = false;

  const fanOut = createFanOut(pubsub);

  const events = (names: readonly string[]) =>
    new Repeater<LiveEvent>(async (push, stop) => {
      if (closed) return stop();
      streams.add(stop);
      // Listen before watching, so that nothing the first polls publish is missed.
      const deliver = (event: LiveEvent) => {
        void push(event);
        // The user is gone: the subscription ends after this event's NOT_FOUND.
        if (event.kind === 'gone') stop();
      };
      const unlisten = names.map((topic) => fanOut.listen(topic, deliver));
      const releases = names.map((topic) => polling.watch(topic));
      await stop;
      streams.delete(stop);
      for (const release of releases) release();
      for (const off of unlisten) off();
    }, new SlidingBuffer(MAX_PENDING_EVENTS));

  return {
    config,
    metrics,
    events,
    unwatched: (names) => names.filter((name) => !polling.isWatched(name)).length,
    stats: () => ({ topics: polling.size, intervalMs: polling.intervalMs, subscriptions: streams.size }),
    async close() {
      closed = true;
      for (const stop of [...streams]) stop();
      await polling.close();
      await coordinator.close?.();
    },
  };
}
