/** The live subscriptions' metrics, on the app's registry: subscriptions, watched topics, polls and their credits. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface LiveMetrics {
  subscriptions: Gauge;
  /** One poll, by topic kind and outcome (ok, failed, skipped: another replica held the claim). */
  poll(kind: string, outcome: 'ok' | 'failed' | 'skipped'): void;
  credits: Counter;
  published(kind: string, count: number): void;
}

/** Registers the live metrics; `watchedTopics` is read when /metrics is scraped. */
export function createLiveMetrics(registry: Registry, watchedTopics: () => number): LiveMetrics {
  const subscriptions = new Gauge({
    name: 'live_subscriptions_active',
    help: 'Open GraphQL subscriptions (SSE and WebSocket).',
    registers: [registry],
  });
  new Gauge({
    name: 'live_topics_watched',
    help: 'Upstream resources polled for subscriptions (a user’s stories, videos or profile), each polled once per interval for all its subscribers.',
    registers: [registry],
    collect() {
      this.set(watchedTopics());
    },
  });
  const polls = new Counter({
    name: 'live_polls_total',
    help: 'Polls of watched topics, by kind and outcome (ok, failed, skipped: another replica polled it); rate() gives polls per minute.',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const credits = new Counter({
    name: 'live_poll_credits_total',
    help: 'KonbiniAPI credits spent by polling for subscriptions (also counted in konbini_credits_used_total).',
    registers: [registry],
  });
  const events = new Counter({
    name: 'live_events_published_total',
    help: 'Changes found by polls and published to subscribers, by kind (story, video, profile, gone).',
    labelNames: ['kind'],
    registers: [registry],
  });
  return {
    subscriptions,
    poll: (kind, outcome) => polls.inc({ kind, outcome }),
    credits,
    published: (kind, count) => events.inc({ kind }, count),
  };
}
