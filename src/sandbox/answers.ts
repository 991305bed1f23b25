/** What a sandbox route answers, before billing and headers: statuses, the error envelope, broken bodies. */

export interface Answer {
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

/** What a route needs of its sandbox, besides the request. */
export interface RouteContext {
  nowMs: number;
  /** How many times `key` was fetched before; counts this fetch unless `peek`. */
  fetches(key: string, peek?: boolean): number;
  /** Whether the caller asked for a bare WebVTT body (transcripts). */
  wantsVtt: boolean;
}

const ERROR_CODES: Record<number, [string, string]> = {
  400: ['validation_error', 'Validation error'],
  404: ['not_found', 'Not found'],
  500: ['internal_error', 'Internal error'],
  502: ['platform_error', 'Platform error'],
  503: ['service_unavailable', 'Service unavailable'],
  504: ['platform_error', 'Platform error'],
};

/** A successful call and a not_found lookup are billed; everything else is refunded. */
export const isBilled = (answer: Answer) => !answer.unauthenticated && (answer.status === 200 || (answer.status === 404 && !answer.routeNotFound));

export const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });
export const ok = (data: unknown): Answer => json(200, { data });
export const failure = (status: number, code: string, message: string): Answer => json(status, { errors: [{ code, message }], data: null });
export const standardFailure = (status: number, message?: string): Answer => {
  const [code, fallback] = ERROR_CODES[status]!;
  return failure(status, code, message ?? fallback);
};
export const invalid = (message: string) => standardFailure(400, message);
export const notFound = (message: string) => standardFailure(404, message);
export const routeNotFound = (): Answer => ({ ...failure(404, 'route_not_found', 'Route not found'), routeNotFound: true });

export function abortableSleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
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
export function brokenStream(body: string, how: 'reset' | 'stall', signal: AbortSignal | null | undefined): ReadableStream<Uint8Array> {
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

/** A complete 200 body that is not the contract. */
export function brokenBody(kind: 'truncated-json' | 'html' | 'contract-breaking'): Answer {
  if (kind === 'html') return { status: 200, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };
  if (kind === 'truncated-json') return { status: 200, body: '{"data":{"type":"Person","id":"https://www.tiktok.com/@bad' };
  return json(200, { data: { type: 'Person', followerCount: 'many' } });
}

/** A copy of `object` with `changes` applied (`undefined` removes a property). */
export function patched(object: object, changes: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...object };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}
