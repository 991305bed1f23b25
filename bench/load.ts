/**
 * A load run of mixed traffic against the real entry point (a child process) over loopback, with a
 * fraction of upstream faults: no HTTP error, no unexpected GraphQL error, and a flat heap.
 */
import autocannon from 'autocannon';
import { startSystem } from './processes.js';
import { startSandbox } from './servers.js';

export interface LoadResult {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  httpErrors: number;
  unexpectedErrors: number;
  expectedFaults: number;
  /** Mean heap used in the middle and the last third of the run (from the server's /metrics; the first third warms up). */
  heapMiddleThird: number;
  heapLastThird: number;
  /** Heap used, sampled every second. */
  heapSamples: number[];
}

/** What a fault persona legitimately answers; anything else is a defect. */
const EXPECTED_CODES = new Set(['NOT_FOUND', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_BAD_RESPONSE', 'UPSTREAM_TIMEOUT']);
const FAULTY = ['status_503', 'status_502', 'bad_json', 'nobody'];

const pick = (n: number) => Math.floor(Math.random() * n);

/** One operation of the mix: mostly profiles (hits and misses), then stories, lists, and 5% faults. */
function operation(): string {
  const roll = Math.random();
  if (roll < 0.7) return `{ user(username: "load_user_${pick(2000)}") { displayName followerCount likeCount } }`;
  if (roll < 0.85) return `{ user(username: "load_user_${pick(500)}") { displayName stories(first: 5) { nodes { caption audio { title } } } } }`;
  if (roll < 0.95) return `{ users(usernames: [${Array.from({ length: 5 }, () => `"load_user_${pick(2000)}"`).join(', ')}]) { username } }`;
  return `{ user(username: "${FAULTY[pick(FAULTY.length)]}") { displayName } }`;
}

async function heapBytes(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
}

export async function loadRun(seconds: number, latencyMs: number, connections = 20): Promise<LoadResult> {
  const upstream = await startSandbox(latencyMs);
  const system = await startSystem('ours', { url: upstream.url });
  const url = system.url;
  try {
    const heap: { at: number; bytes: number }[] = [];
    const started = Date.now();
    const sampler = setInterval(
      () =>
        heapBytes(url).then(
          (bytes) => heap.push({ at: Date.now() - started, bytes }),
          () => undefined,
        ),
      1000,
    );
    let unexpectedErrors = 0;
    let expectedFaults = 0;
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: operation() }) }),
          onResponse: (status, body) => {
            if (status !== 200) return;
            for (const error of (JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []) {
              if (EXPECTED_CODES.has(error.extensions?.code ?? '')) expectedFaults += 1;
              else unexpectedErrors += 1;
            }
          },
        },
      ],
    });
    clearInterval(sampler);
    const third = (from: number, to: number) => {
      const samples = heap.filter((s) => s.at >= from * seconds * 1000 && s.at < to * seconds * 1000).map((s) => s.bytes);
      return samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
    };
    return {
      seconds,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      httpErrors: result.non2xx + result.errors + result.timeouts,
      unexpectedErrors,
      expectedFaults,
      heapMiddleThird: third(1 / 3, 2 / 3),
      heapLastThird: third(2 / 3, 1.01),
      heapSamples: heap.map((h) => h.bytes),
    };
  } finally {
    await system.stop();
    await upstream.close();
  }
}
