/** The SchemaBuilder: plugins, scalars and Relay options. Types live in their domain files. */
import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, SafeIntResolver, URLResolver } from 'graphql-scalars';
import type { GraphContext } from './context.js';
import { cost, distinctEntries, nodeCost } from './cost/declarations.js';
import './execution/pothos-plugin.js';
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
  // A page of a connection is built whole from upstream pages its resolver already holds: its edges,
  // nodes, cursors and page info cannot fail on their own, so they stay non-null (see README, The graph).
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, DirectivePlugin, FederationPlugin, 'executionGuard'],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: { description: 'The items of this page, without cursors (a shortcut for `edges { node }`).' },
    encodeGlobalID,
    decodeGlobalID,
    idFieldOptions: { description: 'Opaque global id (Relay); `node(id:)` refetches the object.' },
    nodeQueryOptions: {
      description: 'Any object this server handed out, by its global id.',
      args: { id: { description: 'A global id from an `id` field.' } },
      extensions: cost((c) => nodeCost(c, c.args.id)),
    },
    nodesQueryOptions: {
      description: 'Objects by global id, one entry per id, in order (null where missing).',
      args: { ids: { description: 'Global ids from `id` fields.' } },
      extensions: cost((c) => distinctEntries(c, 'ids').reduce((total, id) => total + nodeCost(c, id), 0)),
      resolve: (_, { ids }, ctx, _info, resolveNodes) => {
        checkListLength(ids.length, ctx.config.maxListLength, 'ids');
        return resolveNodes(ids);
      },
    },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    nodeTypeOptions: { description: 'An object with a global id, refetchable with `node(id:)`.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page (true when `after` was given).' },
    startCursorFieldOptions: { description: 'Cursor of the first edge, null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge (pass it as `after` for the next page), null when empty.' },
    edgesFieldOptions: { nullable: { list: false, items: false }, description: 'The items of this page with their cursors.' },
    pageInfoFieldOptions: { nullable: false, description: 'Pagination state of this page.' },
    cursorFieldOptions: { nullable: false, description: 'Opaque cursor of this edge: `after` it resumes with the next item.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
    firstArgOptions: { description: 'How many items to return (default 10, at most 100).' },
    afterArgOptions: { description: 'Return the items after this cursor (any edge cursor works).' },
    lastArgOptions: { description: 'Not supported: the upstream pages forward only.' },
    beforeArgOptions: { description: 'Not supported: the upstream pages forward only.' },
  },
});

builder.addScalarType('SafeInt', SafeIntResolver);
builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('URL', URLResolver);
