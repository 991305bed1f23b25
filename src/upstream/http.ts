/**
 * One HTTP exchange with KonbiniAPI: the request, a bounded read of the body, the error envelope and
 * the credit headers. No caching, sharing or retrying here (see client.ts).
 */
import type { CacheEntry } from './cache.js';
import type { CheckedBody } from './contract.js';
import type { Endpoint } from './endpoints.js';
import { UpstreamError, failureForStatus, isResourceStatus, isRetryableStatus } from './errors.js';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

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
  // One deadline for the headers and the body together.
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await options.fetch(`${options.baseUrl}${path}`, { headers: headers(options.apiKey), signal });
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

  if (!response.ok) {
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
  const { data, violations } = check(text, response.headers.get('content-type') ?? '');
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

/** Reads at most `maxBytes` of the body; a larger one is a bad response, not an out-of-memory. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new UpstreamError('bad_response', `KonbiniAPI sent a body over ${maxBytes} bytes`, response.status, null, false, true);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
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

function intHeader(response: Response, name: string): number | null {
  const raw = response.headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}
