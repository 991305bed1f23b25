/**
 * Our error codes and the one mapping from upstream failures to GraphQL errors. Every error a client
 * sees carries a stable `extensions.code`; anything unexpected is masked by Yoga.
 */
import { GraphQLError } from 'graphql';
import { UpstreamError, type UpstreamFailure } from './upstream/errors.js';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CREDITS_EXHAUSTED: 'CREDITS_EXHAUSTED',
  UPSTREAM_AUTH_FAILED: 'UPSTREAM_AUTH_FAILED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  QUERY_TOO_EXPENSIVE: 'QUERY_TOO_EXPENSIVE',
  /** The client's credit budget, or the account's ceiling, cannot cover the operation's estimate now (HTTP 429). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The answer grew past MAX_RESPONSE_BYTES: it is refused instead of being built. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** Execution ran past the operation's deadline. */
  OPERATION_TIMEOUT: 'OPERATION_TIMEOUT',
  /** The request is not a GraphQL-over-HTTP request we can read (no query, malformed JSON, wrong method). */
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** `operationName` names no operation of the document, or the document holds several and none is named. */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** A mutation or a subscription: the schema has only queries. */
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  /** Automatic persisted queries: the hash is not registered (yet); Apollo Client retries with the query. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries are off (`APQ_MAX_ENTRIES=0`); Apollo Client stops sending hashes. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** The query sent with a hash does not hash to it. */
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  /** `extensions.persistedQuery` is not `{ version: 1, sha256Hash: <64 lowercase hex digits> }`. */
  PERSISTED_QUERY_INVALID: 'PERSISTED_QUERY_INVALID',
  /** Masked by Yoga: something unexpected failed on our side. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A GraphQL error with a code; safe to show to clients. */
export class CodedError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

/** Input we refuse before spending anything upstream. */
export class BadUserInputError extends CodedError {
  constructor(message: string, argument?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, argument ? { argument } : {});
  }
}

export class NotFoundError extends CodedError {
  constructor(message: string) {
    super(ErrorCode.NOT_FOUND, message);
  }
}

const UPSTREAM_CODES: Record<UpstreamFailure, ErrorCode> = {
  not_found: ErrorCode.NOT_FOUND,
  bad_request: ErrorCode.BAD_USER_INPUT,
  credits_exhausted: ErrorCode.CREDITS_EXHAUSTED,
  auth_failed: ErrorCode.UPSTREAM_AUTH_FAILED,
  unavailable: ErrorCode.UPSTREAM_UNAVAILABLE,
  timeout: ErrorCode.UPSTREAM_TIMEOUT,
  bad_response: ErrorCode.UPSTREAM_BAD_RESPONSE,
  budget_exceeded: ErrorCode.QUERY_TOO_EXPENSIVE,
};

const UPSTREAM_MESSAGES: Record<UpstreamFailure, string> = {
  not_found: 'not found on TikTok',
  bad_request: 'rejected by KonbiniAPI as invalid',
  credits_exhausted: 'unavailable: the KonbiniAPI account has no credits left',
  auth_failed: 'unavailable: the server’s KonbiniAPI key was refused (wrong, disabled or expired)',
  unavailable: 'unavailable: KonbiniAPI or TikTok failed, try again shortly',
  timeout: 'unavailable: KonbiniAPI did not answer in time',
  bad_response: 'unavailable: KonbiniAPI answered with a malformed body',
  budget_exceeded: 'not fetched: the operation already used the upstream calls it was estimated at',
};

/**
 * Maps an upstream failure about `subject` (say `User "khaby.lame"`) to a GraphQL error. The upstream's
 * own message is not forwarded: it may quote our request, and the code says what a client needs.
 */
export function toGraphQLError(error: unknown, subject: string): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (!(error instanceof UpstreamError)) return new GraphQLError('Unexpected error.', { originalError: error as Error });
  const extensions: Record<string, unknown> = {};
  if (error.status !== null) extensions.upstreamStatus = error.status;
  if (error.upstreamCode !== null) extensions.upstreamCode = error.upstreamCode;
  return new CodedError(UPSTREAM_CODES[error.failure], `${subject} is ${UPSTREAM_MESSAGES[error.failure]}.`, extensions);
}
