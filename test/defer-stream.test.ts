/**
 * `@defer` and `@stream` over `multipart/mixed` and Server-Sent Events: the answer arrives in parts,
 * and credits, budgets, the response cache, the execution guard and liveness hold across them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import type { Fetch } from '../src/upstream/client.js';
import { SANDBOX_NOW, TEST_API_KEY, type TestServer, codes, setup } from './helpers.js';
import { type ServerProcess, killServers, serveSandbox, startServer } from './server-process.js';

type Payload = {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any> }[];
  incremental?: { data?: Record<string, any>; items?: unknown[]; path: (string | number)[]; errors?: { extensions?: Record<string, any> }[] }[];
  hasNext?: boolean;
  extensions?: Record<string, any>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The payloads of a streamed answer as they arrive, parsed from `multipart/mixed` parts or from the
 * `next` events of an event stream, whichever the response is.
 */
async function* payloadsOf(response: Response): AsyncGenerator<Payload> {
  const sse = response.headers.get('content-type')!.startsWith('text/event-stream');
  // Read and decoded here, not piped through a TextDecoderStream: cancelling the reader must reach
  // the body itself (a pipe from Yoga's in-process stream would not pass the cancellation on).
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      // Complete parts are those followed by the next delimiter; the last piece may still grow.
      const pieces = buffer.split(sse ? '\n\n' : '\r\n---');
      buffer = pieces.pop()!;
      for (const piece of pieces) {
        const json = sse ? /^event: next\ndata: (.*)$/s.exec(piece)?.[1] : piece.split('\r\n\r\n')[1];
        if (json) yield JSON.parse(json) as Payload;
      }
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** The answer the payloads add up to (patches merged at their paths), with every error. */
function merge(payloads: Payload[]): { data: Record<string, any>; errors: NonNullable<Payload['errors']> } {
  const data = structuredClone(payloads[0]!.data ?? {});
  const errors = [...(payloads[0]!.errors ?? [])];
  for (const payload of payloads.slice(1)) {
    for (const patch of payload.incremental ?? []) {
      errors.push(...((patch.errors ?? []) as NonNullable<Payload['errors']>));
      if (patch.items) {
        const list = patch.path.slice(0, -1).reduce((at: any, key) => at[key], data) as unknown[];
        list.splice(patch.path.at(-1) as number, patch.items.length, ...patch.items);
      } else if (patch.data) {
        Object.assign(
          patch.path.reduce((at: any, key) => at[key], data),
          patch.data,
        );
      }
    }
  }
  return { data, errors };
}

async function collect(response: Response): Promise<Payload[]> {
  const payloads: Payload[] = [];
  for await (const payload of payloadsOf(response)) payloads.push(payload);
  return payloads;
}

/** A gate upstream calls can be held at until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const PROFILE_THEN_STORIES = `query ProfileThenStories($u: String!) {
  user(username: $u) { displayName ... @defer { stories(first: 20) { edges { node { id } } } } }
}`;
const PROFILE_AND_STORIES = `query ProfileAndStories($u: String!) {
  user(username: $u) { displayName stories(first: 20) { edges { node { id } } } }
}`;

/** A sandbox username with at least 90 active stories: three upstream pages of 35. */
let MANY_STORIES: string;
beforeAll(async () => {
  const usernames = Array.from({ length: 30 }, (_, i) => `many_${i}`);
  const { data } = await setup().gql(`{ users(usernames: ${JSON.stringify(usernames)}) { username stories(first: 1) { totalCount } } }`);
  MANY_STORIES = data!.users.find((user: { stories: { totalCount: number } }) => user.stories.totalCount >= 90).username;
});

/** The sandbox over HTTP, its fetch wrapped to see every call and to hold or slow some. */
async function upstreamWithHooks() {
  const upstream = await serveSandbox(0);
  const arrivals: { path: string; at: number }[] = [];
  /** Calls whose path contains a key wait for its gate. */
  const held = new Map<string, Promise<void>>();
  /** Milliseconds added to the calls whose path contains a key. */
  const slow = new Map<string, number>();
  const sandboxFetch = upstream.sandbox.fetch;
  upstream.sandbox.fetch = async (input, init) => {
    const url = new URL(input);
    const path = url.pathname + url.search;
    arrivals.push({ path, at: performance.now() });
    for (const [key, opened] of held) if (path.includes(key)) await opened;
    for (const [key, ms] of slow) if (path.includes(key)) await sleep(ms);
    return sandboxFetch(input, init);
  };
  return { ...upstream, arrivals, held, slow };
}

describe('through the server process', () => {
  let server: ServerProcess;
  let upstream: Awaited<ReturnType<typeof upstreamWithHooks>>;

  beforeAll(async () => {
    upstream = await upstreamWithHooks();
    const env = { KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: TEST_API_KEY, RESPONSE_CACHE_MAX_ENTRIES: '0' };
    server = await startServer(env);
  }, 30_000);
  afterAll(async () => {
    await killServers();
    await upstream?.close();
  });
  const arrivalsOf = (prefix: string) => upstream.arrivals.filter((a) => a.path.startsWith(`/v1/tiktok/users/${prefix}`));

  const post = (query: string, variables: Record<string, unknown>, accept: string, signal?: AbortSignal) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query, variables }), signal });

  for (const [transport, accept] of [
    ['multipart/mixed', 'multipart/mixed'],
    ['Server-Sent Events', 'text/event-stream'],
  ] as const) {
    it(`answers the profile first and the deferred stories after it, over ${transport}`, async () => {
      const username = `defer_${accept.split('/')[0]}`;
      const stories = gate();
      upstream.held.set(`/users/${username}/stories`, stories.opened);
      try {
        const response = await post(PROFILE_THEN_STORIES, { u: username }, accept);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain(accept);
        const payloads = payloadsOf(response);
        // The stories page is held upstream: the profile arrives without it.
        const first = (await payloads.next()).value as Payload;
        expect(first.hasNext).toBe(true);
        expect(first.data).toEqual({ user: { displayName: expect.any(String) } });
        // It was asked for with the profile (the page does not depend on it), and is still held.
        expect(arrivalsOf(`${username}/stories`)).toHaveLength(1);
        stories.open();
        const rest: Payload[] = [];
        for await (const payload of payloads) rest.push(payload);
        expect(rest.at(-1)!.hasNext).toBe(false);
        const { data, errors } = merge([first, ...rest]);
        expect(errors).toEqual([]);
        expect(rest[0]!.incremental![0]!.path).toEqual(['user']);
        expect(data.user.stories.edges).toHaveLength(20);
        // The last payload reports the operation's upstream calls, all of them.
        expect(rest.at(-1)!.extensions!.upstream).toMatchObject({ requests: 2, creditsUsed: 2, estimatedCredits: 2 });
      } finally {
        stories.open();
      }
    });
  }

  it('streams a list with @stream: the first entry in the initial payload, the others as they arrive', async () => {
    const usernames = ['stream_a', 'stream_b', 'stream_c'];
    const later = gate();
    upstream.held.set('/users/stream_b', later.opened);
    upstream.held.set('/users/stream_c', later.opened);
    try {
      const response = await post(
        'query Streamed($u: [String!]!) { users(usernames: $u) @stream(initialCount: 1) { username displayName } }',
        { u: usernames },
        'multipart/mixed',
      );
      const payloads = payloadsOf(response);
      // The other two profiles are held upstream: the first one arrives without them.
      const first = (await payloads.next()).value as Payload;
      expect(first).toEqual({ data: { users: [{ username: 'stream_a', displayName: expect.any(String) }] }, hasNext: true });
      later.open();
      const rest: Payload[] = [];
      for await (const payload of payloads) rest.push(payload);
      expect(rest.flatMap((p) => (p.incremental ?? []).map((patch) => patch.path))).toEqual([
        ['users', 1],
        ['users', 2],
      ]);
      const { data, errors } = merge([first, ...rest]);
      expect(errors).toEqual([]);
      const plain = await server.query('query Plain($u: [String!]!) { users(usernames: $u) { username displayName } }', { u: usernames });
      expect(data).toEqual(plain.data);
      // Three profiles, counted once (the plain query was answered from the cache).
      expect(rest.at(-1)!.extensions!.upstream).toMatchObject({ requests: 3, creditsUsed: 3 });
      expect(plain.extensions.upstream).toMatchObject({ requests: 0, cacheHits: 3 });
    } finally {
      later.open();
    }
  });

  it('starts no upstream call for a client that disconnected mid-stream', async () => {
    // Enough stories for three upstream pages of 35, fetched one after another, 300 ms each.
    const username = MANY_STORIES; // not yet asked for from this server's upstream
    upstream.slow.set(`/users/${username}/stories`, 300);
    try {
      const aborted = new AbortController();
      const response = await post(
        'query Gone($u: String!) { user(username: $u) { displayName ... @defer { stories(first: 100) { edges { node { id } } } } } }',
        { u: username },
        'multipart/mixed',
        aborted.signal,
      );
      const payloads = payloadsOf(response);
      const first = (await payloads.next()).value as Payload;
      expect(first.data!.user.displayName).toEqual(expect.any(String));
      aborted.abort();
      const leftAt = performance.now();
      await payloads.return(undefined).catch(() => undefined);
      await sleep(1_200); // the second and third pages would have been asked for by now
      const pages = arrivalsOf(`${username}/stories`);
      expect(pages).toHaveLength(1);
      expect(pages.filter((a) => a.at > leftAt)).toEqual([]);
      // The server is fine, and logged the answer as cancelled.
      expect((await server.query('{ user(username: "after_gone") { username } }')).data).toEqual({ user: { username: 'after_gone' } });
      expect(server.lines.filter((line) => line.operation === 'Gone').map((line) => line.outcome)).toEqual(['cancelled']);
    } finally {
      upstream.slow.delete(`/users/${username}/stories`);
    }
  });
});

const limits = (overrides: Partial<ReturnType<typeof testConfig>['limits']>) => ({ limits: { ...testConfig().limits, ...overrides } });
const TWO_PROFILES = `{ a: user(username: "budget_a") { displayName } b: user(username: "budget_b") { displayName } }`;

/** POSTs an operation to the in-process app, accepting a multipart answer (or `accept`). */
async function send(server: TestServer, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return await server.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'multipart/mixed', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** Holds the upstream calls whose path contains `key` until the gate opens. */
const holding =
  (key: string, opened: Promise<void>) =>
  (fetch: Fetch): Fetch =>
  async (input, init) => {
    if (String(input).includes(key)) await opened;
    return fetch(input, init);
  };

describe('field order with incremental delivery', () => {
  it('keeps every payload in selection order, not in the order fields resolved', async () => {
    const server = setup({
      wrapFetch: (fetch) => async (input, init) => {
        if (String(input).includes('/users/order_slow')) await sleep(50);
        return fetch(input, init);
      },
    });
    const query = `{
      slow: user(username: "order_slow") { username displayName }
      fast: user(username: "order_fast") { ... @defer { stories(first: 2) { edges { node { id } } totalCount } } displayName username }
      list: users(usernames: ["order_fast", "order_slow"]) @stream(initialCount: 1) { displayName username }
    }`;
    const payloads = await collect(await send(server, query));
    expect(Object.keys(payloads[0]!.data!)).toEqual(['slow', 'fast', 'list']);
    expect(Object.keys(payloads[0]!.data!.fast)).toEqual(['displayName', 'username']);
    expect(Object.keys(payloads[0]!.data!.list[0])).toEqual(['displayName', 'username']);
    const patches = payloads.flatMap((p) => p.incremental ?? []);
    expect(Object.keys(patches.find((patch) => patch.data)!.data!.stories)).toEqual(['edges', 'totalCount']);
    expect(Object.keys(patches.find((patch) => patch.items)!.items![0] as object)).toEqual(['displayName', 'username']);
  });
});

describe('clients that accept only JSON', () => {
  it('get the whole answer at once, in selection order', async () => {
    const { gql } = setup();
    const res = await gql(PROFILE_THEN_STORIES, { u: 'khaby.lame' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(Object.keys(res.data!.user)).toEqual(['displayName', 'stories']);
    expect(res.data!.user.stories.edges).toHaveLength(20);
    expect(res.extensions!.upstream).toMatchObject({ requests: 2, creditsUsed: 2, estimatedCredits: 2 });
  });
});

describe('validation of the directives', () => {
  it('refuses @stream on a field that is not a list, and two @defer with the same label', async () => {
    const { gql, calls } = setup();
    const notAList = await gql('{ user(username: "alice") @stream(initialCount: 1) { displayName } }');
    expect(notAList.status).toBe(400);
    expect(codes(notAList)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const sameLabel = await gql('{ user(username: "alice") { ... @defer(label: "a") { displayName } ... @defer(label: "a") { bio } } }');
    expect(codes(sameLabel)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(calls()).toBe(0);
  });
});

describe('credits and budgets with incremental delivery', () => {
  it('makes the upstream calls, and reports the credits, of the same query without @defer', async () => {
    const deferred = setup();
    const plain = setup();
    const payloads = await collect(await send(deferred, PROFILE_THEN_STORIES, { u: 'khaby.lame' }));
    const single = await plain.gql(PROFILE_AND_STORIES, { u: 'khaby.lame' });
    expect(payloads.length).toBeGreaterThanOrEqual(2);
    expect(deferred.sandbox.calls.map((c) => c.path).sort()).toEqual(plain.sandbox.calls.map((c) => c.path).sort());
    expect(payloads.at(-1)!.extensions!.upstream).toEqual(single.extensions!.upstream);
    expect(merge(payloads).data).toEqual(single.data);
    // Only the last payload carries the report.
    expect(payloads.slice(0, -1).some((p) => p.extensions?.upstream)).toBe(false);
  });

  it('estimates deferred and streamed fields like any other, and never below what they spend', async () => {
    const { gql } = setup();
    const estimate = async (query: string) => (await gql(query, { u: MANY_STORIES }, { 'x-dry-run': 'true' })).extensions!.upstream.estimatedCredits;
    const variants = [
      'query($u: String!) { user(username: $u) { displayName stories(first: 100) { edges { node { id } } } } }',
      'query($u: String!) { user(username: $u) { displayName ... @defer { stories(first: 100) { edges { node { id } } } } } }',
      'query($u: String!) { user(username: $u) { displayName ... @defer(label: "s") { stories(first: 100) { edges @stream(initialCount: 2) { node { id } } } } } }',
      'query($u: String!) { user(username: $u) { displayName ...Stories @defer } } fragment Stories on User { stories(first: 100) { edges { node { id } } } }',
    ];
    const estimates = await Promise.all(variants.map(estimate));
    expect(estimates).toEqual([4, 4, 4, 4]); // the profile and three pages of 35
    for (const query of variants.slice(1)) {
      const spender = setup();
      const payloads = await collect(await send(spender, query, { u: MANY_STORIES }));
      const { data, errors } = merge(payloads);
      expect(errors).toEqual([]);
      expect(data.user.stories.edges).toHaveLength(100);
      const { creditsUsed, estimatedCredits } = payloads.at(-1)!.extensions!.upstream;
      expect(creditsUsed).toBe(4);
      expect(estimatedCredits).toBeGreaterThanOrEqual(creditsUsed);
    }
  });

  it('holds the estimate of a deferred operation until its last payload, then gives back what it did not spend', async () => {
    const stories = gate();
    const server = setup({ config: limits({ clientCreditsPerMinute: 4 }), wallClock: () => SANDBOX_NOW, wrapFetch: holding('/stories', stories.opened) });
    // The profile first (1 credit): the deferred operation finds it in the cache and spends 1 of its estimate of 2.
    expect(codes(await server.gql('{ user(username: "alice") { displayName } }'))).toEqual([]);
    const payloads = payloadsOf(await send(server, PROFILE_THEN_STORIES, { u: 'alice' }));
    expect(((await payloads.next()).value as Payload).data).toEqual({ user: { displayName: expect.any(String) } });
    // While the stories are on their way, the whole estimate stays reserved: 1 credit of 4 left.
    const refused = await server.gql(TWO_PROFILES);
    expect(refused.status).toBe(429);
    expect(refused.errors![0]!.extensions).toMatchObject({ estimatedCredits: 2, budget: { scope: 'client', remaining: 1 } });
    stories.open();
    const rest: Payload[] = [];
    for await (const payload of payloads) rest.push(payload);
    expect(rest.at(-1)!.extensions!.upstream).toMatchObject({ requests: 1, creditsUsed: 1, estimatedCredits: 2, cacheHits: 1 });
    // The credit it did not spend is back: 4 - 1 - 1 = 2 left, enough for two profiles.
    expect(codes(await server.gql(TWO_PROFILES))).toEqual([]);
    expect(server.calls()).toBe(4);
  });

  it('gives back the unspent part of the reservation when the client leaves mid-stream', async () => {
    const firstPage = gate();
    const server = setup({ config: limits({ clientCreditsPerMinute: 5 }), wallClock: () => SANDBOX_NOW, wrapFetch: holding('/stories', firstPage.opened) });
    // Estimated at 4 (the profile and three pages of stories), all reserved.
    const query = `query Leaving($u: String!) { user(username: $u) { displayName ... @defer { stories(first: 100) { edges { node { id } } } } } }`;
    const payloads = payloadsOf(await send(server, query, { u: MANY_STORIES }));
    await payloads.next();
    await payloads.return(undefined);
    firstPage.open();
    await sleep(20);
    // The profile and the first page had started; the second and third pages never do.
    expect(server.sandbox.calls.map((c) => c.path.split('?')[0])).toEqual([`/v1/tiktok/users/${MANY_STORIES}`, `/v1/tiktok/users/${MANY_STORIES}/stories`]);
    // 2 credits spent, 3 left of 5: the 2 it did not spend came back when the client left.
    expect(
      codes(await server.gql('{ a: user(username: "l_a") { displayName } b: user(username: "l_b") { displayName } c: user(username: "l_c") { displayName } }')),
    ).toEqual([]);
    expect(await server.app.metrics.registry.metrics()).toMatch(/graphql_operations_total\{operation="Leaving",outcome="cancelled"\} 1/);
  });

  it('refuses a deferred operation over the per-operation limit or the client’s budget before any call', async () => {
    const server = setup({ config: limits({ maxCreditsPerOperation: 3, clientCreditsPerMinute: 5 }), wallClock: () => SANDBOX_NOW });
    const deferredPages = `query($u: String!) { user(username: $u) { displayName ... @defer { stories(first: 100) { edges { node { id } } } } } }`;
    const tooExpensive = await collect(await send(server, deferredPages, { u: MANY_STORIES }));
    expect(tooExpensive).toHaveLength(1);
    expect(tooExpensive[0]!.errors!.map((e) => e.extensions!.code)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(tooExpensive[0]!.errors![0]!.extensions).toMatchObject({ estimatedCredits: 4, limit: 3 });
    expect(server.calls()).toBe(0);
    // 2 credits spent, 3 left: a deferred operation estimated at 3 passes, then one at 2 is refused.
    expect(codes(await server.gql(TWO_PROFILES))).toEqual([]);
    const twoPages = `query($u: String!) { user(username: $u) { displayName ... @defer { stories(first: 50) { edges { node { id } } } } } }`;
    expect(merge(await collect(await send(server, twoPages, { u: MANY_STORIES }))).errors).toEqual([]);
    const before = server.calls();
    const response = await send(server, PROFILE_THEN_STORIES, { u: 'over_budget' });
    expect(response.status).toBe(429);
    const refused = await collect(response);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.errors!.map((e) => e.extensions!.code)).toEqual(['RATE_LIMITED']);
    expect(server.calls()).toBe(before);
  });
});

describe('the response cache and the execution guard with incremental delivery', () => {
  it('caches only the complete answer of a deferred operation, and serves it whole', async () => {
    const server = setup({ config: { responseCacheMaxEntries: 100 } });
    const streamed = await collect(await send(server, PROFILE_THEN_STORIES, { u: 'khaby.lame' }));
    expect(streamed.length).toBeGreaterThanOrEqual(2);
    const calls = server.calls();
    for (const accept of ['multipart/mixed', 'text/event-stream', 'application/graphql-response+json']) {
      const response = await send(server, PROFILE_THEN_STORIES, { u: 'khaby.lame' }, { accept });
      const [whole, ...more] = accept.startsWith('application/') ? [(await response.json()) as Payload] : await collect(response);
      expect(more).toEqual([]);
      expect(whole!.hasNext).toBeUndefined();
      expect(whole!.data).toEqual(merge(streamed).data);
      // Answered from the response cache: nothing ran, not even the upstream caches.
      expect(whole!.extensions!.upstream).toMatchObject({ requests: 0, cacheHits: 0 });
    }
    expect(server.calls()).toBe(calls);
  });

  it('never caches the answer of a stream its client left', async () => {
    const stories = gate();
    const server = setup({ config: { responseCacheMaxEntries: 100 }, wrapFetch: holding('/stories', stories.opened) });
    const payloads = payloadsOf(await send(server, PROFILE_THEN_STORIES, { u: 'left_early' }));
    await payloads.next();
    await payloads.return(undefined);
    stories.open();
    await sleep(20);
    // Executed again (from the upstream caches), in parts: nothing partial was cached.
    const again = await collect(await send(server, PROFILE_THEN_STORIES, { u: 'left_early' }));
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(merge(again).data.user.stories.edges.length).toBeGreaterThan(0);
    expect(again.at(-1)!.extensions!.upstream).toMatchObject({ requests: 0, cacheHits: 2 });
  });

  it('counts the bytes of every payload against MAX_RESPONSE_BYTES, and ends the stream at the bound', async () => {
    const server = setup({ config: limits({ maxResponseBytes: 2_048 }) });
    const query = `query($u: String!) { user(username: $u) { displayName ... @defer { stories(first: 100) { edges { cursor node { id } } } } } }`;
    const payloads = await collect(await send(server, query, { u: MANY_STORIES }));
    expect(payloads[0]).toMatchObject({ data: { user: { displayName: expect.any(String) } }, hasNext: true });
    const last = payloads.at(-1)!;
    expect(last.hasNext).toBe(false);
    expect(last.incremental!.flatMap((patch) => patch.errors ?? []).map((e) => e.extensions!.code)).toEqual(['RESPONSE_TOO_LARGE']);
    // No story of the refused part was sent.
    expect(merge(payloads).data.user.stories).toBeUndefined();
  });
});
