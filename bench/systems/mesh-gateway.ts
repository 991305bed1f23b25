/**
 * The alternative a user could deploy instead of this server: a gateway generated from KonbiniAPI's
 * OpenAPI file by GraphQL Mesh (`@omnigraph/openapi` + `@graphql-mesh/compose-cli`) and served by Hive
 * Gateway, configured as their documentation recommends for REST sources: outgoing request
 * deduplication, an HTTP cache, and (RESPONSE_CACHE=true) the response cache.
 * Env: PORT, UPSTREAM (the sandbox's URL), RESPONSE_CACHE, SUPERGRAPH (a composed file to use).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import { getComposedSchemaFromConfig } from '@graphql-mesh/compose-cli';
import useHTTPCache from '@graphql-mesh/plugin-http-cache';
import { DefaultLogger } from '@graphql-mesh/utils';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { useDeduplicateRequest } from '@graphql-hive/plugin-deduplicate-request';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const OPENAPI = fileURLToPath(new URL('../../contract/tiktok-openapi.yml', import.meta.url));

/** The supergraph Mesh composes from the OpenAPI file, its REST calls going to `endpoint`. */
export function composeFromOpenAPI(endpoint: string): Promise<string> {
  const konbini = loadOpenAPISubgraph('konbini', { source: OPENAPI, endpoint, operationHeaders: { Authorization: 'Bearer knbn_mesh_bench' } });
  return getComposedSchemaFromConfig({ subgraphs: [{ sourceHandler: konbini }] }, new DefaultLogger('compose'));
}

async function serve(port: number) {
  // A benchmark composes once and hands the result to every gateway it starts (SUPERGRAPH).
  const supergraph = process.env.SUPERGRAPH
    ? readFileSync(process.env.SUPERGRAPH, 'utf8')
    : await composeFromOpenAPI(process.env.UPSTREAM ?? 'http://127.0.0.1:4010');
  const cache = new InMemoryLRUCache();
  const gateway = createGatewayRuntime({
    supergraph,
    logging: false,
    // Unmasked, so that the benchmark can show what goes wrong (the default hides it as "Unexpected error.").
    maskedErrors: false,
    cache,
    plugins: (ctx) => [useDeduplicateRequest(), useHTTPCache({ ...ctx, cache })],
    ...(process.env.RESPONSE_CACHE === 'true' ? { responseCaching: { session: () => null, ttl: 600_000 } } : {}),
  });
  createServer(gateway).listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'mesh gateway ready' })));
}

if (process.env.PORT) await serve(Number(process.env.PORT));
