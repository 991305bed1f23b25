/** The SchemaBuilder: plugins, scalars and Relay options. Types live in their domain files. */
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, SafeIntResolver, URLResolver } from 'graphql-scalars';
import type { GraphContext } from './context.js';
import { decodeGlobalID, encodeGlobalID } from './schema/global-ids.js';
import { checkListLength } from './schema/inputs.js';

export const builder = new SchemaBuilder<{
  Context: GraphContext;
  Scalars: {
    SafeInt: { Input: number; Output: number };
    DateTime: { Input: Date; Output: Date | string };
    URL: { Input: URL; Output: URL | string };
  };
  Connection: { totalCount: number | null };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin, DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: true,
    encodeGlobalID,
    decodeGlobalID,
    idFieldOptions: { description: 'Opaque global id (Relay); `node(id:)` refetches the object.' },
    nodeQueryOptions: { description: 'Any object this server handed out, by its global id.' },
    nodesQueryOptions: {
      description: 'Objects by global id, one entry per id, in order (null where missing).',
      resolve: (_, { ids }, ctx, _info, resolveNodes) => {
        checkListLength(ids.length, ctx.config.maxListLength, 'ids');
        return resolveNodes(ids);
      },
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
  },
});

builder.addScalarType('SafeInt', SafeIntResolver);
builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('URL', URLResolver);
