/**
 * One HTTP exchange with KonbiniAPI: the request, a bounded read of the body, the error envelope and
 * the credit headers. No caching, sharing or retrying here (see client.ts).
 */
import type { CacheEntry } from './cache.js';
import type { CheckedBody } from './contract.js';
import type { Endpoint } from './endpoints.js';
import { UpstreamError, failureForStatus, isResourceStatus, isRetryableStatus } from './errors.js';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What an exchange reads of an answer, whether a WHATWG `Response` or Node's `IncomingMessage`. */
export interface Answer {
  status: number;
  header(name: string): string | null;
  /** The body's chunks; rejects with an `AbortError` once the exchange's signal aborts. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Stops reading the body and lets its connection go. */
  cancel(): Promise<void>;
}

/**
 * A `Fetch` may also offer a plain GET under this key (src/upstream/keep-alive.ts: `node:http` with a
 * keep-alive agent), which the exchange then uses instead: no WHATWG request, headers or stream per
 * call. An injected `fetch` (the sandbox, a test's) has none and is called as it is.
 */
export const RAW_GET = Symbol('raw GET');
export type RawGet = (url: string, headers: Record<string, string>, signal: AbortSignal) => Promise<Answer>;

export interface HttpOptions {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: Fetch;
  timeoutMs: number;
  maxBodyBytes: number;
}

export interface Exchange {
  status: number | 'timeout' | 'network';
  creditsUsed: number;
  creditsRemaining: number | null;
}

/**
 * Performs one GET; reports the exchange as soon as its status and credit headers arrive (a 2xx is
 * billed whatever happens to its body), then resolves to a body or a billed 404, or rejects.
 */
export async function exchange(
  options: HttpOptions,
  endpoint: Endpoint,
  path: string,
  check: (text: string, contentType: string) => CheckedBody,
  report: (exchange: Exchange) => void,
): Promise<CacheEntry> {
  // One deadline for the headers and the body together: a plain timer, cleared when the exchange is
  // done (an `AbortSignal.timeout` lives on, and builds a DOMException, 10 s after each call).
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    return await exchangeWithin(options, endpoint, path, check, report, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function exchangeWithin(
  options: HttpOptions,
  endpoint: Endpoint,
  path: string,
  check: (text: string, contentType: string) => CheckedBody,
  report: (exchange: Exchange) => void,
  signal: AbortSignal,
): Promise<CacheEntry> {
  let response: Answer;
  try {
    const url = `${options.baseUrl}${path}`;
    const rawGet = (options.fetch as Fetch & { [RAW_GET]?: RawGet })[RAW_GET];
    response = rawGet ? await rawGet(url, headers(options.apiKey), signal) : answerOf(await options.fetch(url, { headers: headers(options.apiKey), signal }));
  } catch (error) {
    const timedOut = isTimeout(error);
    report({ status: timedOut ? 'timeout' : 'network', creditsUsed: 0, creditsRemaining: null });
    // Never retry our own timeout: the upstream may have answered, and billed, meanwhile.
    throw timedOut
      ? new UpstreamError('timeout', `KonbiniAPI did not answer within ${options.timeoutMs} ms`)
      : new UpstreamError('unavailable', 'KonbiniAPI could not be reached', null, null, true);
  }
  report({
    status: response.status,
    creditsUsed: intHeader(response, 'x-credits-used') ?? 0,
    creditsRemaining: intHeader(response, 'x-credits-remaining'),
  });

  if (response.status < 200 || response.status > 299) {
    // An error body that cannot be read (cut off, too large, too slow) leaves the status to classify it.
    const text = await readBounded(response, options.maxBodyBytes).catch(() => '');
    const error = errorFrom(response.status, text, options.apiKey);
    // Only a 404 is billed, so only a 404 is worth caching as an answer; the others are refunded.
    if (error.failure !== 'not_found') throw error;
    return { ok: false, error, bytes: text.length * 2 };
  }
  // A 2xx is billed: whatever goes wrong from here is a failure of this resource, never retried.
  let text: string;
  try {
    text = await readBounded(response, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    throw isTimeout(error)
      ? new UpstreamError('timeout', `KonbiniAPI's body did not arrive within ${options.timeoutMs} ms`, response.status, null, false, true)
      : new UpstreamError('bad_response', `KonbiniAPI's body broke off (${endpoint})`, response.status, null, false, true);
  }
  const { data, violations } = check(text, response.header('content-type') ?? '');
  if (data === undefined) {
    throw new UpstreamError('bad_response', `KonbiniAPI returned a body that breaks its contract (${endpoint})`, response.status, null, false, true);
  }
  return violations.length > 0 ? { ok: true, value: data, bytes: text.length * 2, marked: true } : { ok: true, value: data, bytes: text.length * 2 };
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function headers(apiKey: string | undefined): Record<string, string> {
  const result: Record<string, string> = { accept: 'application/json' };
  if (apiKey) result.authorization = `Bearer ${apiKey}`;
  return result;
}

/** A fetch `Response` as an `Answer`. */
function answerOf(response: Response): Answer {
  const { body } = response;
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    async *chunks() {
      if (!body) return;
      const reader = body.getReader();
      let done = false;
      try {
        for (;;) {
          const read = await reader.read();
          if (read.done) break;
          yield read.value;
        }
        done = true;
      } finally {
        // Left early (too large): the rest of the body is not wanted.
        if (!done) await reader.cancel().catch(() => undefined);
      }
    },
    cancel: async () => {
      if (body && !body.locked) await body.cancel().catch(() => undefined);
    },
  };
}

/** Reads at most `maxBytes` of the body; a larger one is a bad response, not an out-of-memory. */
async function readBounded(response: Answer, maxBytes: number): Promise<string> {
  const tooLarge = () => new UpstreamError('bad_response', `KonbiniAPI sent a body over ${maxBytes} bytes`, response.status, null, false, true);
  if (Number(response.header('content-length') ?? 0) > maxBytes) {
    await response.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const value of response.chunks()) {
    size += value.byteLength;
    if (size > maxBytes) throw tooLarge(); // leaving the loop cancels the rest
    chunks.push(value);
  }
  return chunks.length === 1
    ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength).toString('utf8')
    : Buffer.concat(chunks).toString('utf8');
}

function errorFrom(status: number, text: string, apiKey: string | undefined): UpstreamError {
  let code: string | null = null;
  let message = `HTTP ${status}`;
  try {
    const first = (JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] }).errors?.[0];
    if (typeof first?.code === 'string') code = first.code;
    if (typeof first?.message === 'string') message = first.message;
  } catch {
    // Not the JSON envelope (an HTML error page, say): the status alone classifies it.
  }
  if (apiKey) message = message.split(apiKey).join('[redacted]');
  return new UpstreamError(failureForStatus(status), `KonbiniAPI: ${message}`, status, code, isRetryableStatus(status), isResourceStatus(status, code));
}

function intHeader(response: Answer, name: string): number | null {
  const raw = response.header(name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}
