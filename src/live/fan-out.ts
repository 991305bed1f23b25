/**
 * One pubsub subscription per topic in this process, fanned out here to the topic's subscribers:
 * thousands of subscribers of one user cost one listener on the event target (one channel with Redis),
 * and adding one is a set insertion, not a walk over every listener already there.
 */
import type { PubSub } from 'graphql-yoga';
import type { LiveEvent } from './changes.js';

type Listener = (event: LiveEvent) => void;

interface Channel {
  listeners: Set<Listener>;
  stop(): void;
}

/** The pubsub's channels: one per topic, named at run time, carrying LiveEvents. */
export type LiveChannels = Record<string, [LiveEvent]>;

/** Listening on topics through `pubsub`, one subscription per topic however many listen. */
export function createFanOut(pubsub: PubSub<LiveChannels>) {
  const channels = new Map<string, Channel>();

  function open(topic: string): Channel {
    const subscription = pubsub.subscribe(topic);
    const channel: Channel = { listeners: new Set(), stop: () => void subscription.return() };
    void (async () => {
      for await (const event of subscription) for (const deliver of channel.listeners) deliver(event);
    })();
    return channel;
  }

  return {
    /** Calls `listener` with every event of `topic` from now on; the returned function stops. */
    listen(topic: string, listener: Listener): () => void {
      let channel = channels.get(topic);
      if (!channel) channels.set(topic, (channel = open(topic)));
      channel.listeners.add(listener);
      return () => {
        if (!channel.listeners.delete(listener) || channel.listeners.size > 0) return;
        channels.delete(topic);
        channel.stop();
      };
    },
  };
}
