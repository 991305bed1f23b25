/**
 * Shapes the answer of an operation its execution guard stopped (see src/execution/guard.ts): an answer
 * too large is refused whole (nothing of it is sent or cached); an operation past its deadline keeps
 * what it had resolved, with one error instead of one per field the guard stopped.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';
import { existingGuard } from '../execution/guard.js';

export function useExecutionGuard(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const failure = existingGuard(args.contextValue as object)?.failure;
          if (!failure || Symbol.asyncIterator in result) return;
          if (failure.extensions.code === ErrorCode.RESPONSE_TOO_LARGE) {
            setResult({ errors: [failure], extensions: result.extensions });
            return;
          }
          const errors = result.errors ?? [];
          const first = errors.find((e: GraphQLError) => e.originalError === failure);
          setResult({ ...result, errors: [...errors.filter((e: GraphQLError) => e.originalError !== failure), ...(first ? [first] : [])] });
        },
      };
    },
  };
}
