/**
 * Live subscriptions across replicas: one poll per topic per interval for the whole cluster (a
 * `live:poll:<topic>` claim set NX for the interval), what the last poll saw kept where every replica
 * reads it, and events fanned out to subscribers on every replica through Redis pub/sub
 * (`@graphql-yoga/redis-event-target`, its channels under this deployment's prefix). Redis failing
 * never stops a subscription: the claim is granted (each replica then polls for its own subscribers),
 * the state falls back to this replica's memory, and an event that cannot be published is delivered
 * to this replica's subscribers directly.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSubEventTarget } from 'graphql-yoga';
import { type LiveCoordinator, type LiveState, createMemoryCoordinator } from '../live/coordinator.js';
import type { LiveDependencies } from '../live/live.js';
import type { RedisLink } from './connection.js';

type Target = NonNullable<LiveDependencies['eventTarget']>;

export function createLiveSharing(link: RedisLink): Required<Pick<LiveDependencies, 'coordinator' | 'eventTarget'>> {
  return { coordinator: createRedisCoordinator(link), eventTarget: createSharedEventTarget(link) };
}

function createRedisCoordinator(link: RedisLink): LiveCoordinator {
  const { command, guard } = link;
  const local = createMemoryCoordinator();
  return {
    async claim(topic, intervalMs, spacingMs) {
      const key = link.key('live', 'poll', topic);
      const claimed = await guard.run('live_claim', () => command.set(key, '1', 'PX', intervalMs, 'NX'));
      // Without Redis, poll: a missed story is worse than a credit spent twice.
      if (claimed === undefined) return true;
      if (claimed !== 'OK') return false;
      if (spacingMs <= 0) return true;
      // Under a credit cap, one poll per spacing for the whole cluster; the topic is left for a later turn.
      const slot = await guard.run('live_slot', () => command.set(link.key('live', 'slot'), '1', 'PX', Math.ceil(spacingMs), 'NX'));
      if (slot === undefined || slot === 'OK') return true;
      await guard.run('live_unclaim', () => command.del(key));
      return false;
    },
    async load(topic) {
      const text = await guard.run('live_load', () => command.get(link.key('live', 'state', topic)));
      if (typeof text !== 'string') return local.load(topic);
      try {
        return JSON.parse(text) as LiveState;
      } catch {
        return local.load(topic);
      }
    },
    async save(topic, state, ttlMs) {
      await local.save(topic, state, ttlMs);
      await guard.run('live_save', () => command.set(link.key('live', 'state', topic), JSON.stringify(state), 'PX', ttlMs));
    },
  };
}

function createSharedEventTarget(link: RedisLink): Target {
  const channel = (topic: string) => link.key('live', 'event', topic);
  const redis = createRedisEventTarget({
    publishClient: {
      // Not published (Redis down): this replica's own subscribers still get it.
      publish: (name: string, message: string) =>
        link.guard
          .run('live_publish', () => link.command.publish(name, message))
          .then((receivers) => {
            if (receivers === undefined) link.subscriber.emit('message', name, message);
            return receivers ?? 0;
          }),
    } as never,
    subscribeClient: link.subscriber,
  });
  // Listeners are wrapped, so that they see the topic by its own name.
  const wrapped = new Map<string, Map<unknown, EventListener>>();
  return {
    addEventListener(topic, listener) {
      if (!listener) return;
      const handle = 'handleEvent' in listener ? listener.handleEvent.bind(listener) : listener;
      const forward: EventListener = (event) => handle(new CustomEvent(topic, { detail: (event as CustomEvent).detail }) as never);
      const ofTopic = wrapped.get(topic) ?? new Map<unknown, EventListener>();
      wrapped.set(topic, ofTopic.set(listener, forward));
      redis.addEventListener(channel(topic), forward);
    },
    removeEventListener(topic, listener) {
      const ofTopic = wrapped.get(topic);
      const forward = ofTopic?.get(listener);
      if (!ofTopic || !forward) return;
      ofTopic.delete(listener);
      if (ofTopic.size === 0) wrapped.delete(topic);
      redis.removeEventListener(channel(topic), forward);
    },
    dispatchEvent(event) {
      return redis.dispatchEvent(new CustomEvent(channel(event.type), { detail: (event as CustomEvent).detail }));
    },
  } as PubSubEventTarget<Record<string, [unknown]>> as Target;
}
