/**
 * One exchange with KonbiniAPI (src/upstream/http.ts): its single deadline for the headers and the
 * body, which ends as a `timeout` (never retried) and is cleared as soon as the exchange is done,
 * whatever its outcome, so that no timer outlives the call; and the same outcomes over global `fetch`
 * and over the keep-alive `node:http` transport the server uses for the real upstream.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Exchange, type Fetch, type HttpOptions, exchange } from '../src/upstream/http.js';
import { endpointOf } from '../src/upstream/endpoints.js';
import { UpstreamError } from '../src/upstream/errors.js';
import { keepAliveFetch } from '../src/upstream/keep-alive.js';

const TIMEOUT_MS = 5_000;
const endpoint = endpointOf('tiktokGetUser');
const check = (text: string) => ({ data: JSON.parse(text).data as unknown, violations: [] });
const options = (fetch: Fetch): HttpOptions => ({ baseUrl: 'http://upstream.test', apiKey: 'knbn_secret', fetch, timeoutMs: TIMEOUT_MS, maxBodyBytes: 10_000 });
const headers = { 'content-type': 'application/json', 'x-credits-used': '1', 'x-credits-remaining': '99' };

/** A fetch that never answers, and rejects as `fetch` does once its signal aborts. */
const hanging: Fetch = (_input, init) =>
  new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));

/** Headers at once, then a body that never ends (until the signal aborts it). */
const stalledBody: Fetch = async (_input, init) => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"data":'));
      init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers });
};

const run = (fetch: Fetch) => {
  const reports: Exchange[] = [];
  const result = exchange(options(fetch), endpoint, '/v1/tiktok/users/alice', check, (e) => reports.push(e));
  return { result, reports };
};

describe('an upstream exchange', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('times out when the headers do not come, as a timeout that is never retried', async () => {
    const { result, reports } = run(hanging);
    const failed = result.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const error = await failed;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ failure: 'timeout', retryable: false });
    expect(reports).toEqual([{ status: 'timeout', creditsUsed: 0, creditsRemaining: null }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out when the body does not come, as a billed failure of the resource', async () => {
    const { result, reports } = run(stalledBody);
    const failed = result.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(await failed).toMatchObject({ failure: 'timeout', status: 200, retryable: false, ofResource: true });
    expect(reports).toEqual([{ status: 200, creditsUsed: 1, creditsRemaining: 99 }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    ['an answer', () => new Response('{"data":{"username":"alice"}}', { status: 200, headers })],
    ['a billed 404', () => new Response('{"errors":[{"code":"not_found","message":"no"}],"data":null}', { status: 404, headers })],
    ['a refunded 503', () => new Response('{"errors":[{"code":"unavailable","message":"no"}],"data":null}', { status: 503, headers })],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed'))],
  ])('clears its deadline once done with %s', async (_, answer) => {
    const { result } = run(() => Promise.resolve().then(answer));
    await result.catch(() => undefined);
    expect(vi.getTimerCount()).toBe(0);
  });
});

/** A local upstream whose answer depends on the path; it counts the connections it accepted. */
async function localUpstream() {
  let connections = 0;
  const server = createServer((request, response) => {
    const json = { 'content-type': 'application/json', 'x-credits-used': '1', 'x-credits-remaining': '99' };
    switch (request.url) {
      case '/ok':
        return response.writeHead(200, json).end('{"data":{"username":"alice"}}');
      case '/not-found':
        return response.writeHead(404, json).end('{"errors":[{"code":"not_found","message":"no user"}],"data":null}');
      case '/unavailable':
        return response.writeHead(503, json).end(`{"errors":[{"code":"unavailable","message":"down for ${request.headers.authorization}"}],"data":null}`);
      case '/declared-too-large':
        return response.writeHead(200, { ...json, 'content-length': '20000' }).end('x'.repeat(20_000));
      case '/too-large':
        response.writeHead(200, json);
        for (let i = 0; i < 20; i++) response.write('x'.repeat(1_000));
        return response.end();
      case '/stalled-body':
        return response.writeHead(200, json).write('{"data":');
      default: // hanging: no headers
        return undefined;
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

const outcome = (result: Promise<unknown>) =>
  result.then(
    (entry) => ({ entry }),
    (error: UpstreamError) => ({
      failure: error.failure,
      status: error.status,
      retryable: error.retryable,
      ofResource: error.ofResource,
      message: error.message,
    }),
  );

describe.each([
  ['global fetch', () => fetch as Fetch],
  ['the keep-alive node:http transport', () => keepAliveFetch() as Fetch],
])('an exchange over %s', (_, transport) => {
  const call = (baseUrl: string, path: string, fetch: Fetch = transport()) =>
    outcome(exchange({ baseUrl, apiKey: 'knbn_secret', fetch, timeoutMs: 300, maxBodyBytes: 10_000 }, endpoint, path, check, () => undefined));

  it('reads answers, billed 404s and failures, bounds the body and keeps the deadline', async () => {
    const upstream = await localUpstream();
    try {
      const { baseUrl } = upstream;
      expect(await call(baseUrl, '/ok')).toEqual({ entry: { ok: true, value: { username: 'alice' }, bytes: 58 } });
      expect(await call(baseUrl, '/not-found')).toMatchObject({ entry: { ok: false, error: { failure: 'not_found', status: 404 } } });
      const unavailable = await call(baseUrl, '/unavailable');
      expect(unavailable).toMatchObject({ failure: 'unavailable', status: 503, retryable: true });
      expect(JSON.stringify(unavailable)).not.toContain('knbn_secret');
      for (const path of ['/declared-too-large', '/too-large']) {
        expect(await call(baseUrl, path)).toMatchObject({ failure: 'bad_response', status: 200, retryable: false, ofResource: true });
      }
      expect(await call(baseUrl, '/stalled-body')).toMatchObject({ failure: 'timeout', status: 200, retryable: false, ofResource: true });
      expect(await call(baseUrl, '/hanging')).toMatchObject({ failure: 'timeout', status: null, retryable: false });
    } finally {
      await upstream.close();
    }
    // Nobody listens there any more: the upstream cannot be reached, which a retry may cure.
    expect(await call(upstream.baseUrl, '/ok')).toMatchObject({ failure: 'unavailable', retryable: true });
  });
});

describe('the keep-alive transport', () => {
  it('sends one call after another over one connection', async () => {
    const upstream = await localUpstream();
    const fetch = keepAliveFetch();
    try {
      for (let i = 0; i < 5; i++) {
        const result = await exchange(
          { baseUrl: upstream.baseUrl, apiKey: 'knbn_secret', fetch, timeoutMs: 1_000, maxBodyBytes: 10_000 },
          endpoint,
          '/ok',
          check,
          () => undefined,
        );
        expect(result).toMatchObject({ ok: true });
      }
      expect(upstream.connections()).toBe(1);
    } finally {
      await upstream.close();
    }
  });
});
