/**
 * Limits on the shape of an operation, checked before graphql-js validates it (so before any upstream
 * call): depth, aliases, directives, repeated fields and nested literals (src/cost/shape.ts, linear in the
 * document), and tokens (graphql-js's own `maxTokens`, while parsing). Field suggestions are blocked in
 * production (they would let a client map a schema with introspection off), and introspection can be
 * disabled.
 *
 * Armor's depth, alias and directive rules were replaced: they ran as validation rules when the operation
 * was entered, after graphql-js had already validated the fragments written before it — and validating
 * `fragment X on User { a: username ×660 }` alone took 200 ms — and they counted a fragment spread twice
 * per level 2^n times. graphql-js's own MaxIntrospectionDepthRule is exponential in such fragments: it is
 * swapped for a linear equivalent. Armor's token limit was replaced too: it wrapped graphql-js's lexer in
 * a Proxy whose every call allocated (0.5-3% of the CPU of a cold answer); graphql-js counts the same
 * tokens (every token but the end) when given `maxTokens`.
 */
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, MaxIntrospectionDepthRule, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AppConfig } from '../config.js';
import { ErrorCode } from '../errors.js';
import { LinearMaxIntrospectionDepthRule } from '../cost/introspection-depth.js';
import { MAX_FIELD_REPEATS, type ShapeLimits, type ShapeViolation, findShapeViolation } from '../cost/shape.js';
import { MAX_VALUE_DEPTH } from '../schema/inputs.js';
import { useValidationByShape } from './use-validation-by-shape.js';

export const LIMIT_CODE = 'OPERATION_LIMIT_EXCEEDED';

function refusal(violation: ShapeViolation): GraphQLError {
  const { limit, max, found, field } = violation;
  const messages: Record<ShapeViolation['limit'], string> = {
    depth: `The operation nests fields deeper than the limit of ${max} levels.`,
    aliases: `The operation has ${found} aliases; the limit is ${max}.`,
    directives: `The operation has ${found} directives; the limit is ${max}.`,
    fieldRepeats: `"${field}" is selected ${found} times at one place; the limit is ${max}.`,
    valueDepth: `A value nests lists or objects deeper than ${max} levels.`,
  };
  // A value is input; the others are the operation's shape.
  const code = limit === 'valueDepth' ? ErrorCode.BAD_USER_INPUT : LIMIT_CODE;
  return new GraphQLError(messages[limit], { extensions: { code, limit: max, http: { status: 400 } } });
}

/**
 * Parses with graphql-js's own token limit, refusing a longer document with the code, message and
 * status Armor's plugin gave it (`Syntax Error: Token limit of N exceeded.`, 400).
 */
function useTokenLimit(maxTokens: number): Plugin {
  const refused = `${maxTokens} tokens. Parsing aborted.`;
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens });
        } catch (error) {
          if (error instanceof GraphQLError && error.message.endsWith(refused)) {
            throw new GraphQLError(`Syntax Error: Token limit of ${maxTokens} exceeded.`, { extensions: { code: LIMIT_CODE, http: { status: 400 } } });
          }
          throw error;
        }
      });
    },
  };
}

/** graphql-js's rules, with its exponential MaxIntrospectionDepthRule replaced by a linear one. */
const linearRules = (rules: readonly ValidationRule[] | undefined) =>
  rules?.map((rule) => (rule === MaxIntrospectionDepthRule ? LinearMaxIntrospectionDepthRule : rule));

/** Refuses a document over a shape limit before graphql-js spends anything on validating it. */
function useShapeLimits(limits: ShapeLimits): Plugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) => {
        const violation = findShapeViolation(document, limits);
        if (violation) throw refusal(violation);
        return validateFn(schema, document, linearRules(rules), typeInfo, options);
      });
    },
  };
}

/** The shape limits, the token limit, and the production and introspection switches. */
export function useOperationLimits(config: AppConfig): Plugin[] {
  const { limits } = config;
  const shape: ShapeLimits = {
    maxDepth: limits.maxDepth,
    maxAliases: limits.maxAliases,
    maxDirectives: limits.maxDirectives,
    maxFieldRepeats: MAX_FIELD_REPEATS,
    maxValueDepth: MAX_VALUE_DEPTH,
  };
  const plugins: Plugin[] = [useShapeLimits(shape), useValidationByShape(), useTokenLimit(limits.maxTokens)];
  if (config.production) plugins.push(blockFieldSuggestionsPlugin());
  if (!limits.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
