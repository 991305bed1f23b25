/**
 * Issue 15: without REDIS_URL nothing changes and no Redis client is loaded. The server process runs
 * with a module hook that records every module it resolves; with REDIS_URL, ioredis is among them
 * (so the check can fail), without it neither ioredis nor src/redis is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis, stopAllRedis } from '../scripts/redis-server.js';
import { startRecorded } from './import-recorder.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => stopAllRedis());

/** Starts the server with `env` until it listens, stops it, and returns the modules it resolved. */
async function modulesResolved(env: Record<string, string>): Promise<string[]> {
  const server = await startRecorded(env);
  await server.stop();
  return server.modules();
}

const redisModules = (urls: string[]) => urls.filter((url) => url.includes('/node_modules/ioredis/') || url.includes('/src/redis/'));

describe('Redis is optional', () => {
  it('loads no Redis client without REDIS_URL, and loads it with', async () => {
    const [alone, shared] = await Promise.all([modulesResolved({}), modulesResolved({ REDIS_URL: redis.url })]);
    expect(alone.some((url) => url.includes('/src/app.ts'))).toBe(true);
    expect(redisModules(alone)).toEqual([]);
    expect(redisModules(shared).some((url) => url.includes('/node_modules/ioredis/'))).toBe(true);
  }, 60_000);
});
