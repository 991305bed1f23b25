/**
 * Refuses, with BAD_USER_INPUT and a 400, request variables (or extensions) that nest lists and objects
 * deeper than MAX_VALUE_DEPTH, before anything reads them: a 64 KB body holds 30,000 nested arrays, and
 * every recursive walk over them (variable coercion, `String()`, `JSON.stringify` for cache keys, logs)
 * would overflow the stack into a 500. The check itself never recurses.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';
import { MAX_VALUE_DEPTH, nestedDeeperThan } from '../schema/inputs.js';

export function useVariableLimits(maxDepth = MAX_VALUE_DEPTH): Plugin {
  return {
    onParams({ params }) {
      for (const [name, value] of [
        ['variables', params.variables],
        ['extensions', params.extensions],
      ] as const) {
        if (nestedDeeperThan(value, maxDepth + 1)) {
          // +1: the variables object itself is one level; each variable may nest `maxDepth` levels.
          throw new GraphQLError(`The request's ${name} nest lists or objects deeper than ${maxDepth} levels.`, {
            extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
          });
        }
      }
    },
  };
}
