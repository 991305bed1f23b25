/**
 * The alternative a user could deploy instead of this server: a gateway generated from KonbiniAPI's
 * OpenAPI file by GraphQL Mesh (`@omnigraph/openapi` + `@graphql-mesh/compose-cli`) and served by Hive
 * Gateway, configured as their documentation recommends for REST sources: outgoing request
 * deduplication, an HTTP cache, and (RESPONSE_CACHE=true) the response cache.
 * Env: PORT, UPSTREAM (the sandbox's URL), RESPONSE_CACHE.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { getComposedSchemaFromConfig } from '@graphql-mesh/compose-cli';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import useHTTPCache from '@graphql-mesh/plugin-http-cache';
import { DefaultLogger } from '@graphql-mesh/utils';
import { useDeduplicateRequest } from '@graphql-hive/plugin-deduplicate-request';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const upstream = process.env.UPSTREAM ?? 'http://127.0.0.1:4010';
const source = fileURLToPath(new URL('../../contract/tiktok-openapi.yml', import.meta.url));
const supergraph = await getComposedSchemaFromConfig(
  {
    subgraphs: [
      {
        sourceHandler: loadOpenAPISubgraph('konbini', {
          source,
          endpoint: upstream,
          operationHeaders: { Authorization: 'Bearer knbn_mesh_bench' },
        }),
      },
    ],
  },
  new DefaultLogger('compose'),
);

const cache = new InMemoryLRUCache();
const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  cache,
  plugins: (ctx) => [useDeduplicateRequest(), useHTTPCache({ ...ctx, cache })],
  ...(process.env.RESPONSE_CACHE === 'true' ? { responseCaching: { session: () => null, ttl: 600_000 } } : {}),
});

createServer(gateway).listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'mesh gateway ready' })));
