/**
 * The sandbox KonbiniAPI as a `fetch` function: same paths, parameters, limits, error envelope and
 * credit headers as the OpenAPI file, with deterministic data and personas for every failure.
 */
import type { Fetch } from '../upstream/client.js';
import type { Profile, Story, Video } from '../upstream/types.js';
import { abortableSleep, type Answer, brokenStream, failure, isBilled, standardFailure } from './answers.js';
import { createLiveEdits } from './live-edits.js';
import { KEY_PERSONAS, type Persona, personaFor } from './personas.js';
import { route } from './routes.js';

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
  /** While true, every call answers 503 service_unavailable (refunded): an upstream outage. */
  outage: boolean;
  /** Publishes a new story now: first in the user's stories page, with a new id. */
  publishStory(username: string): Story;
  /** Publishes a new video now: first in the user's newest videos page. */
  publishVideo(username: string): Video;
  /** Changes fields of the user's profile (by default, one more follower); returns the new profile. */
  changeProfile(username: string, changes?: Partial<Profile>): Profile;
}

/** Creates a sandbox upstream with its own credit balance, call log and fetch counters (for lists that shift). */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const counters = new Map<string, number>();
  const fetches = (key: string, peek = false) => {
    const seen = counters.get(key) ?? 0;
    if (!peek) counters.set(key, seen + 1);
    return seen;
  };
  const edits = createLiveEdits();
  const normalise = (username: string) => username.trim().replace(/^@/, '').toLowerCase();
  const sandbox: Sandbox = {
    outage: false,
    publishStory: (username) => edits.publishStory(normalise(username), sandbox.now()),
    publishVideo: (username) => edits.publishVideo(normalise(username), sandbox.now()),
    changeProfile: (username, changes) => edits.changeProfile(normalise(username), changes),
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
      const wantsVtt = /^text\/vtt/.test(headers.get('accept') ?? '');
      const answer =
        authenticate(headers.get('authorization'), sandbox) ??
        (sandbox.outage ? standardFailure(503) : edits.apply(url, route(url, init?.method ?? 'GET', { nowMs: sandbox.now(), fetches, wantsVtt })));
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
  try {
    return match ? personaFor(decodeURIComponent(match[1]!).replace(/^@/, '').toLowerCase()) : undefined;
  } catch {
    return undefined; // a malformed path: the route answers it
  }
}

function authenticate(authorization: string | null, sandbox: Sandbox): Answer | undefined {
  const key = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!key?.startsWith('knbn_')) {
    return { ...failure(401, key ? 'invalid_api_key' : 'missing_api_key', key ? 'Invalid API key' : 'Missing or malformed API key'), unauthenticated: true };
  }
  const persona = KEY_PERSONAS[key];
  if (persona) return failure(persona.status, persona.code, persona.message);
  if (sandbox.creditsRemaining <= 0) return failure(402, 'credits_exhausted', KEY_PERSONAS.knbn_no_credits!.message);
  return undefined;
}
