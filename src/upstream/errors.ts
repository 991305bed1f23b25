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

/** Failures that say the account itself is unusable, whatever is asked. */
export const isAccountFailure = (error: UpstreamError) => error.failure === 'credits_exhausted' || error.failure === 'auth_failed';

/** Failures of the upstream's health (as opposed to answers about the request): they trip breakers. */
export const isUpstreamFault = (error: UpstreamError) =>
  error.failure === 'unavailable' || error.failure === 'timeout' || error.failure === 'bad_response';
