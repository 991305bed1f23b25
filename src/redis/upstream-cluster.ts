/**
 * The upstream shared through Redis (see src/upstream/cluster.ts):
 * - answers (billed 404s too) under `answer:<request path>`, kept for their lifetime and stale grace;
 * - a distributed single-flight: the replica that sets `lock:<path>` (NX, for `lockMs`) calls; the
 *   others wait for its `landed` message, then read its answer, or receive its failure; a holder that
 *   vanished never blocks anyone past its lock: the lock lapses and a waiter takes over;
 * - the account lockout (`account` key and message) and open circuits (`circuit` message).
 * Every step is guarded: with Redis slow or down, the replica calls on its own at once.
 */
import { randomUUID } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import type { CacheConfig } from '../config.js';
import { type CacheEntry, type Remaining, lifetimeOf } from '../upstream/cache.js';
import type { ClusterMember, UpstreamCluster } from '../upstream/cluster.js';
import { ENDPOINTS, type Endpoint, type OperationId } from '../upstream/endpoints.js';
import { LocalRefusal, UpstreamError } from '../upstream/errors.js';
import type { RedisLink } from './connection.js';
import { type SharedCopy, decodeCopy, decodeError, encodeCopy, encodeError } from './entry-codec.js';

interface Landed {
  path: string;
  error?: ReturnType<typeof encodeError>;
}

/**
 * A waiter looks again (for the answer, or for a lapsed lock) at least this often, so that a `landed`
 * message lost with Redis trouble costs it a fraction of a second, not the lease.
 */
const WAIT_SLICE_MS = 250;
/** How long a lookup with no deadline of its own waits for the cluster before calling on its own. */
const DEFAULT_WAIT_MS = 30_000;
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const LOCAL_REFUSALS = new Set<string>(Object.values(LocalRefusal));

/** Whether a copy may answer: fresh, and young enough for the lookup. */
const usable = (left: Remaining, maxAgeMs: number | undefined) => left.freshMs > 0 && (maxAgeMs === undefined || left.ageMs < maxAgeMs);

/** Waits for the `landed` messages of one path (those that arrive between two waits are kept). */
class Landing {
  private heard: Landed | undefined;
  private wake: ((landed: Landed | undefined) => void) | undefined;

  hear(landed: Landed): void {
    if (this.wake) this.wake(landed);
    else this.heard = landed;
  }

  /** The next message, or undefined after `ms`. */
  next(ms: number): Promise<Landed | undefined> {
    if (this.heard) {
      const heard = this.heard;
      this.heard = undefined;
      return Promise.resolve(heard);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.wake = undefined;
          resolve(undefined);
        },
        Math.max(1, ms),
      );
      this.wake = (landed) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(landed);
      };
    });
  }
}

/**
 * `lockMs` is the lease of a call's lock: its holder renews it while the call runs, so a holder that
 * vanished (killed, cut off from Redis) holds the others back for at most that long.
 */
export function createUpstreamCluster(link: RedisLink, cache: CacheConfig, staleGraceMs: number, lockMs: number, registry: Registry): UpstreamCluster {
  const replica = randomUUID();
  const lookups = new Counter({
    name: 'tiktok_graph_shared_lookups_total',
    help: 'Lookups missed by the local cache, by how the cluster answered: copy (found in Redis), awaited (another replica called), called (this one called for all), alone (without Redis).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const counted = <T>(outcome: 'copy' | 'awaited' | 'called' | 'alone', value: T): T => {
    lookups.inc({ outcome });
    return value;
  };
  const { command, guard } = link;
  const landings = new Map<string, Set<Landing>>();
  let member: ClusterMember | undefined;

  link.listen('landed', (message) => {
    const landed = message as Landed;
    if (typeof landed?.path !== 'string') return;
    for (const landing of landings.get(landed.path) ?? []) landing.hear(landed);
  });
  link.listen('account', (message) => {
    const { from, error, forMs } = message as { from: string; error: ReturnType<typeof encodeError>; forMs: number };
    if (from !== replica && error && typeof forMs === 'number') member?.lockOut(decodeError(error), forMs);
  });
  link.listen('circuit', (message) => {
    const { from, endpoint } = message as { from: string; endpoint: Endpoint };
    if (from !== replica && (ENDPOINTS as readonly string[]).includes(endpoint)) member?.openCircuit(endpoint);
  });
  // A replica that (re)connects learns of a lockout still running.
  link.onReady(() => void readLockout());

  async function readLockout(): Promise<void> {
    const found = await guard.run('account_get', () => command.multi().get(link.key('account')).pttl(link.key('account')).exec());
    const text = found?.[0]?.[1];
    const forMs = found?.[1]?.[1];
    if (typeof text === 'string' && typeof forMs === 'number' && forMs > 0) member?.lockOut(decodeError(JSON.parse(text)), forMs);
  }

  const answerKey = (path: string) => link.key('answer', path);
  const lockKey = (path: string) => link.key('lock', path);

  async function read(path: string): Promise<SharedCopy | undefined> {
    const text = await guard.run('cache_get', () => command.get(answerKey(path)));
    return typeof text === 'string' ? decodeCopy(text) : undefined;
  }

  async function write(operation: OperationId, path: string, entry: CacheEntry): Promise<void> {
    const { freshMs, keepMs } = lifetimeOf(cache, staleGraceMs, operation, entry);
    if (freshMs <= 0) return;
    const now = Date.now();
    const text = encodeCopy({ entry, storedAt: now, freshUntil: now + freshMs });
    await guard.run('cache_set', () => command.set(answerKey(path), text, 'PX', keepMs));
  }

  /** 'won', the lock's remaining milliseconds when another replica holds it, or undefined without Redis. */
  async function lock(path: string, token: string): Promise<'won' | number | undefined> {
    const replies = await guard.run('lock', () => command.multi().set(lockKey(path), token, 'PX', lockMs, 'NX').pttl(lockKey(path)).exec());
    if (!replies) return undefined;
    if (replies[0]?.[1] === 'OK') return 'won';
    const left = replies[1]?.[1];
    return typeof left === 'number' && left > 0 ? left : 1;
  }

  /** What is left of a copy's lifetime, as the replica that stored it set it. */
  const left = (operation: OperationId, copy: SharedCopy): Remaining => {
    const now = Date.now();
    const { keepMs } = lifetimeOf(cache, staleGraceMs, operation, copy.entry);
    return { freshMs: copy.freshUntil - now, keepMs: copy.storedAt + keepMs - now, ageMs: now - copy.storedAt };
  };

  return {
    join(joining) {
      member = joining;
      // Not connected yet: the 'ready' handler reads it.
      if (guard.available()) void readLockout();
    },

    async load(operation, path, call, { deadlineAt, maxAgeMs }, keepStale) {
      if (!guard.available()) return counted('alone', { entry: await call() });
      const landing = new Landing();
      const waiting = landings.get(path) ?? new Set();
      landings.set(path, waiting.add(landing));
      const token = randomUUID();
      const giveUpAt = deadlineAt ?? Date.now() + DEFAULT_WAIT_MS;
      try {
        // Redis is read first and after each `landed` message; a slice that ends without one only tries the
        // lock (the holder still holds it; or it lapsed, and its winner reads once more in `lead`).
        let look = true;
        for (let round = 0; Date.now() < giveUpAt; round++) {
          const copy = look ? await read(path) : undefined;
          if (copy) {
            const remaining = left(operation, copy);
            if (usable(remaining, maxAgeMs)) return counted(round === 0 ? 'copy' : 'awaited', { entry: copy.entry, left: remaining });
            keepStale(copy.entry, remaining);
          }
          const held = await lock(path, token);
          if (held === undefined) break;
          if (held === 'won') return counted('called', await lead(operation, path, call, token, maxAgeMs));
          const landed = await landing.next(Math.min(held, WAIT_SLICE_MS, giveUpAt - Date.now()));
          if (landed?.error) throw counted('awaited', decodeError(landed.error));
          look = landed !== undefined;
        }
        return counted('alone', { entry: await call() });
      } finally {
        waiting.delete(landing);
        if (waiting.size === 0) landings.delete(path);
      }
    },

    accountLockedOut(error, forMs) {
      const fields = encodeError(error);
      void guard.run('account_set', () => command.set(link.key('account'), JSON.stringify(fields), 'PX', forMs));
      void link.publish('account', { from: replica, error: fields, forMs });
    },

    circuitOpened(endpoint) {
      void link.publish('circuit', { from: replica, endpoint });
    },
  };

  /** As the cluster's one caller: look once more (it may have landed meanwhile), call, store, release, tell. */
  async function lead(operation: OperationId, path: string, call: () => Promise<CacheEntry>, token: string, maxAgeMs: number | undefined) {
    const release = () => guard.run('unlock', () => command.eval(RELEASE, 1, lockKey(path), token));
    const copy = await read(path);
    const remaining = copy && left(operation, copy);
    if (copy && remaining && usable(remaining, maxAgeMs)) {
      await release();
      return { entry: copy.entry, left: remaining };
    }
    const lease = setInterval(() => void guard.run('lock_extend', () => command.eval(EXTEND, 1, lockKey(path), token, lockMs)), lockMs / 3);
    try {
      const entry = await call();
      clearInterval(lease);
      await write(operation, path, entry);
      await release();
      void link.publish('landed', { path } satisfies Landed);
      return { entry };
    } catch (error) {
      clearInterval(lease);
      await release();
      // A refusal of this replica's own (its operation left, its queue is full) is no answer for the others: they call.
      const shared = error instanceof UpstreamError && !LOCAL_REFUSALS.has(error.upstreamCode ?? '') && error.failure !== 'budget_exceeded';
      void link.publish('landed', shared ? { path, error: encodeError(error) } : { path });
      throw error;
    }
  }
}
