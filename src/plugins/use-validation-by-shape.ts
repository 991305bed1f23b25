/**
 * Validates once per document shape (src/validation/document-shape.ts). Yoga caches validation by the
 * document's exact text, so `{ user(username: "a") … }` then `… "b" …` validated twice in full: some
 * 300 µs each, the largest single cost of a cold answer. A document whose shape passed every rule
 * before now runs only the rules that read literal values (graphql-js's ValuesOfCorrectTypeRule, a
 * tenth of the cost), plus any rule this file does not know: every other known rule judges a shape,
 * not its literals (names, structure, and literals compared only with each other, which the shape
 * keeps). The shape limits (depth, aliases, ...) are shape too, so a known shape skips them.
 *
 * Only valid shapes are kept, in an LRU bounded by their length: a client sending ever-new shapes pays
 * a full validation each, as before, and can push out others' shapes but not grow memory.
 */
import { type GraphQLSchema, type ValidationRule, ValuesOfCorrectTypeRule, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LRUCache } from 'lru-cache';
import { boundedByText } from '../validation/document-cache.js';
import { documentShape } from '../validation/document-shape.js';

/**
 * Rules whose verdict depends on a document's shape only (by name: the defer/stream plugin brings its
 * own copy of the overlapping-fields rule, which compares literals as graphql-js's does).
 */
const SHAPE_RULES = new Set([
  'ExecutableDefinitionsRule',
  'UniqueOperationNamesRule',
  'LoneAnonymousOperationRule',
  'SingleFieldSubscriptionsRule',
  'KnownTypeNamesRule',
  'FragmentsOnCompositeTypesRule',
  'VariablesAreInputTypesRule',
  'ScalarLeafsRule',
  'FieldsOnCorrectTypeRule',
  'UniqueFragmentNamesRule',
  'KnownFragmentNamesRule',
  'NoUnusedFragmentsRule',
  'PossibleFragmentSpreadsRule',
  'NoFragmentCyclesRule',
  'UniqueVariableNamesRule',
  'NoUndefinedVariablesRule',
  'NoUnusedVariablesRule',
  'KnownDirectivesRule',
  'UniqueDirectivesPerLocationRule',
  'KnownArgumentNamesRule',
  'UniqueArgumentNamesRule',
  'ProvidedRequiredArgumentsRule',
  'VariablesInAllowedPositionRule',
  'OverlappingFieldsCanBeMergedRule',
  'UniqueInputFieldNamesRule',
  'MaxIntrospectionDepthRule',
  'LinearMaxIntrospectionDepthRule',
  'NoSchemaIntrospectionCustomRule',
  'DeferStreamDirectiveLabelRule',
  'DeferStreamDirectiveOnRootFieldRule',
  'StreamDirectiveOnListFieldRule',
  'operationTypesRule',
]);

/** Characters of shapes kept, all together (a shape is about as long as its document). */
export const VALID_SHAPES_MAX_CHARS = 2_000_000;

/** The rules to run again on a known-valid shape: the literal rule, and any rule not known to judge shape alone. */
function literalRules(rules: readonly ValidationRule[]): ValidationRule[] {
  return rules.filter((rule) => rule === ValuesOfCorrectTypeRule || !SHAPE_RULES.has(rule.name));
}

/** Rule lists told apart (each plugin setting that adds a rule makes one): more are validated in full. */
const MAX_RULE_LISTS = 16;

export function useValidationByShape(maxChars = VALID_SHAPES_MAX_CHARS): Plugin {
  const validShapes = new WeakMap<GraphQLSchema, LRUCache<string, true>>();
  const ruleLists = new Map<string, number>();
  const shapesOf = (schema: GraphQLSchema) => {
    let shapes = validShapes.get(schema);
    if (!shapes) {
      shapes = boundedByText<true>(maxChars);
      validShapes.set(schema, shapes);
    }
    return shapes;
  };
  const ruleListOf = (rules: readonly ValidationRule[]) => {
    const names = rules.map((rule) => rule.name).join(',');
    let id = ruleLists.get(names);
    if (id === undefined && ruleLists.size < MAX_RULE_LISTS) {
      id = ruleLists.size;
      ruleLists.set(names, id);
    }
    return id;
  };
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) => {
        // Yoga always passes the rules (graphql-js's and the plugins'); without them, validate as asked.
        const ruleList = rules && ruleListOf(rules);
        if (ruleList === undefined) return validateFn(schema, document, rules, typeInfo, options);
        const shape = `${ruleList}:${documentShape(document)}`;
        const shapes = shapesOf(schema);
        // The wrappers before this plugin (the shape limits) judge shapes, so a known one goes straight to graphql-js.
        if (shapes.get(shape)) return validate(schema, document, literalRules(rules), typeInfo, options);
        const errors = validateFn(schema, document, rules, typeInfo, options);
        if (errors.length === 0) shapes.set(shape, true);
        return errors;
      });
    },
  };
}
