/**
 * The KonbiniAPI client: URLs, Bearer auth, the `{errors:[{code,message}]}` envelope, credit headers,
 * deadlines, the shared LRU cache and shared in-flight calls. It never imports `graphql`; `fetch` and
 * the caches are injected, so the sandbox is just another `fetch`.
 */
import type { CacheEntry, Endpoint, UpstreamCaches } from './cache.js';
import { isAudioDetails, isProfile, isStoryPage } from './contract.js';
import { UpstreamError, failureForStatus } from './errors.js';
import { type AudioDetails, FIRST_PAGE, type Profile, STORY_PAGE_SIZE, type StoryPage } from './types.js';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** What one upstream call reports; `status` is `timeout` or `network` when no answer came. */
export interface UpstreamCallEvent {
  endpoint: Endpoint;
  status: number | 'timeout' | 'network';
  creditsUsed: number;
  creditsRemaining: number | null;
  durationMs: number;
}

/** Hears about calls, cache hits and shared calls: the per-operation ledger and the metrics both do. */
export interface UpstreamObserver {
  call?(event: UpstreamCallEvent): void;
  cacheHit?(endpoint: Endpoint): void;
  cacheMiss?(endpoint: Endpoint): void;
  sharedCall?(endpoint: Endpoint): void;
}

export interface KonbiniClientOptions {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: Fetch;
  caches: UpstreamCaches;
  timeoutMs: number;
  /** Process-wide observer (metrics). */
  observer?: UpstreamObserver;
}

interface Resource<T> {
  endpoint: Endpoint;
  path: string;
  isValid: (data: unknown) => data is T;
}

/** Canonical form of a username: no `@`, lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().replace(/^@/, '').toLowerCase();
}

export class KonbiniClient {
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  /** The account's balance as of the newest upstream answer; null before the first. */
  creditsRemaining: number | null = null;

  constructor(private readonly options: KonbiniClientOptions) {}

  /** GET /v1/tiktok/users/{username}. */
  getUser(username: string, observer?: UpstreamObserver): Promise<Profile> {
    const path = `/v1/tiktok/users/${encodeURIComponent(normalizeUsername(username))}`;
    return this.get({ endpoint: 'user', path, isValid: isProfile }, observer);
  }

  /** GET /v1/tiktok/users/{username}/stories, always a full page, starting at `pageCursor`. */
  getStoryPage(username: string, pageCursor: string, observer?: UpstreamObserver): Promise<StoryPage> {
    const query = new URLSearchParams({ count: String(STORY_PAGE_SIZE) });
    if (pageCursor !== FIRST_PAGE) query.set('cursor', pageCursor);
    const path = `/v1/tiktok/users/${encodeURIComponent(normalizeUsername(username))}/stories?${query}`;
    return this.get({ endpoint: 'stories', path, isValid: isStoryPage }, observer);
  }

  /** GET /v1/tiktok/audios/{audioId}. */
  getAudio(audioId: string, observer?: UpstreamObserver): Promise<AudioDetails> {
    const path = `/v1/tiktok/audios/${encodeURIComponent(audioId)}`;
    return this.get({ endpoint: 'audio', path, isValid: isAudioDetails }, observer);
  }

  private async get<T>(resource: Resource<T>, observer: UpstreamObserver | undefined): Promise<T> {
    const { endpoint, path } = resource;
    const observers = [this.options.observer, observer];
    const cached = this.options.caches.get(endpoint, path);
    if (cached) {
      observers.forEach((o) => o?.cacheHit?.(endpoint));
      return unwrap<T>(cached);
    }
    observers.forEach((o) => o?.cacheMiss?.(endpoint));
    const pending = this.inflight.get(path);
    if (pending) {
      observers.forEach((o) => o?.sharedCall?.(endpoint));
      return unwrap<T>(await pending);
    }
    const call = this.call(resource, observers).finally(() => this.inflight.delete(path));
    this.inflight.set(path, call);
    return unwrap<T>(await call);
  }

  /** One real HTTP call; resolves to a cacheable entry (a body or a billed 404), rejects otherwise. */
  private async call<T>(resource: Resource<T>, observers: (UpstreamObserver | undefined)[]): Promise<CacheEntry> {
    const { endpoint, path, isValid } = resource;
    const started = performance.now();
    const report = (status: UpstreamCallEvent['status'], creditsUsed = 0, creditsRemaining: number | null = null) => {
      if (creditsRemaining !== null) this.creditsRemaining = creditsRemaining;
      const event = { endpoint, status, creditsUsed, creditsRemaining, durationMs: performance.now() - started };
      observers.forEach((o) => o?.call?.(event));
    };

    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(`${this.options.baseUrl}${path}`, {
        headers: this.headers(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      report(timedOut ? 'timeout' : 'network');
      throw timedOut
        ? new UpstreamError('timeout', `KonbiniAPI did not answer within ${this.options.timeoutMs} ms`)
        : new UpstreamError('unavailable', 'KonbiniAPI could not be reached');
    }
    report(response.status, intHeader(response, 'x-credits-used') ?? 0, intHeader(response, 'x-credits-remaining'));

    let entry: CacheEntry;
    if (response.ok) {
      const data = parseData(text);
      if (!isValid(data)) {
        throw new UpstreamError('bad_response', `KonbiniAPI returned a body that breaks its contract (${endpoint})`, response.status);
      }
      entry = { ok: true, value: data, bytes: text.length * 2 };
    } else {
      const error = this.errorFrom(response.status, text);
      // Only a 404 is billed, so only a 404 is worth remembering; the others are refunded and transient.
      if (error.failure !== 'not_found') throw error;
      entry = { ok: false, error, bytes: text.length * 2 };
    }
    this.options.caches.set(endpoint, path, entry);
    return entry;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  private errorFrom(status: number, text: string): UpstreamError {
    let code: string | null = null;
    let message = `HTTP ${status}`;
    try {
      const first = (JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] }).errors?.[0];
      if (typeof first?.code === 'string') code = first.code;
      if (typeof first?.message === 'string') message = first.message;
    } catch {
      // Not the JSON envelope (an HTML error page, say): the status alone classifies it.
    }
    const apiKey = this.options.apiKey;
    if (apiKey) message = message.split(apiKey).join('[redacted]');
    return new UpstreamError(failureForStatus(status), `KonbiniAPI: ${message}`, status, code);
  }
}

function unwrap<T>(entry: CacheEntry): T {
  if (!entry.ok) throw entry.error;
  return entry.value as T;
}

function parseData(text: string): unknown {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  } catch {
    return undefined;
  }
}

function intHeader(response: Response, name: string): number | null {
  const raw = response.headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}
