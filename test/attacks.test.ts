/**
 * The attacks of the hardening issue ("Guard the operator, not only the operation"), replayed over real
 * HTTP against the real server process, with a sandbox KonbiniAPI served over loopback by this process.
 * Each test asserts what the upstream saw (calls, credits, when they arrived), what the client got
 * (codes, headers, bodies, times) and, during the heavy attacks, that the server kept answering
 * `/healthz` quickly and that its event loop never stalled (`nodejs_eventloop_lag_max_seconds`).
 * Bounds on times are generous: this machine has two cores shared with the rest of the suite. (Property 8
 * of the issue, the graceful stop, is tested in server.test.ts.)
 */
import { request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_BOMB, amplified, fresh, worstDocuments } from '../bench/abuse.js';
import { type ServerProcess, killServers, serveSandbox, startServer } from './server-process.js';

const API_KEY = 'knbn_attacks_5b1e0c9d7f3a2secret';
/** Slowest `/healthz` answer tolerated while an attack runs, and the largest event-loop stall (ms). */
const HEALTH_BOUND_MS = 250;
/**
 * The slowest /healthz allowed while a large answer is built from cached data. The server here runs
 * under tsx next to other test files; the benchmark's abuse section measures the 100 ms goal on the
 * compiled server with monitorEventLoopDelay. This bound catches what the guard exists for: stalls of
 * seconds (before it, tens of seconds); it leaves room for a machine whose cores other test files
 * share (600 ms was exceeded by 20–180 ms on a loaded 2-core machine).
 */
const ANSWER_STALL_BOUND_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Upstream = Awaited<ReturnType<typeof serveSandbox>>;

/** A server process and its own sandbox, whose every arrival is recorded, and which can fail on demand. */
interface Target {
  server: ServerProcess;
  upstream: Upstream;
  /** Every request that reached the sandbox, when it arrived (performance.now() of this process). */
  arrivals: { path: string; at: number }[];
  /** Usernames starting with a prefix get this answer instead of the sandbox's. */
  failing: Map<string, () => Response>;
  /** Headers sent with every request (a client key). */
  headers: Record<string, string>;
}

async function launch(env: Record<string, string>, headers: Record<string, string> = {}): Promise<Target> {
  const upstream = await serveSandbox(0);
  const arrivals: Target['arrivals'] = [];
  const failing = new Map<string, () => Response>();
  const sandboxFetch = upstream.sandbox.fetch;
  // serveSandbox looks `fetch` up on every request: wrap it to see arrivals and inject failures.
  upstream.sandbox.fetch = (input, init) => {
    const url = new URL(input);
    arrivals.push({ path: url.pathname + url.search, at: performance.now() });
    for (const [prefix, answer] of failing) if (url.pathname.startsWith(`/v1/tiktok/users/${prefix}`)) return Promise.resolve(answer());
    return sandboxFetch(input, init);
  };
  const server = await startServer({ KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: API_KEY, ...env });
  const target = { server, upstream, arrivals, failing, headers };
  // A few ordinary operations first, so that no test measures a cold server's first answers.
  for (let i = 0; i < 5; i++) {
    await gql(target, '{ __typename }');
    await gql(target, PROFILE, { u: `warmup_${i}` }, { 'x-forwarded-for': '192.0.2.250' });
    await gql(target, UNKNOWN_USERS, { u: ['warmup_a', 'warmup_b', `warmup_${i}`] }, { 'x-dry-run': 'true' });
  }
  return target;
}

const envelope = (status: number, code: string) => () =>
  new Response(JSON.stringify({ errors: [{ code, message: code }], data: null }), {
    status,
    headers: { 'content-type': 'application/json', 'x-credits-used': '0', 'x-credits-remaining': '999' },
  });

/** Every response body this file received, to check that the key never appears in one. */
const transcript: string[] = [];

interface Answer {
  status: number;
  headers: Headers;
  ms: number;
  /** Length of the body as received. */
  bytes: number;
  text: string;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

/** POSTs GraphQL to `path` of `target`, the way a modern client does, and parses the answer. */
async function gql(
  target: Target,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  path = '/graphql',
  timeoutMs = 20_000,
): Promise<Answer> {
  return send(target, JSON.stringify({ query, variables }), headers, path, timeoutMs);
}

async function send(target: Target, body: string, headers: Record<string, string> = {}, path = '/graphql', timeoutMs = 20_000): Promise<Answer> {
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${target.server.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...target.headers, ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    // Status 0: the assertions then say that no answer came, rather than the test timing out.
    return { status: 0, headers: new Headers(), ms: performance.now() - started, bytes: 0, text: `no answer within ${timeoutMs} ms` };
  }
  const ms = performance.now() - started;
  transcript.push(text);
  let parsed: Partial<Answer> = {};
  try {
    parsed = JSON.parse(text) as Partial<Answer>;
  } catch {
    // not JSON: `text` says what it was
  }
  return { ...parsed, status: res.status, headers: res.headers, ms, bytes: text.length, text };
}

/** Sends a POST with a path exactly as written (fetch would normalise `/./graphql`), and resolves with the status and body. */
function rawPost(port: number, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          transcript.push(text);
          resolve({ status: res.statusCode!, body: text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const codes = (answer: Answer) => (answer.errors ?? []).map((e) => e.extensions?.code);
/** Credits the sandbox billed so far. */
const billed = (target: Target) => target.upstream.sandbox.calls.reduce((sum, c) => sum + c.creditsUsed, 0);
const arrivalsOf = (target: Target, prefix: string) => target.arrivals.filter((a) => a.path.startsWith(`/v1/tiktok/users/${prefix}`));

async function metricsText(target: Target, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${target.server.origin}/metrics`, { headers, signal: AbortSignal.timeout(10_000) });
  return res.text();
}
function metric(text: string, line: string): number | undefined {
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const value = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
}

/** Figures seen during the heavy attacks, printed at the end (the brief asks for them). */
const seen: string[] = [];

interface Health {
  count: number;
  maxMs: number;
  p50Ms: number;
  /** The event loop's largest stall over the attack (NaN where /metrics is closed). */
  lagMs: number;
}

/**
 * Runs `attack` while polling `/healthz`, one request after another, and reads the event loop's largest
 * stall over the same span from `/metrics` (prom-client resets it on every read). A `/healthz` request
 * still unanswered when the attack ends counts with the time it has waited so far.
 */
async function watched<T>(target: Target, label: string, attack: () => Promise<T>): Promise<[T, Health]> {
  const latencies: number[] = [];
  let running = true;
  let inflightSince: number | undefined;
  const metricsHeaders = target.headers;
  await metricsText(target, metricsHeaders).catch(() => '');
  const loop = (async () => {
    while (running) {
      inflightSince = performance.now();
      const res = await fetch(`${target.server.origin}/healthz`, { signal: AbortSignal.timeout(60_000) }).catch(() => undefined);
      await res?.text();
      latencies.push(performance.now() - inflightSince);
      inflightSince = undefined;
      await sleep(5);
    }
  })();
  const stop = async (): Promise<Health> => {
    running = false;
    await Promise.race([loop, sleep(2_000)]);
    if (inflightSince !== undefined) latencies.push(performance.now() - inflightSince);
    const text = await metricsText(target, metricsHeaders).catch(() => '');
    const lagMs = (metric(text, 'nodejs_eventloop_lag_max_seconds') ?? NaN) * 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const health = { count: latencies.length, maxMs: sorted.at(-1) ?? NaN, p50Ms: sorted[Math.floor(sorted.length / 2)] ?? NaN, lagMs };
    seen.push(
      `${label}: /healthz ${health.count} answers, p50 ${health.p50Ms.toFixed(1)} ms, slowest ${health.maxMs.toFixed(1)} ms; ` +
        `event-loop lag max ${health.lagMs.toFixed(1)} ms (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    return health;
  };
  let result: T;
  try {
    result = await attack();
  } catch (error) {
    await stop();
    throw error;
  }
  return [result, await stop()];
}

/** `n` usernames that do not exist (billed 404s), distinct for each `tag`. */
const unknown = (tag: string, n = 50) => Array.from({ length: n }, (_, i) => `missing_${tag}_${i}`);
const UNKNOWN_USERS = `query Unknown($u: [String!]!) { users(usernames: $u) { username } }`;
const PROFILE = `query Profile($u: String!) { user(username: $u) { username displayName } }`;

/** A client behind the trusted proxy: the proxy appends the address it saw to X-Forwarded-For. */
const from = (address: string, forged?: string) => ({ 'x-forwarded-for': forged ? `${forged}, ${address}` : address });

let budget: Target;
let open: Target;
let heavy: Target;
let slow: Target;
let keyed: Target;

beforeAll(async () => {
  [budget, open, heavy, slow, keyed] = await Promise.all([
    // Anonymous clients, told apart by the address a trusted proxy appends; a small budget and an account ceiling.
    launch({ CLIENT_CREDITS_PER_MINUTE: '120', ACCOUNT_CREDITS_PER_HOUR: '600', TRUST_PROXY: 'x-forwarded-for' }),
    // The defaults: inputs, billed bodies and, last, the breaker.
    launch({}),
    // The defaults, for the heavy attacks alone: while one of them is not contained it can keep its server busy for minutes.
    launch({}),
    // A slow upstream behind a small concurrency cap, a short deadline, and a response cap too high to end
    // execution before the deadline does; client keys without a metrics token (/metrics closed).
    launch(
      {
        UPSTREAM_MAX_CONCURRENCY: '2',
        UPSTREAM_MAX_QUEUE: '4',
        OPERATION_TIMEOUT_MS: '700',
        UPSTREAM_TIMEOUT_MS: '1500',
        MAX_RESPONSE_BYTES: String(256 * 1024 * 1024),
        CLIENT_API_KEYS: 'slow-key',
      },
      { authorization: 'Bearer slow-key' },
    ),
    // Client keys, a metrics token, and per key a 3-credit budget and a rate limit of 6 operations a minute.
    launch({ CLIENT_API_KEYS: 'key-one,key-two,key-three', METRICS_TOKEN: 'metrics-secret', CLIENT_CREDITS_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '6' }),
  ]);
}, 90_000);

afterAll(async () => {
  await killServers();
  await Promise.all([budget, open, heavy, slow, keyed].filter(Boolean).map((t) => t.upstream.close()));
  if (seen.length) console.info(`attacks: figures seen\n  ${seen.join('\n  ')}`);
});

describe('1. per-client credit budgets', () => {
  it('one anonymous client asking `users` for 50 unknown names again and again spends at most its budget, then gets 429 with Retry-After', async () => {
    const before = billed(budget);
    const [answers, h] = await watched(budget, 'budget: 50 unknown names, 6 times', async () => {
      const answers: Answer[] = [];
      for (let i = 0; i < 6; i++) answers.push(await gql(budget, UNKNOWN_USERS, { u: unknown(`a${i}`) }, from('203.0.113.10')));
      return answers;
    });
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429, 429, 429]);
    expect(codes(answers[0]!)).toEqual(Array(50).fill('NOT_FOUND'));
    expect(billed(budget) - before).toBe(100);
    const refused = answers[2]!;
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.data ?? null).toBeNull();
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(61); // the window refills up to one slot (1 s) late, never early
    expect(refused.errors![0]!.extensions!.budget).toEqual({ scope: 'client', limit: 120, remaining: 20, retryAfterSeconds: retryAfter });
    // What is left can be spent, and not one credit more.
    expect((await gql(budget, UNKNOWN_USERS, { u: unknown('a6', 20) }, from('203.0.113.10'))).status).toBe(200);
    const last = await gql(budget, UNKNOWN_USERS, { u: unknown('a7', 1) }, from('203.0.113.10'));
    expect(last.status).toBe(429);
    expect(last.errors![0]!.extensions!.budget).toMatchObject({ scope: 'client', limit: 120, remaining: 0 });
    expect(billed(budget) - before).toBe(120);
    expect(h.count).toBeGreaterThan(3);
    expect(h.maxMs).toBeLessThan(HEALTH_BOUND_MS);
  });

  it('made-up bearer tokens buy no fresh budget and create no bucket', async () => {
    const clients = () => metricsText(budget).then((text) => metric(text, 'tiktok_graph_budget_clients'));
    const before = billed(budget);
    const bucketsBefore = await clients();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await gql(budget, UNKNOWN_USERS, { u: unknown(`t${i}`) }, { ...from('203.0.113.11'), authorization: `Bearer made-up-${i}-${Math.random()}` })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    expect(billed(budget) - before).toBe(100);
    expect(bucketsBefore).toBeDefined();
    expect(await clients()).toBe(bucketsBefore! + 1); // the address's window, nothing per token
  });

  it('another address has its own budget; addresses a client writes before its own in X-Forwarded-For do not count', async () => {
    const spent = billed(budget);
    for (const tag of ['o1', 'o2']) expect((await gql(budget, UNKNOWN_USERS, { u: unknown(tag) }, from('203.0.113.12'))).status).toBe(200);
    expect((await gql(budget, UNKNOWN_USERS, { u: unknown('o3', 20) }, from('203.0.113.12'))).status).toBe(200);
    // The proxy appends the real address last: whatever the client wrote before it is ignored.
    const forged = await gql(budget, UNKNOWN_USERS, { u: unknown('o4', 1) }, from('203.0.113.12', '198.51.100.1'));
    expect(forged.status).toBe(429);
    expect((await gql(budget, UNKNOWN_USERS, { u: unknown('o5', 1) }, from('198.51.100.2'))).status).toBe(200);
    expect((await gql(budget, UNKNOWN_USERS, { u: unknown('o6', 1) }, from('198.51.100.3', '203.0.113.12'))).status).toBe(200);
    expect(billed(budget) - spent).toBe(122);
  });

  it('gives back what an operation did not spend of its estimate: cached lookups never exhaust a budget', async () => {
    const address = from('203.0.113.14');
    expect(codes(await gql(budget, PROFILE, { u: 'budget_warm' }, address))).toEqual([]);
    const calls = budget.arrivals.length;
    // 130 distinct documents (no response-cache hit), each estimated at 1 credit, each answered from the profile cache.
    const statuses = new Set<number>();
    for (let i = 0; i < 130; i++) {
      const res = await gql(budget, `{ a${i}: user(username: "budget_warm") { displayName } }`, undefined, address);
      statuses.add(res.status);
      if (i === 0) expect(res.extensions!.upstream).toMatchObject({ estimatedCredits: 1, creditsUsed: 0 });
    }
    expect([...statuses]).toEqual([200]);
    expect(budget.arrivals.length).toBe(calls);
  });

  it('a defaulted variable does not hide 50 names from the budget', async () => {
    const before = billed(budget);
    const statuses: number[] = [];
    for (const tag of ['v1', 'v2', 'v3']) {
      const query = `query Defaulted($u: [String!]! = ${JSON.stringify(unknown(tag))}) { users(usernames: $u) { username } }`;
      statuses.push((await gql(budget, query, undefined, from('203.0.113.15'))).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(billed(budget) - before).toBe(100);
  });

  it('ACCOUNT_CREDITS_PER_HOUR bounds all clients together, each of them within its own budget', async () => {
    let refusal: Answer | undefined;
    for (let i = 0; i < 15 && !refusal; i++) {
      const res = await gql(budget, UNKNOWN_USERS, { u: unknown(`c${i}`) }, from(`192.0.2.${i + 1}`));
      if (res.status === 429) refusal = res;
      else expect(res.status).toBe(200);
    }
    expect(refusal, 'no client was refused by the account ceiling').toBeDefined();
    expect(refusal!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refusal!.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', budget: { scope: 'account', limit: 600 } });
    expect(billed(budget)).toBeLessThanOrEqual(600);
    const text = await metricsText(budget);
    expect(metric(text, 'tiktok_graph_budget_account_remaining_credits')).toBe(600 - billed(budget));
    expect(metric(text, 'tiktok_graph_budget_limit_credits{scope="client"}')).toBe(120);
    expect(metric(text, 'tiktok_graph_budget_limit_credits{scope="account"}')).toBe(600);
    expect(metric(text, 'tiktok_graph_budget_refusals_total{scope="client"}')).toBeGreaterThanOrEqual(5);
    expect(metric(text, 'tiktok_graph_budget_refusals_total{scope="account"}')).toBeGreaterThanOrEqual(1);
  });
});

describe('2. analysis is linear', () => {
  it('analyses every document the token limit accepts in well under 50 ms, without stalling the event loop', async () => {
    const ROUNDS = 3;
    const wall: Record<string, number> = {};
    const cpu: Record<string, number> = {};
    const outcomes: string[] = [];
    const [, h] = await watched(heavy, 'analysis: the worst documents, dry runs, 3 rounds', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        for (const { name, query, variables } of worstDocuments()) {
          const cpuBefore = heavy.server.cpuSeconds();
          // Unique each round, so that Yoga's parse and validation caches do not answer it.
          const res = await gql(heavy, fresh(query, round), variables, { 'x-dry-run': 'true' }, '/graphql', 10_000);
          cpu[name] = (cpu[name] ?? 0) + ((heavy.server.cpuSeconds() - cpuBefore) * 1000) / ROUNDS;
          wall[name] = Math.max(wall[name] ?? 0, res.ms);
          expect(res.status, `${name}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          expect(codes(res), name).not.toContain('INTERNAL_SERVER_ERROR');
          if (round === 0) outcomes.push(`${name}: ${res.status} ${codes(res).join(',') || `estimate ${res.extensions?.upstream?.estimatedCredits}`}`);
        }
      }
    });
    seen.push(`analysis, answers: ${outcomes.join('; ')}`);
    seen.push(
      `analysis, per document: the server's CPU per dry run (mean of ${ROUNDS}, 10 ms ticks) / the slowest answer over HTTP: ` +
        Object.keys(wall)
          .map((n) => `${n} ${cpu[n]!.toFixed(0)} / ${wall[n]!.toFixed(0)} ms`)
          .join('; '),
    );
    // Told apart from super-linear analysis by the server's own CPU, which other processes on this busy
    // machine do not inflate (the 50 ms goal itself is measured by \`npm run bench\`, compiled and
    // in-process: here the server runs under tsx and /proc counts 10 ms ticks, GC included), and by
    // the answer time (the exponential documents took minutes).
    for (const name of Object.keys(cpu)) expect(cpu[name], name).toBeLessThan(100);
    for (const name of Object.keys(wall)) expect(wall[name], name).toBeLessThan(2_000);
    expect(h.maxMs).toBeLessThan(HEALTH_BOUND_MS);
    expect(h.lagMs).toBeLessThan(HEALTH_BOUND_MS);
  }, 60_000);
});

const ENTITY_REPRESENTATIONS = (n: number, username?: string) =>
  Array.from({ length: n }, (_, i) => ({ __typename: 'User', username: username ?? `entity_${i}` }));
const ENTITIES = `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on User { username } } }`;

describe('3. bounded answers', () => {
  it('refuses more than MAX_LIST_LENGTH `_entities` representations with BAD_USER_INPUT and no call', async () => {
    const calls = heavy.arrivals.length;
    const over = await gql(heavy, ENTITIES, { r: ENTITY_REPRESENTATIONS(51) });
    expect(codes(over)).toEqual(['BAD_USER_INPUT']);
    expect(over.data?._entities ?? null).toBeNull();
    expect(heavy.arrivals.length).toBe(calls);
    const at = await gql(heavy, ENTITIES, { r: ENTITY_REPRESENTATIONS(50) });
    expect(codes(at)).toEqual([]);
    expect(at.data!._entities).toHaveLength(50);
  });

  it('builds a large answer under the bound from cached data without stalling the event loop', async () => {
    const { query, variables } = amplified(30);
    await gql(heavy, query, { u: ['khaby.lame'] }); // caches the profile and the pages
    const [res, h] = await watched(heavy, 'bounded: a ~1.7 MB answer from cached data', () => gql(heavy, query, variables, {}, '/graphql', 15_000));
    seen.push(`bounded: ${(res.bytes / 1e6).toFixed(1)} MB answer under the bound in ${res.ms.toFixed(0)} ms`);
    expect(codes(res)).toEqual([]);
    expect(res.data!.users).toHaveLength(30);
    expect(res.bytes).toBeGreaterThan(1_000_000);
    expect(h.count).toBeGreaterThan(3);
    expect(h.maxMs).toBeLessThan(ANSWER_STALL_BOUND_MS);
    expect(h.lagMs).toBeLessThan(ANSWER_STALL_BOUND_MS);
  }, 60_000);

  it('refuses an answer over MAX_RESPONSE_BYTES with RESPONSE_TOO_LARGE (400, nothing of it sent, never cached), without stalling the event loop', async () => {
    const [[first, again], h] = await watched(heavy, 'bounded: 20 aliases of 50 `_entities`, twice', async () => [
      await gql(heavy, ENTITY_BOMB.query, ENTITY_BOMB.variables, {}, '/graphql', 15_000),
      await gql(heavy, ENTITY_BOMB.query, ENTITY_BOMB.variables, {}, '/graphql', 15_000),
    ]);
    const outcome = (a: Answer) => `${a.status ? `HTTP ${a.status} ${codes(a).join(',')}` : a.text} after ${a.ms.toFixed(0)} ms, ${a.bytes} bytes`;
    seen.push(`bounded: the \`_entities\` amplification: ${outcome(first)}; again (cached data): ${outcome(again)}`);
    for (const res of [first, again]) {
      expect(res.status, res.text.slice(0, 300)).toBe(400);
      expect(codes(res)).toEqual(['RESPONSE_TOO_LARGE']);
      expect(res.data).toBeUndefined();
      expect(res.bytes).toBeLessThan(4_096);
      expect(res.headers.get('etag')).toBeNull();
      expect(res.ms).toBeLessThan(5_000);
    }
    // Executed again, not answered from the response cache: it read the cross-request cache.
    expect(again.extensions!.upstream.cacheHits).toBeGreaterThan(0);
    expect(arrivalsOf(heavy, 'khaby.lame').length).toBeLessThanOrEqual(4);
    expect(h.count).toBeGreaterThan(3);
    expect(h.maxMs).toBeLessThan(ANSWER_STALL_BOUND_MS);
    expect(h.lagMs).toBeLessThan(ANSWER_STALL_BOUND_MS);
  }, 60_000);
});

describe('4. deadlines end the work', () => {
  it('never starts upstream calls queued behind the concurrency cap once their operations answered UPSTREAM_TIMEOUT', async () => {
    slow.upstream.sandbox.latencyMs = 1_000;
    const started = performance.now();
    // Two calls run (UPSTREAM_MAX_CONCURRENCY 2) and four wait (UPSTREAM_MAX_QUEUE 4); each operation's deadline is 700 ms.
    const answers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const res = await gql(slow, PROFILE, { u: `deadline_${i}` });
        return { res, answeredAt: performance.now(), username: `deadline_${i}` };
      }),
    );
    await sleep(2_600); // the queued calls would have started at ~1 s and ~2 s
    slow.upstream.sandbox.latencyMs = 0;
    for (const { res } of answers) {
      expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT']);
      expect(res.ms).toBeLessThan(2_000);
    }
    const late = answers.flatMap(({ answeredAt, username }) =>
      slow.arrivals
        .filter((a) => a.path === `/v1/tiktok/users/${username}` && a.at >= answeredAt)
        .map((a) => `${username} +${(a.at - answeredAt).toFixed(0)} ms`),
    );
    expect(late).toEqual([]);
    expect(slow.arrivals.filter((a) => a.at >= started && a.path.startsWith('/v1/tiktok/users/deadline_'))).toHaveLength(2);
  }, 30_000);

  it('answers UPSTREAM_UNAVAILABLE at once when the queue behind the concurrency cap is full', async () => {
    slow.upstream.sandbox.latencyMs = 1_000;
    try {
      const filling = Array.from({ length: 6 }, (_, i) => gql(slow, PROFILE, { u: `queue_${i}` }));
      await sleep(150);
      const overflow = await Promise.all(Array.from({ length: 3 }, (_, i) => gql(slow, PROFILE, { u: `overflow_${i}` })));
      for (const res of overflow) {
        expect(codes(res)).toEqual(['UPSTREAM_UNAVAILABLE']);
        expect(res.errors![0]!.extensions!.upstreamCode).toBe('queue_full');
        expect(res.ms).toBeLessThan(500);
      }
      await Promise.all(filling);
      await sleep(1_200);
      expect(arrivalsOf(slow, 'overflow_')).toEqual([]);
    } finally {
      slow.upstream.sandbox.latencyMs = 0;
    }
  }, 30_000);
});

describe('6. billed is billed', () => {
  it('a 200 whose body breaks off is never retried, and its credit is reported in extensions and /metrics', async () => {
    const creditsBefore = metric(await metricsText(open), 'konbini_credits_used_total') ?? 0;
    const res = await gql(open, PROFILE, { u: 'cut_off_body' });
    expect(codes(res)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(res.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, retries: 0 });
    expect(open.upstream.sandbox.calls.filter((c) => c.path === '/v1/tiktok/users/cut_off_body')).toEqual([
      { path: '/v1/tiktok/users/cut_off_body', status: 200, creditsUsed: 1 },
    ]);
    expect(metric(await metricsText(open), 'konbini_credits_used_total')).toBe(creditsBefore + 1);
    // Not paid for again at once.
    expect(codes(await gql(open, PROFILE, { u: 'cut_off_body' }))).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(arrivalsOf(open, 'cut_off_body')).toHaveLength(1);
  });

  it('a 200 whose body stalls is reported as billed when the operation answers, and never retried', async () => {
    slow.upstream.sandbox.latencyMs = 0;
    const res = await gql(slow, PROFILE, { u: 'stalled_body' });
    expect(codes(res)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(res.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, retries: 0 });
    await sleep(1_800); // past UPSTREAM_TIMEOUT_MS, when the read is given up
    expect(codes(await gql(slow, PROFILE, { u: 'stalled_body' }))).toEqual(['UPSTREAM_TIMEOUT']);
    expect(arrivalsOf(slow, 'stalled_body')).toHaveLength(1);
  }, 20_000);
});

describe('7. inputs', () => {
  const SPELLINGS = [
    '/graphql',
    '/graphql/',
    '//graphql',
    '/graphql?x=1',
    '/graphql/?a=b',
    '/./graphql',
    '/x/../graphql',
    '/GRAPHQL',
    '/graphql//',
    '/%67raphql',
  ];
  const body = JSON.stringify({ query: '{ user(username: "alice") { username } }' });

  it('checks client keys on every URL that answers GraphQL', async () => {
    const calls = keyed.arrivals.length;
    for (const path of SPELLINGS) {
      for (const headers of [{}, { authorization: 'Bearer made-up' }, { authorization: 'key-one' }] as Record<string, string>[]) {
        const res = await rawPost(keyed.server.port, path, body, headers);
        expect([401, 404], `${path} ${JSON.stringify(headers)}: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
        expect(res.body).not.toContain('"username"');
      }
    }
    expect(keyed.arrivals.length).toBe(calls);
    for (const path of ['/graphql', '/graphql/', '//graphql', '/graphql?x=1']) {
      const res = await rawPost(keyed.server.port, path, JSON.stringify({ query: '{ __typename }' }), { authorization: 'Bearer key-three' });
      expect([path, res.status, res.body]).toEqual([path, 200, expect.stringContaining('"__typename":"Query"')]);
    }
  });

  it('counts budgets and rate limits on every URL that answers GraphQL', async () => {
    const key = (k: string) => ({ authorization: `Bearer ${k}` });
    const before = billed(keyed);
    const profile = (u: string) => JSON.stringify({ query: `{ user(username: "${u}") { displayName } }` });
    const statuses: number[] = [];
    for (const [i, path] of ['/graphql', '/graphql/', '//graphql', '/graphql?x=1', '/./graphql'].entries()) {
      statuses.push((await rawPost(keyed.server.port, path, profile(`spelling_${i}`), key('key-one'))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]); // CLIENT_CREDITS_PER_MINUTE=3
    expect(billed(keyed) - before).toBe(3);
    const typename = JSON.stringify({ query: '{ __typename }' });
    const limited: number[] = [];
    for (const path of ['/graphql', '/graphql/', '//graphql', '/graphql?x=1', '/graphql/?a=b', '/./graphql', '/graphql']) {
      limited.push((await rawPost(keyed.server.port, path, typename, key('key-two'))).status);
    }
    expect(limited).toEqual([200, 200, 200, 200, 200, 200, 429]); // RATE_LIMIT_PER_MINUTE=6
  });

  it('serves /metrics only with METRICS_TOKEN when client keys are configured, and not at all without a token', async () => {
    const status = async (target: Target, headers: Record<string, string>) => (await fetch(`${target.server.origin}/metrics`, { headers })).status;
    expect(await status(keyed, {})).toBe(401);
    expect(await status(keyed, { authorization: 'Bearer key-one' })).toBe(401);
    expect(await status(keyed, { authorization: 'Bearer wrong' })).toBe(401);
    const text = await metricsText(keyed, { authorization: 'Bearer metrics-secret' });
    expect(text).toContain('konbini_credits_used_total');
    expect(await status(slow, {})).toBe(404);
    expect(await status(slow, { authorization: 'Bearer slow-key' })).toBe(404);
  });

  it('refuses usernames of only dots, "." and "..", and a trailing dot locally with BAD_USER_INPUT', async () => {
    const calls = open.arrivals.length;
    const names = ['.', '..', '...', '....', '@..', '@.', 'a.', 'khaby.lame.'];
    for (const u of names) {
      const res = await gql(open, PROFILE, { u });
      expect([u, codes(res)]).toEqual([u, ['BAD_USER_INPUT']]);
    }
    const list = await gql(open, UNKNOWN_USERS, { u: ['alice', ...names] });
    expect(codes(list)).toContain('BAD_USER_INPUT');
    expect(open.arrivals.slice(calls)).toEqual([]);
  });

  it('estimates variable defaults, and @skip/@include with defaulted variables, from their coerced values', async () => {
    const names = JSON.stringify(unknown('d'));
    const estimate = async (query: string, variables?: Record<string, unknown>) => {
      const res = await gql(open, query, variables, { 'x-dry-run': 'true' });
      expect(res.errors, `${query.slice(0, 80)}: ${res.text.slice(0, 300)}`).toBeUndefined();
      return res.extensions!.upstream.estimatedCredits as number;
    };
    const literal = await estimate(`{ users(usernames: ${names}) { username } }`);
    expect(literal).toBe(50);
    expect(await estimate(`query ($u: [String!]! = ${names}) { users(usernames: $u) { username } }`)).toBe(literal);
    expect(await estimate(`query ($i: Boolean = true) { users(usernames: ${names}) @include(if: $i) { username } }`)).toBe(literal);
    expect(await estimate(`query ($s: Boolean = false) { users(usernames: ${names}) @skip(if: $s) { username } }`)).toBe(literal);
    expect(await estimate(`query ($i: Boolean = true) { users(usernames: ${names}) @include(if: $i) { username } }`, { i: false })).toBe(0);
    const pages = await estimate(`{ user(username: "khaby.lame") { stories(first: 100) { totalCount } } }`);
    expect(await estimate(`query ($n: Int = 100) { user(username: "khaby.lame") { stories(first: $n) { totalCount } } }`)).toBe(pages);
    expect(pages).toBeGreaterThan(1);
  });

  it('answers absurdly nested variables with a 4xx or BAD_USER_INPUT, never a 500', async () => {
    const deepArray = `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`;
    const deepObject = `${'{"a":'.repeat(8_000)}"x"${'}'.repeat(8_000)}`;
    const cases: [string, string, string][] = [
      ['a list variable nested 20,000 deep', 'query ($u: [String!]!) { users(usernames: $u) { username } }', `{"u":${deepArray}}`],
      ['an `_Any` representation nested 8,000 deep', ENTITIES, `{"r":[${deepObject}]}`],
      ['a string variable given an object nested 8,000 deep', PROFILE, `{"u":${deepObject}}`],
      ['an undeclared variable nested 8,000 deep', '{ __typename }', `{"d":${deepObject}}`],
    ];
    const calls = open.arrivals.length;
    for (const [name, query, variables] of cases) {
      const res = await send(open, `{"query":${JSON.stringify(query)},"variables":${variables}}`);
      expect(res.status, `${name}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      expect(res.text, name).not.toContain('INTERNAL_SERVER_ERROR');
      if (res.status === 200 && res.errors) expect(codes(res), name).toContain('BAD_USER_INPUT');
    }
    expect(open.arrivals.length).toBe(calls);
    expect((await fetch(`${open.server.origin}/healthz`)).status).toBe(200);
  });

  it('answers wrong-shaped `_entities` representations with BAD_USER_INPUT at that entry, never INTERNAL_SERVER_ERROR', async () => {
    const wrong: unknown[] = [
      { __typename: 'User' },
      { __typename: 'User', username: 5 },
      { __typename: 'User', username: null },
      { __typename: 'User', username: { a: 1 } },
      { __typename: 'User', username: ['alice'] },
      { __typename: 'User', username: '..' },
      { __typename: 'Audio' },
      { __typename: 'Audio', audioId: 12 },
      { __typename: 'Nope', username: 'alice' },
      { __typename: 5 },
      {},
      'text',
      5,
      [1],
    ];
    const calls = open.arrivals.length;
    for (const representation of wrong) {
      const label = JSON.stringify(representation);
      const res = await gql(open, ENTITIES, { r: [{ __typename: 'User', username: 'alice' }, representation] });
      expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      expect(res.text, label).not.toContain('INTERNAL_SERVER_ERROR');
      if (res.status === 200) {
        const bad = (res.errors ?? []).filter((e) => e.extensions?.code === 'BAD_USER_INPUT');
        expect(bad.length, `${label}: ${res.text.slice(0, 300)}`).toBeGreaterThan(0);
        // Located at the entry when the rest of the list is answered.
        if (res.data?._entities)
          expect(
            bad.map((e) => e.path),
            label,
          ).toContainEqual(['_entities', 1]);
      }
    }
    expect(open.arrivals.slice(calls).filter((a) => !a.path.startsWith('/v1/tiktok/users/alice'))).toEqual([]);
  });
});

// Late, on `slow`: while it fails, this attack can keep that server busy for a minute.
describe('3. bounded answers: the operation deadline', () => {
  it('ends execution at OPERATION_TIMEOUT_MS, from cached data too, every time, keeping the event loop free', async () => {
    // On the server with a 700 ms deadline and a response cap too high to stop this answer first.
    slow.upstream.sandbox.latencyMs = 0;
    // Warm the caches (on a busy machine the four calls, two at a time, may need more than one 700 ms try).
    const warm = amplified(1);
    for (let i = 0; i < 5 && codes(await gql(slow, warm.query, warm.variables)).length > 0; i++);
    expect(codes(await gql(slow, fresh(warm.query, 'warm'), warm.variables))).toEqual([]);
    const [answers, h] = await watched(slow, 'deadline: the `_entities` amplification twice, 256 MiB cap, 700 ms deadline', async () => [
      await gql(slow, ENTITY_BOMB.query, ENTITY_BOMB.variables, {}, '/graphql', 15_000),
      await gql(slow, ENTITY_BOMB.query, ENTITY_BOMB.variables, {}, '/graphql', 15_000),
    ]);
    seen.push(
      `deadline: ${answers.map((a) => (a.status ? `HTTP ${a.status} in ${a.ms.toFixed(0)} ms (${a.bytes} bytes, ${[...new Set(codes(a))].join(',') || 'no error'})` : a.text)).join(', then ')}`,
    );
    for (const [i, res] of answers.entries()) {
      expect([i, res.status > 0 && res.status < 500, res.text.slice(0, 200)]).toEqual([i, true, expect.anything()]);
      expect(codes(res), `answer ${i}`).toContain('OPERATION_TIMEOUT');
      expect(res.ms).toBeLessThan(5_000);
    }
    expect(h.maxMs).toBeLessThan(2 * ANSWER_STALL_BOUND_MS);
  }, 60_000);
});

// Last, on `open`: the broad outage below leaves its `user` circuit open.
describe('5. the breaker trips on the upstream, not on a profile', () => {
  it('twenty profiles the upstream refuses (502 platform_error) are remembered briefly, open no circuit, and leave /readyz at 200', async () => {
    open.failing.set('refused_', envelope(502, 'platform_error'));
    const names = Array.from({ length: 20 }, (_, i) => `refused_${i}`);
    const res = await gql(open, UNKNOWN_USERS, { u: names });
    expect(codes(res)).toEqual(Array(20).fill('UPSTREAM_UNAVAILABLE'));
    // Enough failing calls over enough resources to open a circuit, were they service failures.
    const failed = arrivalsOf(open, 'refused_').length;
    expect(failed).toBeGreaterThanOrEqual(20);
    const again = await gql(open, PROFILE, { u: 'refused_0' });
    expect(codes(again)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(arrivalsOf(open, 'refused_')).toHaveLength(failed); // remembered: no new call
    const other = await gql(open, PROFILE, { u: 'after_refusals' });
    expect(other.data!.user.username).toBe('after_refusals');
    const ready = await fetch(`${open.server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', degraded: false, circuits: { user: 'closed' } });
  });

  it('a broad outage (503 over many profiles) opens the circuit; /readyz stays 200 and reports it', async () => {
    open.failing.set('down_', envelope(503, 'service_unavailable'));
    // 50 failing profiles outweigh the calls of the test above, which are in the same 10 s window.
    const res = await gql(open, UNKNOWN_USERS, { u: Array.from({ length: 50 }, (_, i) => `down_${i}`) });
    expect(codes(res)).toEqual(Array(50).fill('UPSTREAM_UNAVAILABLE'));
    const calls = open.arrivals.length;
    const after = await gql(open, PROFILE, { u: 'after_outage' });
    expect(after.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamCode: 'circuit_open' });
    expect(open.arrivals.slice(calls).filter((a) => a.path.startsWith('/v1/tiktok/users/'))).toEqual([]);
    const ready = await fetch(`${open.server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', degraded: true, circuits: { user: 'open' } });
  });
});

describe('the key', () => {
  it('never appears in a response or a log line of any of the servers above', () => {
    const logs = [budget, open, heavy, slow, keyed].map((t) => JSON.stringify(t.server.lines)).join('\n');
    expect(logs.length).toBeGreaterThan(1_000);
    expect(logs).not.toContain(API_KEY);
    expect(transcript.length).toBeGreaterThan(100);
    expect(transcript.join('\n')).not.toContain(API_KEY);
  });
});
