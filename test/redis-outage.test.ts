/**
 * Issue 15: Redis is a helper, never a single point of failure. Three replicas over one real Redis
 * that is killed mid-traffic, restarted, and frozen (SIGSTOP: connected, answering nothing): every
 * request is answered, readiness stays up and says "degraded", errors are counted, and a Redis that
 * comes back is used again without restarting anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis, stopAllRedis } from '../scripts/redis-server.js';
import { metric, until } from './live-clients.js';
import { type ServerProcess, killServers, serveSandbox, startServer } from './server-process.js';

let redis: RedisServer;
let upstream: Awaited<ReturnType<typeof serveSandbox>>;
let replicas: ServerProcess[];

beforeAll(async () => {
  redis = await startRedis();
  upstream = await serveSandbox(5);
  replicas = await Promise.all([0, 1, 2].map(() => startServer(replicaEnv())));
}, 60_000);

const replicaEnv = () => ({
  REDIS_URL: redis.url,
  REDIS_TIMEOUT_MS: '200',
  KONBINI_BASE_URL: upstream.url,
  KONBINI_API_KEY: 'knbn_outage',
  CURSOR_SECRET: 'outage',
  CLIENT_CREDITS_PER_MINUTE: '0',
});

afterAll(async () => {
  await killServers();
  await upstream?.close();
  await stopAllRedis();
});

const PROFILE = 'query Profile($u: String!) { user(username: $u) { username followerCount } }';

async function ask(replica: ServerProcess, username: string) {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PROFILE, variables: { u: username } }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
}

const readiness = async (replica: ServerProcess) => {
  const response = await fetch(`${replica.origin}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; degraded: boolean; redis?: string } };
};

const redisErrors = async (replica: ServerProcess) =>
  (await metric(replica.origin, 'tiktok_graph_redis_errors_total')) + (await metric(replica.origin, 'tiktok_graph_redis_skipped_total'));

const callsFor = (needle: string) => upstream.sandbox.calls.filter((c) => c.path.includes(needle)).length;

describe('Redis failing under three replicas', () => {
  it('loses no request when Redis is killed mid-traffic, and uses it again once restarted', async () => {
    for (const replica of replicas) expect((await readiness(replica)).body.redis).toBe('ok');
    let sent = 0;
    const failures: unknown[] = [];
    const traffic = async (lane: number) => {
      for (let i = 0; i < 40; i++) {
        const n = sent++;
        const { status, body } = await ask(replicas[n % 3]!, `outage.user${lane}x${i % 12}`);
        if (status !== 200 || body.errors || !body.data?.user?.username) failures.push({ n, status, body });
      }
    };
    const lanes = Promise.all([0, 1, 2, 3].map(traffic));
    await until(async () => sent >= 40, 'halfway');
    await redis.kill();
    await lanes;
    expect(sent).toBe(160);
    expect(failures).toEqual([]);
    // Ready all along, and saying why it is degraded.
    for (const replica of replicas) {
      const { status, body } = await readiness(replica);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ready', degraded: true, redis: 'degraded' });
      expect(await redisErrors(replica)).toBeGreaterThan(0);
    }

    await redis.restart();
    for (const replica of replicas) await until(async () => (await readiness(replica)).body.redis === 'ok', 'using Redis again');
    for (let i = 0; i < 9; i++) expect((await ask(replicas[i % 3]!, 'outage.after')).body.data.user.username).toBe('outage.after');
    expect(callsFor('/outage.after')).toBe(1);
  }, 60_000);

  it('lets a waiter take over when the replica holding a call’s lock dies', async () => {
    const sandboxFetch = upstream.sandbox.fetch;
    let arrived = 0;
    let hold = true;
    upstream.sandbox.fetch = async (input, init) => {
      if (!input.includes('/lost.holder')) return sandboxFetch(input, init);
      arrived += 1;
      // The first call never answers (its replica dies waiting); the next one does.
      if (hold) {
        hold = false;
        return new Promise<Response>(() => undefined);
      }
      return sandboxFetch(input, init);
    };
    try {
      const victim = await startServer({ ...replicaEnv(), UPSTREAM_TIMEOUT_MS: '60000' });
      void ask(victim, 'lost.holder').catch(() => undefined);
      await until(async () => arrived === 1, 'called by the first replica');
      const waiting = ask(replicas[1]!, 'lost.holder');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await victim.kill();
      const { body } = await waiting;
      expect(body.data.user.username).toBe('lost.holder');
      expect(arrived).toBe(2);
    } finally {
      upstream.sandbox.fetch = sandboxFetch;
    }
  }, 60_000);

  it('answers every request while Redis is frozen, degraded but ready, then shares again when it thaws', async () => {
    redis.freeze();
    try {
      for (let i = 0; i < 12; i++) {
        const { status, body } = await ask(replicas[i % 3]!, `frozen.user${i % 4}`);
        expect(status).toBe(200);
        expect(body.data.user.username).toBe(`frozen.user${i % 4}`);
      }
      // Each replica gave up on Redis after its first timeouts (its breaker on Redis opened).
      for (const replica of replicas) expect((await readiness(replica)).body).toMatchObject({ status: 'ready', redis: 'degraded' });
    } finally {
      redis.thaw();
    }
    for (const replica of replicas) await until(async () => (await readiness(replica)).body.redis === 'ok', 'using Redis again');
    for (let i = 0; i < 9; i++) expect((await ask(replicas[i % 3]!, 'thawed.user')).body.data.user.username).toBe('thawed.user');
    expect(callsFor('/thawed.user')).toBe(1);
  }, 60_000);
});
