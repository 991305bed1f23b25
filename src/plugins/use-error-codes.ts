/**
 * Every error a client sees carries an `extensions.code`, and every answer without `data` gets a 4xx
 * under `application/graphql-response+json`, as the GraphQL-over-HTTP spec requires (under
 * `application/json` such answers stay 200). Codes that exist are never replaced: this plugin only
 * fills in what graphql-js leaves bare, namely mutations and subscriptions (the schema has only
 * queries), variables that do not coerce, and anything else without a code.
 */
import { mapAsyncIterator } from '@envelop/core';
import { GraphQLError, Kind, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';
import { type IncrementalPayload, payloadErrors } from '../execution/incremental.js';

/** Refuses at validation, rather than at execution, an operation whose root type the schema lacks. */
const operationTypesRule: ValidationRule = (context) => ({
  [Kind.OPERATION_DEFINITION](node) {
    if (node.operation === 'query') return;
    const schema = context.getSchema();
    const root = node.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    if (root) return;
    context.reportError(
      new GraphQLError(`This API has no ${node.operation}s: it only reads TikTok data. Send a query.`, {
        nodes: node,
        extensions: { code: ErrorCode.OPERATION_NOT_SUPPORTED },
      }),
    );
  },
});

// graphql-js's messages for variables that do not coerce (a missing one, a wrong type).
const VARIABLE_ERROR = /^Variable "\$[^"]*" (got invalid value|of required type|of non-null type)/;

type Extensions = { code?: unknown; unexpected?: unknown; http?: { status?: number; spec?: boolean } };

function isResult(value: unknown): value is { data?: unknown; errors?: readonly GraphQLError[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(Symbol.asyncIterator in value);
}

const isIncremental = (value: unknown): value is AsyncIterable<IncrementalPayload> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Gives every error without a code one (in place), and returns their extensions. */
function fillCodes(errors: readonly GraphQLError[]): Extensions[] {
  // Yoga's own errors carry their extensions as a plain object; filling it in keeps them intact.
  const extensions = errors.map((error) => error.extensions as Extensions);
  for (const [i, extension] of extensions.entries()) {
    if (extension.code !== undefined) continue;
    if (VARIABLE_ERROR.test(errors[i]!.message)) {
      extension.code = ErrorCode.BAD_USER_INPUT;
      extension.http ??= { status: 400, spec: true };
    } else {
      extension.code = ErrorCode.INTERNAL_SERVER_ERROR;
    }
  }
  return extensions;
}

export function useErrorCodes(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(operationTypesRule);
    },
    onResultProcess({ result, setResult }) {
      if (isIncremental(result)) {
        // @defer, @stream: every payload's errors and its patches' get their code as they pass.
        setResult(
          mapAsyncIterator(result, (payload) => {
            fillCodes(payloadErrors(payload));
            return payload;
          }),
        );
        return;
      }
      if (!isResult(result) || !result.errors?.length) return;
      const errors = fillCodes(result.errors);
      // An answer without `data` is a request error: the status says so when the client accepts
      // graphql-response+json (`spec`), unless an error already chose one or Yoga answers 500.
      if ('data' in result) return;
      const decided = errors.some((extensions) => extensions.http?.status !== undefined || extensions.unexpected);
      if (decided) return;
      // A copy: the first error may be an object other answers share.
      const [first, ...rest] = result.errors;
      const http = { ...errors[0]!.http, status: 400, spec: true };
      const copy = new GraphQLError(first!.message, {
        nodes: first!.nodes,
        source: first!.source,
        positions: first!.positions,
        path: first!.path,
        originalError: first!.originalError,
        extensions: { ...first!.extensions, http },
      });
      setResult({ ...result, errors: [copy, ...rest] });
    },
  };
}
