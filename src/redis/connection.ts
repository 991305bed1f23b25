/**
 * The Redis connections of one replica (loaded only when REDIS_URL is set): one for commands, which
 * fails at once while disconnected rather than queueing (no request ever waits for Redis to come
 * back), and one for pub/sub, which resubscribes by itself after a reconnection. Keys and channels
 * are named under the configured prefix and the upstream's address, so that deployments over
 * different upstreams never read each other's answers. Nothing here ever sees the API key.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { RedisConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { RedisGuard } from './guard.js';

type Handler = (message: unknown) => void;

export interface RedisLink {
  command: Redis;
  /** The pub/sub connection (also given to Yoga's Redis event target). */
  subscriber: Redis;
  guard: RedisGuard;
  /** A key (or channel) of this deployment. */
  key(...parts: string[]): string;
  /** Publishes a JSON message on one of this deployment's channels (guarded: a failure is counted, not thrown). */
  publish(channel: string, message: unknown): Promise<void>;
  /** Calls `handler` with every JSON message of `channel`. */
  listen(channel: string, handler: Handler): void;
  /** Calls `handler` each time the command connection is (again) ready. */
  onReady(handler: () => void): void;
  close(): Promise<void>;
}

/** Reconnection delays: quick at first, then every 2 s at most, forever. */
const reconnectDelay = (attempt: number) => Math.min(100 * attempt, 2_000);

export function connectRedis(config: RedisConfig, upstreamBaseUrl: string, registry: Registry, logger: Logger): RedisLink {
  const options = {
    connectTimeout: 2_000,
    retryStrategy: reconnectDelay,
    // ioredis logs a failed connection as an unhandled 'error' event otherwise; we log transitions ourselves.
    lazyConnect: false,
  };
  const command = new Redis(config.url, { ...options, commandTimeout: config.timeoutMs, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const subscriber = new Redis(config.url, { ...options, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const guard = new RedisGuard({ ready: () => command.status === 'ready' }, registry);
  const namespace = `${config.keyPrefix}${createHash('sha256').update(upstreamBaseUrl).digest('hex').slice(0, 8)}:`;
  const handlers = new Map<string, Handler[]>();
  const readyHandlers: (() => void)[] = [];

  let down = false;
  command.on('error', (error: Error) => {
    if (!down) logger.warn({ err: { name: error.name, message: error.message } }, 'Redis unavailable: going on without it');
    down = true;
  });
  command.on('ready', () => {
    if (down) logger.info('Redis is back: sharing through it again');
    down = false;
    guard.reset();
    for (const handler of readyHandlers) handler();
  });
  subscriber.on('error', () => undefined); // reported once, by the command connection
  subscriber.on('message', (channel: string, text: string) => {
    const listeners = handlers.get(channel);
    if (!listeners) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    for (const handler of listeners) handler(message);
  });

  // While Redis fails, a PING a second finds out when it answers again, traffic or not.
  const heal = setInterval(() => {
    if (!guard.healthy() && command.status === 'ready') void guard.run('ping', () => command.ping(), true);
  }, 1_000).unref();

  const key = (...parts: string[]) => namespace + parts.join(':');
  return {
    command,
    subscriber,
    guard,
    key,
    async publish(channel, message) {
      await guard.run('publish', () => command.publish(key(channel), JSON.stringify(message)));
    },
    listen(channel, handler) {
      const name = key(channel);
      const listeners = handlers.get(name);
      if (listeners) listeners.push(handler);
      else {
        handlers.set(name, [handler]);
        subscriber.subscribe(name).catch(() => undefined);
      }
    },
    onReady(handler) {
      readyHandlers.push(handler);
    },
    async close() {
      clearInterval(heal);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}
