/**
 * The scale-out section of the benchmark (issue 15): replicas sharing through one real Redis
 * (`redis-server`, started on a free port) against independent replicas.
 *  1. One mixed workload (profiles, stories pages, videos pages walked by cursor across replicas, crowds
 *     of concurrent cold requests for one user; repeats and first-time lookups; deterministic) sent
 *     round-robin to 3 replicas over one Redis, to 3 independent replicas, and to 1 process alone, each
 *     system compiled (as `npm start` runs it) and in front of a sandbox of its own, in rounds: the
 *     upstream calls each made (the sandbox's log) against the single process's, latency and CPU.
 *  2. In-process, two apps over that Redis: the Redis commands a local LRU hit sends (none is the goal)
 *     and the time a Redis hit (an answer another replica fetched) adds to a local hit, next to a bare
 *     GET on the same connection (the loopback round trip alone).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createApp } from '../src/app.js';
import { type RedisConfig, testConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSharing } from '../src/redis/index.js';
import { createSandbox } from '../src/sandbox/handler.js';
import { type RedisServer, startRedis, stopAllRedis } from '../scripts/redis-server.js';
import { freePort, pinning } from './processes.js';
import { startSandbox } from './servers.js';
import { quantile } from './throughput.js';

/** One run of the workload against one system, started cold (then warmed) for it. */
interface Round {
  latencies: number[];
  /** GraphQL errors in the answers (none expected: every user of the workload exists). */
  errors: number;
  /** Upstream calls the system's sandbox received, and how many distinct requests they were. */
  calls: number;
  distinctCalls: number;
  wallMs: number;
  /** CPU time of the system's processes during the workload (all on one core), in ms. */
  cpuMs: number;
  /** Redis steps that failed or were skipped, by operation (the replicas' /metrics); each may have cost a call or a wait. */
  redisErrors: Record<string, number>;
  redisSkipped: Record<string, number>;
}

/** A system over every round: calls, distinct calls, wall and CPU per round; latency over all its requests. */
export interface ScaleOutSystem {
  name: string;
  replicas: number;
  shared: boolean;
  /** Requests per round. */
  requests: number;
  errors: number;
  calls: number[];
  distinctCalls: number[];
  p50Ms: number;
  p99Ms: number;
  wallMs: number[];
  cpuMs: number[];
  redisErrors: Record<string, number>;
  redisSkipped: Record<string, number>;
}

export interface Timing {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface HitCost {
  lookups: number;
  /** Redis commands processed while app A answered every lookup from its own LRU. */
  localHitCommands: number;
  /** Redis commands per lookup while app B found A's answers in Redis. */
  commandsPerRedisHit: number;
  /** Upstream calls made while B answered from Redis (none expected). */
  redisHitCalls: number;
  local: Timing;
  redis: Timing;
  /** A bare GET (of a missing key) on B's Redis connection: the loopback round trip alone. */
  bareGet: Timing;
}

export interface ScaleOutResult {
  /** The machine's 1-minute load average when the section started and ended, and its cores. */
  load: [number, number];
  cores: number;
  latencyMs: number;
  rounds: number;
  /** Requests each process answered (about other users) before the measured workload. */
  warmUp: number;
  users: number;
  concurrency: number;
  systems: ScaleOutSystem[];
  hit: HitCost;
  seconds: number;
}

const LATENCY_MS = 20;
/** Requests per process before the workload (a quarter each of profiles and stories, half of videos pages). */
const WARM_UP = 40;
const CURSOR_SECRET = 'bench-scale-out-cursor-secret';
const PROFILE = 'query Profile($u: String!) { user(username: $u) { displayName followerCount likeCount } }';
const STORIES = 'query Stories($u: String!) { user(username: $u) { displayName stories(first: 10) { nodes { storyId } pageInfo { endCursor hasNextPage } } } }';
// Pages of 25 over upstream pages of 35: the second page needs the second upstream page too.
const VIDEOS =
  'query Videos($u: String!, $after: String) { user(username: $u) { videos(first: 25, after: $after) { nodes { videoId } pageInfo { endCursor hasNextPage } } } }';

/** One visit of the workload: a profile, a profile with its stories, two pages of videos, or a crowd. */
type Visit = { kind: 'profile' | 'stories' | 'videos'; username: string } | { kind: 'crowd'; username: string; size: number };

/** A small deterministic PRNG (mulberry32), so that every system gets the very same workload. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `visits` visits over `users` users: half of them about the 8 most popular users (repeats), the rest
 * spread over all (first-time lookups and repeats); every 40th visit a crowd of 6 concurrent requests
 * for a user nobody asked for yet.
 */
function workload(visits: number, users: number): Visit[] {
  const next = random(15);
  const pick = (n: number) => Math.floor(next() * n);
  return Array.from({ length: visits }, (_, i): Visit => {
    if (i % 40 === 20) return { kind: 'crowd', username: `scale_crowd_${i}`, size: 6 };
    const username = `scale_user_${next() < 0.5 ? pick(8) : pick(users)}`;
    const roll = next();
    return { kind: roll < 0.55 ? 'profile' : roll < 0.8 ? 'stories' : 'videos', username };
  });
}

interface Replica {
  url: string;
  origin: string;
  /** CPU time the process has used so far (user + system, /proc/<pid>/stat), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** The compiled server (`dist/server.js`, built by the benchmark) on core 0 with the benchmark's pinning. */
async function startReplica(upstreamUrl: string, redisUrl: string | undefined): Promise<Replica> {
  const port = await freePort();
  const argv = [process.execPath, '--import', './scripts/server-flags.mjs', 'dist/server.js'];
  const [file, ...args] = pinning ? ['taskset', '-c', pinning.systemCpu, ...argv] : argv;
  const child: ChildProcess = spawn(file!, args, {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      KONBINI_BASE_URL: upstreamUrl,
      KONBINI_API_KEY: 'knbn_bench',
      LOG_LEVEL: 'warn',
      // One load generator is one client: its credit budget would measure the budget, not the sharing.
      CLIENT_CREDITS_PER_MINUTE: '0',
      CURSOR_SECRET,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (exited()) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  };
  for (let i = 0; ; i++) {
    if (exited() || i === 300) {
      await stop();
      throw new Error(`a replica did not start (${child.exitCode ?? child.signalCode ?? 'no answer in 30 s'})`);
    }
    // Not /readyz: its probe calls the upstream, and calls are what is counted. With Redis, ready once connected.
    const metrics = await fetch(`${origin}/metrics`).then(
      (r) => (r.ok ? r.text() : undefined),
      () => undefined,
    );
    if (metrics !== undefined && (!redisUrl || /^tiktok_graph_redis_up 1$/m.test(metrics))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cpuSeconds = () => {
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the parenthesised name, in clock ticks.
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  return { url: `${origin}/graphql`, origin, cpuSeconds, stop };
}

/** A counter labelled by `operation`, summed over `replicas`' /metrics. */
async function byOperation(replicas: Replica[], name: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const replica of replicas) {
    const text = await (await fetch(`${replica.origin}/metrics`)).text();
    for (const [, operation, value] of text.matchAll(new RegExp(`^${name}\\{operation="([^"]+)"\\} (\\S+)$`, 'gm'))) {
      counts[operation!] = (counts[operation!] ?? 0) + Number(value);
    }
  }
  return counts;
}

/** `after - before` per key, without the keys that did not change. */
function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).flatMap(([key, n]) => (n - (before[key] ?? 0) > 0 ? [[key, n - (before[key] ?? 0)]] : [])));
}

/** Runs the workload against `replicas`, each request to the next replica in turn, `concurrency` visits at once. */
async function drive(replicas: Replica[], visits: Visit[], concurrency: number) {
  const latencies: number[] = [];
  let errors = 0;
  let turn = 0;
  const post = async (query: string, variables: Record<string, unknown>) => {
    const replica = replicas[turn++ % replicas.length]!;
    const started = performance.now();
    const response = await fetch(replica.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    latencies.push(performance.now() - started);
    errors += body.errors?.length ?? (response.ok ? 0 : 1);
    return body;
  };
  const visit = async (v: Visit) => {
    if (v.kind === 'crowd') {
      await Promise.all(Array.from({ length: v.size }, () => post(PROFILE, { u: v.username })));
    } else if (v.kind === 'videos') {
      // The second page from whichever replica comes next: the cursor resumes anywhere.
      const first = await post(VIDEOS, { u: v.username });
      const after = first.data?.user?.videos?.pageInfo?.endCursor;
      if (after) await post(VIDEOS, { u: v.username, after });
    } else {
      await post(v.kind === 'profile' ? PROFILE : STORIES, { u: v.username });
    }
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < visits.length) await visit(visits[next++]!);
    }),
  );
  return { latencies, errors, wallMs: performance.now() - started };
}

/** One system: its replicas in front of a fresh sandbox, the workload, the sandbox's count of calls. */
async function measureRound(count: number, redis: RedisServer | undefined, visits: Visit[], concurrency: number): Promise<Round> {
  const upstream = await startSandbox(LATENCY_MS);
  const replicas: Replica[] = [];
  try {
    // One at a time: started together, three Node processes on one core take longer than one after another.
    for (let i = 0; i < count; i++) replicas.push(await startReplica(upstream.url, redis?.url));
    // Warm each process's code on users the workload never asks for; their calls are not counted.
    for (const [i, replica] of replicas.entries()) {
      const warm = Array.from({ length: WARM_UP / 4 }, (_, k): Visit[] => [
        { kind: 'profile', username: `warm_${i}_${k}` },
        { kind: 'stories', username: `warm_${i}_${k}` },
        { kind: 'videos', username: `warm_${i}_${k}` },
      ]).flat();
      await drive([replica], warm, 2);
    }
    const warmCalls = upstream.sandbox.calls.length;
    const cpu = () => replicas.reduce((sum, r) => sum + r.cpuSeconds(), 0);
    const redisSteps = async () =>
      redis
        ? { errors: await byOperation(replicas, 'tiktok_graph_redis_errors_total'), skipped: await byOperation(replicas, 'tiktok_graph_redis_skipped_total') }
        : { errors: {}, skipped: {} };
    const stepsBefore = await redisSteps();
    const cpuBefore = cpu();
    const run = await drive(replicas, visits, concurrency);
    const cpuMs = (cpu() - cpuBefore) * 1000;
    const stepsAfter = await redisSteps();
    const calls = upstream.sandbox.calls.slice(warmCalls);
    return {
      latencies: run.latencies,
      errors: run.errors,
      calls: calls.length,
      distinctCalls: new Set(calls.map((c) => c.path)).size,
      wallMs: run.wallMs,
      cpuMs,
      redisErrors: difference(stepsAfter.errors, stepsBefore.errors),
      redisSkipped: difference(stepsAfter.skipped, stepsBefore.skipped),
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream.close();
  }
}

/** Redis's count of commands processed so far (INFO itself is counted once it has answered). */
const commandsProcessed = (redis: RedisServer) => Number(/total_commands_processed:(\d+)/.exec(redis.cli('INFO', 'stats'))?.[1] ?? NaN);

/**
 * Two apps in this process over `redis` and one sandbox `fetch`: A fetches `lookups` profiles (so they
 * are in its LRU and in Redis), then answers them again from its LRU while Redis counts commands; then,
 * lookup by lookup, a local hit on A and a Redis hit on B (which never saw the profile) are timed.
 */
async function hitCost(redis: RedisServer, lookups: number): Promise<HitCost> {
  const sandbox = createSandbox();
  const logger = createLogger(undefined, 'warn');
  const redisConfig: RedisConfig = { url: redis.url, timeoutMs: 100, keyPrefix: 'bench-hit-cost:' };
  const config = testConfig({ mode: 'upstream', upstreamBaseUrl: 'https://sandbox.konbiniapi.local', apiKey: 'knbn_bench', redis: redisConfig });
  const appFor = () =>
    createApp(config, { fetch: sandbox.fetch, logger, share: (registry, log) => createSharing({ ...config, redis: redisConfig }, registry, log) });
  const a = appFor();
  const b = appFor();
  try {
    for (const app of [a, b]) {
      for (let i = 0; app.sharing?.link.command.status !== 'ready'; i++) {
        if (i === 100) throw new Error('the in-process apps did not connect to Redis within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const warmUp = Math.min(200, lookups);
    const names = Array.from({ length: warmUp + lookups }, (_, i) => `hit_cost_${i}`);
    const lookUp = (app: typeof a, username: string) => app.client.call('tiktokGetUser', { username });
    for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map((n) => lookUp(a, n)));
    const timed = async (app: typeof a, username: string) => {
      const started = performance.now();
      await lookUp(app, username);
      return performance.now() - started;
    };
    // Warm the code of both paths on names that are not measured.
    for (const name of names.slice(0, warmUp)) {
      await timed(a, name);
      await timed(b, name);
    }
    const measured = names.slice(warmUp);
    // What two INFO calls in a row count (the first one): subtracted from each measurement.
    const idleStart = commandsProcessed(redis);
    const idle = commandsProcessed(redis) - idleStart;
    globalThis.gc?.();

    let before = commandsProcessed(redis);
    for (const name of measured) await lookUp(a, name);
    const localHitCommands = commandsProcessed(redis) - before - idle;

    const local: number[] = [];
    const shared: number[] = [];
    const bare: number[] = [];
    const command = b.sharing!.link.command;
    const callsBefore = sandbox.calls.length;
    before = commandsProcessed(redis);
    for (const name of measured) {
      local.push(await timed(a, name));
      shared.push(await timed(b, name));
    }
    const commandsPerRedisHit = (commandsProcessed(redis) - before - idle) / measured.length;
    for (const name of measured) {
      const started = performance.now();
      await command.get(`bench-hit-cost:missing:${name}`);
      bare.push(performance.now() - started);
    }
    const timing = (values: number[]): Timing => ({
      meanMs: values.reduce((x, y) => x + y, 0) / values.length,
      p50Ms: quantile(values, 0.5),
      p99Ms: quantile(values, 0.99),
    });
    return {
      lookups: measured.length,
      localHitCommands,
      commandsPerRedisHit,
      redisHitCalls: sandbox.calls.length - callsBefore,
      local: timing(local),
      redis: timing(shared),
      bareGet: timing(bare),
    };
  } finally {
    for (const app of [a, b]) {
      await app.close();
      await app.sharing?.close();
    }
  }
}

const ROUNDS = (smoke: boolean) => (smoke ? 1 : 2);

function merge(name: string, replicas: number, shared: boolean, rounds: Round[]): ScaleOutSystem {
  const latencies = rounds.flatMap((r) => r.latencies);
  const add = (counts: Record<string, number>[]) => {
    const total: Record<string, number> = {};
    for (const [key, n] of counts.flatMap((c) => Object.entries(c))) total[key] = (total[key] ?? 0) + n;
    return total;
  };
  return {
    name,
    replicas,
    shared,
    requests: rounds[0]?.latencies.length ?? 0,
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    calls: rounds.map((r) => r.calls),
    distinctCalls: rounds.map((r) => r.distinctCalls),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    wallMs: rounds.map((r) => r.wallMs),
    cpuMs: rounds.map((r) => r.cpuMs),
    redisErrors: add(rounds.map((r) => r.redisErrors)),
    redisSkipped: add(rounds.map((r) => r.redisSkipped)),
  };
}

/** Runs the section (the server must be built: `buildServer()` in bench/processes.ts). */
export async function scaleOutRun(smoke: boolean): Promise<ScaleOutResult> {
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const users = smoke ? 12 : 36;
  const concurrency = 8;
  const visits = workload(smoke ? 40 : 240, users);
  const redis = await startRedis();
  try {
    const specs = [
      { name: '3 replicas, one Redis', replicas: 3, redis },
      { name: '3 independent replicas', replicas: 3, redis: undefined },
      { name: '1 process', replicas: 1, redis: undefined },
    ];
    const rounds = specs.map((): Round[] => []);
    // Latency on this machine drifts within minutes: every round runs each system once, the next in reverse order.
    for (let round = 0; round < ROUNDS(smoke); round++) {
      const order = round % 2 === 0 ? [0, 1, 2] : [2, 1, 0];
      for (const i of order) rounds[i]!.push(await measureRound(specs[i]!.replicas, specs[i]!.redis, visits, concurrency));
    }
    const systems = specs.map((spec, i) => merge(spec.name, spec.replicas, spec.redis !== undefined, rounds[i]!));
    const hit = await hitCost(redis, smoke ? 100 : 1_000);
    return {
      load: [loadBefore, loadavg()[0]!],
      cores: cpus().length,
      latencyMs: LATENCY_MS,
      rounds: ROUNDS(smoke),
      warmUp: WARM_UP,
      users,
      concurrency,
      systems,
      hit,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await stopAllRedis();
  }
}

/** Goals of the scale-out section; `exact` ones fail the benchmark run when missed. */
export function scaleOutGoals(r: ScaleOutResult): { goal: string; met: boolean; detail: string; exact: boolean }[] {
  const [shared, independent, single] = r.systems as [ScaleOutSystem, ScaleOutSystem, ScaleOutSystem];
  const added = (key: keyof Timing) => (r.hit.redis[key] - r.hit.local[key]).toFixed(3);
  const addedMean = r.hit.redis.meanMs - r.hit.local.meanMs;
  const minimum = single.distinctCalls[0]!;
  const each = (counts: number[]) => counts.join(', ');
  return [
    {
      goal: '3 replicas over one Redis make the upstream calls of a single process',
      met: [...shared.calls, ...single.calls, ...single.distinctCalls].every((n) => n === minimum) && shared.errors === 0,
      detail: `${each(shared.calls)} calls against ${each(single.calls)} for one process, in ${r.rounds} round${r.rounds > 1 ? 's' : ''} (${each(independent.calls)} for 3 independent replicas); ${shared.errors} GraphQL errors`,
      exact: true,
    },
    {
      goal: 'a hit served from the local LRU sends no Redis command',
      met: r.hit.localHitCommands === 0,
      detail: `${r.hit.localHitCommands} commands for ${r.hit.lookups.toLocaleString('en')} local hits`,
      exact: true,
    },
    {
      goal: 'a Redis hit adds well under 1 ms to a local hit on loopback (under 0.5 ms at the mean)',
      met: addedMean < 0.5,
      detail: `+${added('meanMs')} ms at the mean, +${added('p50Ms')} ms at the median, +${added('p99Ms')} ms at the p99 (${r.hit.commandsPerRedisHit.toFixed(2)} Redis commands per Redis hit; ${r.hit.redisHitCalls} upstream calls in ${r.hit.lookups.toLocaleString('en')} Redis hits)`,
      exact: false,
    },
  ];
}
