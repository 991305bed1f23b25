/** A Pothos plugin that runs every field's resolver through its operation's execution guard. */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { GraphContext } from '../context.js';
import { ExecutionGuard, guardOf } from './guard.js';

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      executionGuard: ExecutionGuardPlugin<Types>;
    }
  }
}

export class ExecutionGuardPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    _fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    return (parent, args, ctx, info) => {
      const guard = guardOf(ctx as object, () => {
        const { config, callOptions } = ctx as unknown as GraphContext;
        return new ExecutionGuard(config.limits.maxResponseBytes, callOptions.deadlineAt ?? Infinity);
      });
      return guard.run(resolver as GraphQLFieldResolver<unknown, object, object>, parent, args, ctx as object, info);
    };
  }
}

SchemaBuilder.registerPlugin('executionGuard', ExecutionGuardPlugin);
