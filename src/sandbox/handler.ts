/**
 * The sandbox KonbiniAPI as a `fetch` function: same paths, parameters, limits, error envelope and
 * credit headers as the OpenAPI file, with deterministic data and personas for every failure.
 */
import type { Fetch } from '../upstream/client.js';
import { STORY_PAGE_SIZE } from '../upstream/types.js';
import { isSandboxAudioId, sandboxAudio, sandboxProfile, sandboxStories } from './data.js';
import { KEY_PERSONAS, type Persona, personaFor } from './personas.js';

export interface SandboxOptions {
  /** Latency added to every answer (an upstream round trip). */
  latencyMs?: number;
  /** Starting credit balance of the account. */
  credits?: number;
  /** The sandbox's clock; stories are the ones active at this instant. */
  now?: () => number;
}

export interface SandboxCall {
  path: string;
  status: number;
  creditsUsed: number;
}

export interface Sandbox {
  fetch: Fetch;
  /** Every call answered so far, in order. */
  readonly calls: SandboxCall[];
  creditsRemaining: number;
  latencyMs: number;
  now: () => number;
}

const ERROR_CODES: Record<number, [string, string]> = {
  400: ['validation_error', 'Validation error'],
  404: ['not_found', 'Not found'],
  500: ['internal_error', 'Internal error'],
  502: ['platform_error', 'Platform error'],
  503: ['service_unavailable', 'Service unavailable'],
  504: ['platform_error', 'Platform error'],
};
const USERNAME = /^@?[A-Za-z0-9._]{1,24}$/;

interface Answer {
  status: number;
  body: string;
  contentType?: string;
  /** Billing does not apply (401: rejected at the edge, before any accounting). */
  unauthenticated?: boolean;
  /** An invalid path: rejected before dispatch, so free, unlike a billed not_found. */
  routeNotFound?: boolean;
  /** Half the body is sent, then the connection resets, or the rest never comes (until the caller gives up). */
  breaksOff?: 'reset' | 'stall';
}

/** A successful call and a not_found lookup are billed; everything else is refunded. */
const isBilled = (answer: Answer) =>
  !answer.unauthenticated && (answer.status === 200 || (answer.status === 404 && !answer.routeNotFound));

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
const failure = (status: number, code: string, message: string): Answer =>
  json(status, { errors: [{ code, message }], data: null });
const standardFailure = (status: number, message?: string): Answer => {
  const [code, fallback] = ERROR_CODES[status]!;
  return failure(status, code, message ?? fallback);
};

function abortableSleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** Half of `body`, then a connection reset or a body that never ends (errored when `signal` aborts). */
function brokenStream(body: string, how: 'reset' | 'stall', signal: AbortSignal | null | undefined): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(body);
  let sentHalf = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentHalf) {
        sentHalf = true;
        controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
        return;
      }
      if (how === 'reset') {
        controller.error(Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }));
        return;
      }
      return abortableSleep(10 * 60_000, signal).then(
        () => controller.error(new TypeError('terminated')),
        (reason: unknown) => controller.error(reason),
      );
    },
  });
}

function brokenBody(kind: 'truncated-json' | 'html' | 'contract-breaking'): Answer {
  if (kind === 'html') return { status: 200, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };
  if (kind === 'truncated-json') return { status: 200, body: '{"data":{"type":"Person","id":"https://www.tiktok.com/@bad' };
  return json(200, { data: { type: 'Person', followerCount: 'many' } });
}

/** Creates a sandbox upstream with its own credit balance and call log. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const sandbox: Sandbox = {
    calls: [],
    creditsRemaining: options.credits ?? 1_000_000,
    latencyMs: options.latencyMs ?? 0,
    now: options.now ?? (() => Date.now()),
    fetch: async (input, init) => {
      const url = new URL(input);
      const headers = new Headers(init?.headers);
      const persona = personaFromPath(url.pathname);
      await abortableSleep(sandbox.latencyMs + (persona?.latencyMs ?? 0), init?.signal);
      if (persona?.hangs) await abortableSleep(10 * 60_000, init?.signal);
      const answer = authenticate(headers.get('authorization'), sandbox) ?? route(url, init?.method ?? 'GET', sandbox);
      const creditsUsed = isBilled(answer) ? 1 : 0;
      sandbox.creditsRemaining -= creditsUsed;
      sandbox.calls.push({ path: url.pathname + url.search, status: answer.status, creditsUsed });
      const responseHeaders = new Headers({ 'content-type': answer.contentType ?? 'application/json' });
      if (!answer.unauthenticated) {
        responseHeaders.set('x-credits-used', String(creditsUsed));
        responseHeaders.set('x-credits-remaining', String(sandbox.creditsRemaining));
      }
      const body = answer.breaksOff ? brokenStream(answer.body, answer.breaksOff, init?.signal) : answer.body;
      return new Response(body, { status: answer.status, headers: responseHeaders });
    },
  };
  return sandbox;
}

function personaFromPath(pathname: string): Persona | undefined {
  const match = /^\/v1\/tiktok\/users\/([^/]+)/.exec(pathname);
  return match ? personaFor(decodeURIComponent(match[1]!).replace(/^@/, '').toLowerCase()) : undefined;
}

function authenticate(authorization: string | null, sandbox: Sandbox): Answer | undefined {
  const key = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!key || !key.startsWith('knbn_')) {
    return { ...failure(401, key ? 'invalid_api_key' : 'missing_api_key', key ? 'Invalid API key' : 'Missing or malformed API key'), unauthenticated: true };
  }
  const persona = KEY_PERSONAS[key];
  if (persona) return failure(persona.status, persona.code, persona.message);
  if (sandbox.creditsRemaining <= 0) return failure(402, 'credits_exhausted', KEY_PERSONAS.knbn_no_credits!.message);
  return undefined;
}

function route(url: URL, method: string, sandbox: Sandbox): Answer {
  const parts = url.pathname.split('/').map(decodeURIComponent);
  if (method === 'GET' && parts.length === 5 && parts[3] === 'users') return userRoute(parts[4]!, undefined, url);
  if (method === 'GET' && parts.length === 6 && parts[3] === 'users' && parts[5] === 'stories') {
    return userRoute(parts[4]!, sandbox.now(), url);
  }
  if (method === 'GET' && parts.length === 5 && parts[3] === 'audios') return audioRoute(parts[4]!);
  return { ...failure(404, 'route_not_found', 'Route not found'), routeNotFound: true };
}

function userRoute(rawUsername: string, now: number | undefined, url: URL): Answer {
  if (!USERNAME.test(rawUsername)) return standardFailure(400, 'Invalid username');
  const username = rawUsername.replace(/^@/, '').toLowerCase();
  const persona = personaFor(username);
  if (persona?.status) return standardFailure(persona.status, persona.status === 404 ? 'User not found' : undefined);
  const broken = persona?.brokenBody;
  if (broken && broken !== 'cut-off' && broken !== 'stalled') return brokenBody(broken);
  const breaks = persona?.breaksContract;
  const profile = breaks?.profile ? patched(sandboxProfile(username, persona), breaks.profile) : sandboxProfile(username, persona);
  const answer = now === undefined ? json(200, { data: profile }) : storiesPage(username, persona, now, url);
  if (broken && answer.status === 200) return { ...answer, breaksOff: broken === 'cut-off' ? 'reset' : 'stall' };
  return answer;
}

function storiesPage(username: string, persona: Persona | undefined, now: number, url: URL): Answer {
  const count = Number(url.searchParams.get('count') ?? '4');
  const cursor = url.searchParams.get('cursor') ?? '0';
  if (!Number.isInteger(count) || count < 1 || count > STORY_PAGE_SIZE) {
    return standardFailure(400, `count must be an integer from 1 to ${STORY_PAGE_SIZE}`);
  }
  if (!/^\d+$/.test(cursor)) return standardFailure(400, 'Invalid cursor');
  const all = sandboxStories(username, persona, now);
  const before = Number(cursor);
  const remaining = before === 0 ? all : all.filter((s) => Date.parse(s.published) < before);
  const items: unknown[] = remaining.slice(0, count);
  for (const [index, item] of Object.entries(persona?.breaksContract?.stories ?? {})) {
    const at = Number(index);
    if (before === 0 && at < items.length) items[at] = typeof item === 'object' && item !== null ? patched(items[at] as object, item as Record<string, unknown>) : item;
  }
  const last = remaining.slice(0, count).at(-1);
  const nextCursor = remaining.length > count && last ? String(Date.parse(last.published)) : null;
  const base = `${url.origin}/v1/tiktok/users/${username}/stories`;
  return json(200, {
    data: {
      '@context': ['https://www.w3.org/ns/activitystreams#', 'https://konbiniapi.com/ns/social#'],
      type: 'OrderedCollectionPage',
      partOf: base,
      totalItems: persona?.unknownTotal ? null : all.length,
      cursor: before === 0 ? null : cursor,
      nextCursor,
      next: nextCursor ? `${base}?cursor=${nextCursor}&count=${count}` : null,
      itemCount: items.length,
      orderedItems: items,
    },
  });
}

/** A copy of `object` with `changes` applied (`undefined` removes a property). */
function patched(object: object, changes: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...object };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

function audioRoute(audioId: string): Answer {
  if (!/^\d+$/.test(audioId)) return standardFailure(400, 'Invalid audio id');
  if (!isSandboxAudioId(audioId)) return standardFailure(404, 'Audio not found');
  return json(200, { data: sandboxAudio(audioId) });
}
