/** Upstream failures as a typed error; mapped to GraphQL errors in `src/errors.ts`. */

export type UpstreamFailure =
  | 'not_found'
  | 'bad_request'
  | 'credits_exhausted'
  | 'auth_failed'
  | 'unavailable'
  | 'timeout'
  | 'bad_response'
  | 'budget_exceeded';

/**
 * Why the server refused a call without asking KonbiniAPI: in the `upstreamCode` slot, so that clients
 * see it as `extensions.upstreamCode` (with no `upstreamStatus`, unlike KonbiniAPI's own codes).
 */
export const LocalRefusal = {
  /** Too many calls wait behind the concurrency cap: the call is refused at once. */
  QUEUE_FULL: 'queue_full',
  /** The endpoint's circuit is open: the call is refused at once. */
  CIRCUIT_OPEN: 'circuit_open',
  /** Every operation waiting for the call has answered or passed its deadline: it is not started. */
  ABANDONED: 'abandoned',
} as const;
export type LocalRefusal = (typeof LocalRefusal)[keyof typeof LocalRefusal];

/** Thrown by the KonbiniAPI client; carries the HTTP status and the upstream's own error code. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    readonly status: number | null = null,
    readonly upstreamCode: string | null = null,
    /** The upstream refunds it and it is transient (5xx, connection reset): a retry may succeed. */
    readonly retryable = false,
    /**
     * A failure of one resource, not of the upstream: a 502 platform_error (TikTok refused this
     * profile), or a 2xx whose body is malformed, too large, broke off or came too slowly. It is
     * remembered for that resource for a while and never counts against the endpoint's circuit.
     */
    readonly ofResource = false,
  ) {
    super(message);
  }
}

/** Classifies a non-2xx status the way error-codes.yml does. */
export function failureForStatus(status: number): UpstreamFailure {
  if (status === 404) return 'not_found';
  if (status === 400 || status === 413) return 'bad_request';
  if (status === 402) return 'credits_exhausted';
  if (status === 401 || status === 403) return 'auth_failed';
  if (status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'bad_response';
}

/** 500, 502, 503 and 504 are refunded and transient. */
export const isRetryableStatus = (status: number) => status >= 500 && status <= 504 && status !== 501;

/**
 * A 502 with KonbiniAPI's `platform_error` code: TikTok failed or refused this one fetch (a 502 without
 * the envelope, from a proxy, says nothing about a resource and is a service failure).
 */
export const isResourceStatus = (status: number, upstreamCode: string | null) => status === 502 && upstreamCode === 'platform_error';

/** Failures that say the account itself is unusable, whatever is asked. */
export const isAccountFailure = (error: UpstreamError) => error.failure === 'credits_exhausted' || error.failure === 'auth_failed';

/**
 * Failures of the upstream service itself (500, 503, a 502 from a proxy, 504, our timeouts, connection
 * errors), as opposed to answers about one request or one resource: only these trip circuits.
 */
export const isServiceFault = (error: UpstreamError) => !error.ofResource && (error.failure === 'unavailable' || error.failure === 'timeout');
