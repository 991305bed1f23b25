/**
 * Issue 15, in process: two apps over one real Redis and one sandbox. A copy one replica finds in Redis
 * is kept locally only until the expiry the calling replica gave it, and a lookup the local cache
 * answers sends Redis nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis, stopAllRedis } from '../scripts/redis-server.js';
import { until } from './live-clients.js';
import { type App, createApp } from '../src/app.js';
import { testConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSharing } from '../src/redis/index.js';
import { MAX_SHARED_RESPONSE_CHARS } from '../src/redis/response-cache.js';
import { createSandbox } from '../src/sandbox/handler.js';
import { requestPath } from '../src/upstream/endpoints.js';

const TTL_MS = 3_000;
let redis: RedisServer;
const sandbox = createSandbox();
const apps: App[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const app of apps) await app.sharing?.close();
  await stopAllRedis();
});

/** Paths the upstream answers 503 to (an outage of those resources). */
const failing = new Set<string>();
const upstream: typeof sandbox.fetch = async (input, init) =>
  [...failing].some((needle) => input.includes(needle)) ? new Response('{}', { status: 503 }) : sandbox.fetch(input, init);

function replica(profileTtlMs = TTL_MS): App {
  const base = testConfig();
  const config = {
    ...base,
    apiKey: 'knbn_shared_cache',
    cache: { ...base.cache, profileTtlMs },
    resilience: { ...base.resilience, maxRetries: 0 },
  };
  const redisConfig = { url: redis.url, timeoutMs: 2_000, keyPrefix: 'test:' };
  const logger = createLogger({ write: () => undefined });
  const app = createApp(config, {
    fetch: upstream,
    logger,
    share: (registry) => createSharing({ ...config, redis: redisConfig }, registry, logger),
  });
  apps.push(app);
  return app;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const commandsProcessed = () => Number(/total_commands_processed:(\d+)/.exec(redis.cli('info', 'stats'))![1]);

async function ready(app: App): Promise<void> {
  while (app.sharing?.state() !== 'ok' || app.sharing.link.command.status !== 'ready') await sleep(20);
}

describe('a copy read from Redis', () => {
  it('is kept locally until the caller’s expiry, not for a lifetime of its own', async () => {
    const [a, b] = [replica(), replica()];
    await Promise.all([ready(a), ready(b)]);
    const started = Date.now();
    await a.client.call('tiktokGetUser', { username: 'kept.until' });
    await sleep(1_000);
    const calls = sandbox.calls.length;
    await b.client.call('tiktokGetUser', { username: 'kept.until' });
    expect(sandbox.calls.length).toBe(calls);
    const path = requestPath('tiktokGetUser', { username: 'kept.until' });
    const copy = b.caches.get('tiktokGetUser', path)!;
    expect(copy.fresh).toBe(true);
    expect(copy.ageMs).toBeGreaterThanOrEqual(1_000);
    await sleep(started + TTL_MS + 100 - Date.now());
    expect(b.caches.get('tiktokGetUser', path)?.fresh).toBe(false);
  });

  it('covers for a failure past its lifetime on a replica that never had it (stale-if-error through Redis)', async () => {
    const [a, b] = [replica(300), replica(300)];
    await Promise.all([ready(a), ready(b)]);
    const fresh = await a.client.call('tiktokGetUser', { username: 'stale.copy' });
    await sleep(400);
    failing.add('/stale.copy');
    const stale: unknown[] = [];
    const answer = await b.client.call('tiktokGetUser', { username: 'stale.copy' }, { observer: { stale: (s) => void stale.push(s) } });
    expect(answer).toEqual(fresh);
    expect(stale).toHaveLength(1);
  });

  it('is not looked for when the local cache answers: a local hit sends Redis nothing', async () => {
    const a = replica();
    await ready(a);
    await a.client.call('tiktokGetUser', { username: 'local.hit' });
    const before = commandsProcessed();
    for (let i = 0; i < 100; i++) await a.client.call('tiktokGetUser', { username: 'local.hit' });
    // The one command counted is the INFO that reads the count.
    expect(commandsProcessed() - before).toBe(1);
  });
});

describe('what a client can make Redis hold', () => {
  it('keeps answers over the size bound out of Redis (in the replica’s memory only)', async () => {
    const a = replica();
    await ready(a);
    const cache = a.sharing!.responseCache({ maxEntries: 10, maxBytes: 16 * 1024 * 1024 });
    const small = { data: { text: 'x'.repeat(100) } };
    const large = { data: { text: 'x'.repeat(MAX_SHARED_RESPONSE_CHARS) } };
    await cache.set('small', small, [], 60_000);
    await cache.set('large', large, [], 60_000);
    await until(() => redis.cli('--scan', '--pattern', '*response:small*').trim() !== '', 'the small answer in Redis');
    expect(redis.cli('--scan', '--pattern', '*response:large*').trim()).toBe('');
    expect(await cache.get('large')).toEqual(large);
  });
});
