/**
 * Many distinct users through the cross-request cache: the cache's bytes stay under its bound, and
 * once it is full the heap stops growing (measured between the half-way mark and the end).
 */
import { createApp } from '../src/app.js';
import { DEFAULT_CACHE, testConfig } from '../src/config.js';
import { createSandbox } from '../src/sandbox/handler.js';

export interface MemoryResult {
  users: number;
  boundBytes: number;
  cacheBytes: number;
  /** Heap after the first half of the users, and after all of them (after a GC each). */
  heapAtHalf: number;
  heapAtEnd: number;
}

const BATCH = 250;

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export async function memoryRun(users: number, boundBytes = DEFAULT_CACHE.maxBytes): Promise<MemoryResult> {
  const sandbox = createSandbox();
  const config = testConfig({ cache: { ...DEFAULT_CACHE, maxBytes: boundBytes } });
  const { client, caches } = createApp(config, { fetch: sandbox.fetch });
  const pass = async (from: number, to: number) => {
    for (let i = from; i < to; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, to - i) }, (_, j) => client.call('tiktokGetUser', { username: `distinct_user_${i + j}` })));
      sandbox.calls.length = 0;
    }
  };
  const half = Math.floor(users / 2);
  await pass(0, half);
  const heapAtHalf = heapAfterGc();
  await pass(half, users);
  const heapAtEnd = heapAfterGc();
  return { users, boundBytes, cacheBytes: caches.sizes().user, heapAtHalf, heapAtEnd };
}
