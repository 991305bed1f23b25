/**
 * Limits on the shape of an operation, checked during validation (before any upstream call), from
 * GraphQL Armor: depth, aliases, directives and tokens; field suggestions are blocked in production
 * (they would let a client map a schema with introspection off), and introspection can be disabled.
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AppConfig } from '../config.js';

export const LIMIT_CODE = 'OPERATION_LIMIT_EXCEEDED';

/** Gives Armor's refusals a stable code and a 400, like any other invalid operation. */
const onReject = [
  (_: unknown, error: GraphQLError) => {
    Object.assign(error.extensions as Record<string, unknown>, { code: LIMIT_CODE, http: { status: 400 } });
  },
];

export function useOperationLimits(config: AppConfig): Plugin[] {
  const { limits } = config;
  const plugins: Plugin[] = [
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject }),
    maxAliasesPlugin({ n: limits.maxAliases, onReject }),
    maxDirectivesPlugin({ n: limits.maxDirectives, onReject }),
    maxTokensPlugin({ n: limits.maxTokens, onReject }),
  ];
  if (config.production) plugins.push(blockFieldSuggestionsPlugin());
  if (!limits.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
