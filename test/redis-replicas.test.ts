/**
 * Issue 15: three replica processes and one real Redis (`redis-server`, started on a free port) in
 * front of one sandbox upstream. Every figure is an exact count of upstream calls the sandbox received.
 * Each test asks for its own users and comes from its own address (TRUST_PROXY), so that caches and
 * budgets of one test never answer for another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedis, stopAllRedis } from '../scripts/redis-server.js';
import { type ServerProcess, killServers, serveSandbox, startServer } from './server-process.js';

const API_KEY = 'knbn_cluster_secret_4f1b9c';
const BUDGET = 30;
const RATE = 60;
const COOLDOWN_MS = 1_500;

let redis: RedisServer;
let upstream: Awaited<ReturnType<typeof serveSandbox>>;
let replicas: ServerProcess[];

const env = () => ({
  REDIS_URL: redis.url,
  // Generous for a loaded test machine: a timed-out Redis step makes an extra call, and the counts here are exact.
  REDIS_TIMEOUT_MS: '2000',
  KONBINI_BASE_URL: upstream.url,
  KONBINI_API_KEY: API_KEY,
  CURSOR_SECRET: 'cluster-cursor-secret',
  TRUST_PROXY: 'x-forwarded-for',
  CLIENT_CREDITS_PER_MINUTE: String(BUDGET),
  RATE_LIMIT_PER_MINUTE: String(RATE),
  ACCOUNT_COOLDOWN_MS: String(COOLDOWN_MS),
  // One attempt per call, so that a shared failure is exactly one call.
  UPSTREAM_MAX_RETRIES: '0',
  // A circuit that opens after 5 failed calls over 3 users (the first test), for 1.5 s.
  BREAKER_MIN_CALLS: '5',
  BREAKER_MIN_RESOURCES: '3',
  BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
});

beforeAll(async () => {
  redis = await startRedis();
  upstream = await serveSandbox(30);
  replicas = await Promise.all([0, 1, 2].map(() => startServer(env())));
}, 60_000);

afterAll(async () => {
  await killServers();
  await upstream?.close();
  await stopAllRedis();
});

/** POSTs to one replica as client `address`. */
async function ask(replica: ServerProcess, address: string, query: string, variables: Record<string, unknown> = {}, extensions?: unknown) {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query, variables, extensions }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: any };
}

const PROFILE = 'query Profile($u: String!) { user(username: $u) { username followerCount } }';
const callsFor = (needle: string) => upstream.sandbox.calls.filter((c) => c.path.includes(needle)).length;
const codesOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);

describe('three replicas over one Redis', () => {
  // First, so that no earlier answer sits in replica 0's breaker window.
  it('opens a circuit on every replica when it opens on one, and they make no call meanwhile', async () => {
    const sandboxFetch = upstream.sandbox.fetch;
    let calls = 0;
    upstream.sandbox.fetch = async (input, init) => {
      if (!input.includes('/circuit.')) return sandboxFetch(input, init);
      calls += 1;
      return new Response('{}', { status: 503, headers: { 'content-type': 'application/json' } });
    };
    try {
      for (let i = 0; i < 5; i++) {
        expect(codesOf(await ask(replicas[0]!, '10.0.1.13', PROFILE, { u: `circuit.a${i}` }))).toEqual(['UPSTREAM_UNAVAILABLE']);
      }
      expect(calls).toBe(5);
      for (const replica of replicas.slice(1)) {
        const body = await ask(replica, '10.0.1.13', PROFILE, { u: 'circuit.b' });
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'circuit_open' });
        const ready = (await (await fetch(`${replica.origin}/readyz`)).json()) as any;
        expect(ready).toMatchObject({ status: 'ready', degraded: true });
        expect(Object.values(ready.circuits)).toContain('open');
      }
      expect(calls).toBe(5);
    } finally {
      upstream.sandbox.fetch = sandboxFetch;
    }
    // Every circuit closed again before the other tests run: past its cooldown, a call probes it (and a
    // probe that fails, as one of the tests below makes a call fail, would open it for everyone again).
    for (const [i, replica] of replicas.entries()) {
      for (;;) {
        const ready = (await (await fetch(`${replica.origin}/readyz`)).json()) as any;
        if (!Object.values(ready.circuits).includes('open')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await ask(replica, '10.0.1.13', PROFILE, { u: `circuit.probe${i}` })).errors).toBeUndefined();
      const ready = (await (await fetch(`${replica.origin}/readyz`)).json()) as any;
      expect(Object.values(ready.circuits).every((state) => state === 'closed')).toBe(true);
    }
  });

  it('answers one user asked round-robin 30 times with 1 upstream call', async () => {
    for (let i = 0; i < 30; i++) {
      const body = await ask(replicas[i % 3]!, '10.0.1.1', PROFILE, { u: 'round.robin' });
      expect(body.errors).toBeUndefined();
      expect(body.data.user.username).toBe('round.robin');
    }
    expect(callsFor('/round.robin')).toBe(1);
  });

  it('makes 1 call for 20 concurrent cold requests spread over the 3', async () => {
    const bodies = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(replicas[i % 3]!, '10.0.1.2', PROFILE, { u: 'cold.crowd' })));
    for (const body of bodies) expect(body.data.user.username).toBe('cold.crowd');
    expect(callsFor('/cold.crowd')).toBe(1);
  });

  it('bills a 404 once for the cluster, and each replica answers NOT_FOUND', async () => {
    for (const replica of replicas) {
      const body = await ask(replica, '10.0.1.3', PROFILE, { u: 'missing_cluster' });
      expect(body.data.user).toBeNull();
      expect(codesOf(body)).toEqual(['NOT_FOUND']);
    }
    expect(callsFor('/missing_cluster')).toBe(1);
  });

  it('shares upstream answers, not only responses: three documents about one user cost 1 call', async () => {
    const fields = ['username', 'followerCount', 'displayName'];
    for (const [i, field] of fields.entries()) {
      const body = await ask(replicas[i]!, '10.0.1.10', `{ user(username: "three.documents") { ${field} } }`);
      expect(body.errors).toBeUndefined();
      expect(body.data.user[field]).toBeDefined();
    }
    expect(callsFor('/three.documents')).toBe(1);
  });

  it('keeps a repaired body’s contract marks through Redis: the same field fails on the replica that read the copy', async () => {
    const first = await ask(replicas[0]!, '10.0.1.11', '{ user(username: "nameless") { followerCount } }');
    expect(first.errors).toBeUndefined();
    const second = await ask(replicas[1]!, '10.0.1.11', '{ user(username: "nameless") { displayName followerCount } }');
    expect(second.data.user.followerCount).toBe(first.data.user.followerCount);
    expect(second.data.user.displayName).toBeNull();
    expect(codesOf(second)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(callsFor('/nameless')).toBe(1);
  });

  it('gives the callers waiting on other replicas the failure of the one call, rather than calling again', async () => {
    const sandboxFetch = upstream.sandbox.fetch;
    let calls = 0;
    upstream.sandbox.fetch = async (input, init) => {
      if (!input.includes('/failing.together')) return sandboxFetch(input, init);
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 400));
      return new Response(JSON.stringify({ error: { code: 'internal_error', message: 'down' } }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    };
    try {
      const bodies = await Promise.all(replicas.map((replica) => ask(replica, '10.0.1.12', PROFILE, { u: 'failing.together' })));
      for (const body of bodies) expect(codesOf(body)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(calls).toBe(1);
    } finally {
      upstream.sandbox.fetch = sandboxFetch;
    }
  });

  it('resumes a cursor issued by one replica on another', async () => {
    const PAGE =
      'query Page($u: String!, $after: String) { user(username: $u) { videos(first: 3, after: $after) { nodes { videoId } pageInfo { endCursor hasNextPage } } } }';
    const first = await ask(replicas[0]!, '10.0.1.4', PAGE, { u: 'cursor.hop' });
    const { endCursor } = first.data.user.videos.pageInfo;
    const second = await ask(replicas[1]!, '10.0.1.4', PAGE, { u: 'cursor.hop', after: endCursor });
    expect(second.errors).toBeUndefined();
    // The same walk on one replica gives the same second page.
    const alone = await ask(replicas[0]!, '10.0.1.4', PAGE, { u: 'cursor.hop', after: endCursor });
    expect(second.data.user.videos.nodes).toEqual(alone.data.user.videos.nodes);
    expect(second.data.user.videos.nodes).not.toEqual(first.data.user.videos.nodes);
  });

  it('serves an answer cached by one replica from another, without executing it', async () => {
    const query = '{ user(username: "response.shared") { username displayName } }';
    const first = await ask(replicas[0]!, '10.0.1.5', query);
    expect(first.data.user.username).toBe('response.shared');
    const cachedBefore = await responseCacheHits(replicas[2]!);
    const second = await ask(replicas[2]!, '10.0.1.5', query);
    // The same answer (its `extensions.upstream` is this request's own: nothing spent).
    expect(second.data).toEqual(first.data);
    expect(second.extensions.upstream.requests).toBe(0);
    expect(await responseCacheHits(replicas[2]!)).toBe(cachedBefore + 1);
  });

  it('runs a persisted query registered on one replica by its hash on the others', async () => {
    const { createHash } = await import('node:crypto');
    const query = '{ user(username: "apq.shared") { username } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const registered = await ask(replicas[0]!, '10.0.1.6', query, {}, { persistedQuery });
    expect(registered.data.user.username).toBe('apq.shared');
    for (const replica of replicas.slice(1)) {
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.1.6' },
        body: JSON.stringify({ extensions: { persistedQuery } }),
      });
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.user.username).toBe('apq.shared');
    }
  });

  it('holds a per-client credit budget across replicas', async () => {
    // Each new user costs 1 credit; the client's 30 a minute are spent over the three replicas.
    for (let i = 0; i < BUDGET; i++) {
      const body = await ask(replicas[i % 3]!, '10.0.1.7', PROFILE, { u: `budget.user${i}` });
      expect(body.errors).toBeUndefined();
    }
    for (const replica of replicas) {
      const refused = await ask(replica, '10.0.1.7', PROFILE, { u: 'budget.over' });
      expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    }
    expect(callsFor('/budget.over')).toBe(0);
    // Another client is not affected.
    expect((await ask(replicas[0]!, '10.0.1.8', PROFILE, { u: 'budget.other' })).errors).toBeUndefined();
  });

  it('holds a per-client rate limit across replicas', async () => {
    const query = '{ user(username: "rate.limited") { username } }';
    for (let i = 0; i < RATE; i++) expect((await ask(replicas[i % 3]!, '10.0.1.14', query)).errors).toBeUndefined();
    for (const replica of replicas) expect(codesOf(await ask(replica, '10.0.1.14', query))).toEqual(['RATE_LIMITED']);
    expect((await ask(replicas[1]!, '10.0.1.15', query)).errors).toBeUndefined();
  });

  it('keeps no API key in Redis', () => {
    const keys = redis.cli('--scan').split('\n').filter(Boolean);
    expect(keys.length).toBeGreaterThan(10);
    const dump = redis.cli({ input: keys.map((key) => `DUMP "${key}"\n`).join('') });
    expect(dump).not.toContain(API_KEY);
    expect(dump).not.toContain('cluster_secret');
  });

  it('pauses every replica after a 402 on one, with no call, until the cooldown ends', async () => {
    const saved = upstream.sandbox.creditsRemaining;
    upstream.sandbox.creditsRemaining = 0;
    const first = await ask(replicas[0]!, '10.0.1.9', PROFILE, { u: 'broke.first' });
    expect(codesOf(first)).toEqual(['CREDITS_EXHAUSTED']);
    upstream.sandbox.creditsRemaining = saved;
    const calls = upstream.sandbox.calls.length;
    for (const [i, replica] of replicas.slice(1).entries()) {
      const body = await ask(replica, '10.0.1.9', PROFILE, { u: `broke.other${i}` });
      expect(codesOf(body)).toEqual(['CREDITS_EXHAUSTED']);
    }
    expect(upstream.sandbox.calls.length).toBe(calls);
    // Readiness stays up for a shared state, and says it is degraded.
    const ready = (await (await fetch(`${replicas[1]!.origin}/readyz`)).json()) as any;
    expect(ready.status).toBe('ready');
    expect(ready.account.usable).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 100));
    expect((await ask(replicas[2]!, '10.0.1.9', PROFILE, { u: 'broke.after' })).errors).toBeUndefined();
  });
});

async function responseCacheHits(replica: ServerProcess): Promise<number> {
  const text = await (await fetch(`${replica.origin}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('graphql_operations_total{') && line.includes('outcome="cached"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
