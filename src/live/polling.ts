/**
 * Multiplexed polling: each watched topic is polled once per interval whoever watches it, through the
 * same client (cache, breakers, account pause) as queries. The interval stretches with the number of
 * topics so that polling never spends more than LIVE_MAX_CREDITS_PER_HOUR: polls are spaced at least
 * `3_600_000 / cap` ms apart, so N topics are each polled every max(LIVE_POLL_INTERVAL_MS, N × spacing).
 * One timer serves every topic, and none runs while nothing is watched.
 */
import type { Logger } from '../logger.js';
import type { CallOptions, KonbiniClient } from '../upstream/client.js';
import { UpstreamError } from '../upstream/errors.js';
import { changesOf, type LiveEvent } from './changes.js';
import type { LiveCoordinator } from './coordinator.js';
import type { LiveMetrics } from './metrics.js';
import { type Topic, parseTopic, pollRequest } from './topics.js';

const HOUR_MS = 3_600_000;

export interface PollingOptions {
  client: KonbiniClient;
  coordinator: LiveCoordinator;
  /** Delivers what a poll found to the topic's subscribers (the pubsub). */
  publish(topic: string, event: LiveEvent): void;
  pollIntervalMs: number;
  /** 0: no cap. */
  maxCreditsPerHour: number;
  /** Deadline of one poll's upstream call. */
  pollTimeoutMs: number;
  metrics: LiveMetrics;
  logger: Logger;
}

interface Watched {
  topic: Topic;
  watchers: number;
  /** When its last poll started (epoch ms); null before the first. */
  polledAt: number | null;
  polling: boolean;
}

/** The interval each topic is polled at when `topics` are watched (see the README for the arithmetic). */
export function effectiveIntervalMs(topics: number, pollIntervalMs: number, maxCreditsPerHour: number): number {
  if (maxCreditsPerHour <= 0) return pollIntervalMs;
  return Math.max(pollIntervalMs, Math.ceil((Math.max(1, topics) * HOUR_MS) / maxCreditsPerHour));
}

export class LivePolling {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;
  private lastPollAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: PollingOptions) {}

  /** Whether `name` is watched now (then a new subscriber adds no poll). */
  isWatched(name: string): boolean {
    return this.watched.has(name);
  }

  /** Topics watched now. */
  get size(): number {
    return this.watched.size;
  }

  /** The interval each topic is polled at now. */
  get intervalMs(): number {
    const { pollIntervalMs, maxCreditsPerHour } = this.options;
    return effectiveIntervalMs(this.watched.size, pollIntervalMs, maxCreditsPerHour);
  }

  /** Starts watching `topic` (its first poll is the baseline); the returned function stops, once. */
  watch(name: string): () => void {
    if (this.closed) return () => {};
    let entry = this.watched.get(name);
    if (!entry) {
      entry = { topic: parseTopic(name), watchers: 0, polledAt: null, polling: false };
      this.watched.set(name, entry);
    }
    entry.watchers += 1;
    this.schedule();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.watched.get(name);
      if (!current) return;
      current.watchers -= 1;
      // Nobody watches: no more polls (one in flight still finishes and publishes to nobody).
      if (current.watchers <= 0) this.watched.delete(name);
      this.schedule();
    };
  }

  /** Stops polling for good; resolves once polls in flight have settled. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watched.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private get spacingMs(): number {
    const { maxCreditsPerHour } = this.options;
    return maxCreditsPerHour > 0 ? HOUR_MS / maxCreditsPerHour : 0;
  }

  /** When `entry` may be polled next: its interval after its last poll, and the cap's spacing after any poll. */
  private dueAt(entry: Watched, interval: number): number {
    const own = entry.polledAt === null ? 0 : entry.polledAt + interval;
    return Math.max(own, this.lastPollAt + this.spacingMs);
  }

  /** Sets the one timer to the earliest due poll; clears it when nothing is watched. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.watched.size === 0) return;
    const interval = this.intervalMs;
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.watched.values()) if (!entry.polling) next = Math.min(next, this.dueAt(entry, interval));
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - Date.now()));
  }

  private tick(): void {
    this.timer = undefined;
    const interval = this.intervalMs;
    const due = [...this.watched.entries()]
      .filter(([, entry]) => !entry.polling && this.dueAt(entry, interval) <= Date.now())
      .sort(([, a], [, b]) => (a.polledAt ?? 0) - (b.polledAt ?? 0));
    for (const [name, entry] of due) {
      // Under a credit cap, one poll per spacing: the rest wait for their turn.
      if (Date.now() < this.lastPollAt + this.spacingMs) break;
      this.lastPollAt = entry.polledAt = Date.now();
      entry.polling = true;
      const poll = this.poll(name, entry, interval).finally(() => {
        entry.polling = false;
        this.inFlight.delete(poll);
        this.schedule();
      });
      this.inFlight.add(poll);
    }
    this.schedule();
  }

  private async poll(name: string, entry: Watched, interval: number): Promise<void> {
    const { client, coordinator, metrics, publish, pollTimeoutMs } = this.options;
    const { topic } = entry;
    // Every line says when the poll was decided: the spacing under the credit cap shows in the logs.
    const logger = this.options.logger.child({ topic: name, startedAt: entry.polledAt, intervalMs: interval });
    if (!(await coordinator.claim(name, interval, this.spacingMs))) {
      metrics.poll(topic.kind, 'skipped');
      return;
    }
    const previous = await coordinator.load(name);
    let credits = 0;
    const callOptions: CallOptions = {
      observer: { call: (event) => void (credits += event.creditsUsed) },
      deadlineAt: Date.now() + pollTimeoutMs,
      // A query's answer younger than half an interval is news enough; an older copy is not.
      maxAgeMs: Math.max(1, Math.floor(interval / 2)),
    };
    const { operation, params } = pollRequest(topic);
    let data: unknown;
    try {
      data = await client.call(operation, params, callOptions);
    } catch (error) {
      metrics.credits.inc(credits);
      metrics.poll(topic.kind, 'failed');
      if (error instanceof UpstreamError && error.failure === 'not_found') {
        logger.info({ credits }, 'live poll: not found; its subscriptions end');
        metrics.published('gone', 1);
        publish(name, { kind: 'gone', username: topic.username, message: `User "${topic.username}" is not found on TikTok.` });
        return;
      }
      // An outage or the account pause: subscriptions stay, the next poll catches up.
      const failure = error instanceof UpstreamError ? error.failure : 'unexpected';
      logger.warn({ credits, failure }, 'live poll failed; retrying next interval');
      return;
    }
    const { events, state } = changesOf(topic, data, previous);
    await coordinator.save(name, state, Math.max(2 * interval, 60_000));
    metrics.credits.inc(credits);
    metrics.poll(topic.kind, 'ok');
    if (credits > 0 || events.length > 0) logger.info({ credits, events: events.length, baseline: previous === undefined }, 'live poll');
    if (events.length > 0) metrics.published(topic.kind === 'stories' ? 'story' : topic.kind === 'videos' ? 'video' : 'profile', events.length);
    for (const event of events) publish(name, event);
  }
}
