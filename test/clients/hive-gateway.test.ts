/**
 * A second federation gateway besides Apollo Gateway (test/federation.test.ts): Hive Gateway, over
 * HTTP, in front of the real server process as the TikTok subgraph and the marketing subgraph of
 * test/federation. The TikTok SDL is the one the running server answers to `_service { sdl }`, composed
 * with @apollo/composition; queries cross both subgraphs in both directions.
 * Hive Gateway loads the executor for `http` subgraphs from @graphql-mesh/transport-http at run
 * time (its CLI bundles it; the runtime package only imports it): a dev dependency here.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { type GatewayRuntime, createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETING_SDL, createMarketingSubgraph } from '../federation/marketing-subgraph.js';
import { encodeGlobalID } from '../../src/schema/global-ids.js';
import { BUSY_USER, type RealServer, fullStoryList, startRealServer, storyPageCalls } from './real-server.js';

const servers: Server[] = [];
const listen = (handler: Parameters<typeof createServer>[1]) =>
  new Promise<string>((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
    servers.push(server);
  });

let real: RealServer;
let gateway: GatewayRuntime;
let gatewayUrl: string;
let marketingUrl: string;
/** The subgraph requests the gateway made, by subgraph URL. */
const subgraphRequests: { url: string; body: string }[] = [];

async function query(q: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: any[] }> {
  const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, variables }) });
  expect(res.headers.get('content-type')).toMatch(/json/);
  return res.json();
}

beforeAll(async () => {
  real = await startRealServer();
  marketingUrl = await listen(createMarketingSubgraph());
  const service = await real.server.query('{ _service { sdl } }');
  if (!service.data?._service?.sdl) throw new Error(`the server gave no subgraph SDL: ${JSON.stringify(service)}`);
  const composition = composeServices([
    { name: 'tiktok', url: real.server.url, typeDefs: parse(service.data._service.sdl) },
    { name: 'marketing', url: marketingUrl, typeDefs: parse(MARKETING_SDL) },
  ]);
  if (composition.errors) throw new Error(`composition failed: ${composition.errors.map((e) => e.message).join('; ')}`);
  gateway = createGatewayRuntime({
    supergraph: composition.supergraphSdl,
    logging: false,
    plugins: () => [
      {
        onFetch: ({ url, options }) => {
          subgraphRequests.push({ url, body: String(options.body) });
        },
      },
    ],
  });
  gatewayUrl = await listen(gateway);
}, 60_000);

afterAll(async () => {
  await gateway?.dispose();
  for (const server of servers) server.close();
  await real?.close();
});

const toTiktok = () => subgraphRequests.filter((r) => r.url === real.server.url);
const toMarketing = () => subgraphRequests.filter((r) => r.url === marketingUrl);

describe('Hive Gateway over the real server', () => {
  it('resolves TikTok users inside marketing campaigns in one _entities request (marketing → tiktok)', async () => {
    real.resetCalls();
    subgraphRequests.length = 0;
    const res = await query(`{ campaigns { name influencer { username displayName likeCount stories(first: 2) { nodes { storyId } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.map((c: any) => [c.name, c.influencer.username])).toEqual([
      ['Summer drop', 'khaby.lame'],
      ['Back to school', 'alice'],
      ['Holiday reels', 'khaby.lame'],
    ]);
    expect(res.data.campaigns[0].influencer).toMatchObject({ displayName: 'Khabane Lame', likeCount: 2_600_000_000 });
    expect(res.data.campaigns[2].influencer).toEqual(res.data.campaigns[0].influencer);
    expect(res.data.campaigns[1].influencer.stories.nodes).toHaveLength(2);
    // One request to each subgraph: the three representations went in one `_entities` call...
    expect(toMarketing()).toHaveLength(1);
    expect(toTiktok()).toHaveLength(1);
    expect(toTiktok()[0]!.body).toContain('_entities');
    // ...which the server answered with one profile and one story page per distinct user.
    expect(real.calls().sort()).toEqual([
      '/v1/tiktok/users/alice',
      '/v1/tiktok/users/alice/stories?count=35',
      '/v1/tiktok/users/khaby.lame',
      '/v1/tiktok/users/khaby.lame/stories?count=35',
    ]);
  });

  it('resolves marketing campaigns on TikTok users (tiktok → marketing)', async () => {
    real.resetCalls();
    subgraphRequests.length = 0;
    const res = await query(`query ($u: String!) { user(username: $u) { id displayName followerCount campaigns { id name } } }`, { u: '@Khaby.Lame' });
    expect(res.errors).toBeUndefined();
    expect(res.data.user).toEqual({
      id: encodeGlobalID('User', 'khaby.lame'),
      displayName: 'Khabane Lame',
      followerCount: 160_300_000,
      campaigns: [
        { id: 'c1', name: 'Summer drop' },
        { id: 'c3', name: 'Holiday reels' },
      ],
    });
    expect(toTiktok()).toHaveLength(1);
    expect(toMarketing()).toHaveLength(1);
    expect(real.calls()).toEqual([]); // the profile is in the server's cache since the previous query
  });

  it('pages through a connection across the gateway: the pages join into the whole list', async () => {
    real.resetCalls();
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await query(
        `query ($u: String!, $after: String) { user(username: $u) { campaigns { id } stories(first: 40, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
        { u: BUSY_USER, after },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.user.campaigns).toEqual([{ id: 'c1' }, { id: 'c3' }]);
      ids.push(...res.data.user.stories.edges.map((e: any) => e.node.id));
      if (!res.data.user.stories.pageInfo.hasNextPage) break;
      after = res.data.user.stories.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(100);
    expect(ids).toEqual((await fullStoryList(real.server, BUSY_USER)).map((s) => s.id));
    // The first upstream page is in the server's cache since the first test: only the other two are called.
    expect(real.calls()).toHaveLength(2);
    const pages = storyPageCalls(real.calls(), BUSY_USER);
    expect(pages).toHaveLength(2);
    expect(pages).not.toContain('first');
    expect(new Set(pages).size).toBe(2);
  });

  it('passes the server’s errors through the gateway with their codes', async () => {
    const res = await query(`{ user(username: "nobody") { displayName campaigns { name } } }`);
    expect(res.data?.user).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.path).toEqual(['user']);
  });
});
