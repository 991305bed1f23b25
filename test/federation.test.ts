/**
 * Our subgraph composed with a second one into a supergraph, served by a real gateway (Apollo
 * Gateway's query planner inside Yoga), with queries crossing both subgraphs in both directions.
 */
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { useApolloFederation } from '@envelop/apollo-federation';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETING_SDL, createMarketingSubgraph } from './federation/marketing-subgraph.js';
import { setup } from './helpers.js';

const servers: Server[] = [];
const listen = (handler: Parameters<typeof createServer>[1]) =>
  new Promise<string>((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`));
    servers.push(server);
  });

let tiktok: ReturnType<typeof setup>;
let gateway: ApolloGateway;
let query: (q: string) => Promise<{ data?: any; errors?: any[] }>;

beforeAll(async () => {
  tiktok = setup();
  const tiktokUrl = await listen(tiktok.app.yoga);
  const marketingUrl = await listen(createMarketingSubgraph());
  const composition = composeServices([
    { name: 'tiktok', url: tiktokUrl, typeDefs: parse(readFileSync(new URL('../schema/subgraph.graphql', import.meta.url), 'utf8')) },
    { name: 'marketing', url: marketingUrl, typeDefs: parse(MARKETING_SDL) },
  ]);
  if (composition.errors) throw new Error(`composition failed: ${composition.errors.map((e) => e.message).join('; ')}`);
  gateway = new ApolloGateway({ supergraphSdl: composition.supergraphSdl });
  await gateway.load();
  // The gateway forwards subgraph errors as they are (a gateway's own masking is its operator's choice).
  const supergraph = createYoga({ plugins: [useApolloFederation({ gateway })], graphiql: false, logging: false, maskedErrors: false });
  query = async (q) => {
    const res = await supergraph.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q }),
    });
    return res.json();
  };
});

afterAll(async () => {
  await gateway?.stop();
  servers.forEach((s) => s.close());
});

describe('the supergraph', () => {
  it('composes without errors, from the committed subgraph SDL', () => {
    expect(readFileSync(new URL('../schema/subgraph.graphql', import.meta.url), 'utf8')).toContain('@key(fields: "username")');
  });

  it('resolves TikTok users inside marketing campaigns (marketing → tiktok, through _entities)', async () => {
    tiktok.sandbox.calls.length = 0;
    const res = await query(`{ campaigns { name influencer { username displayName likeCount stories(first: 2) { nodes { caption } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.map((c: any) => [c.name, c.influencer.username])).toEqual([
      ['Summer drop', 'khaby.lame'],
      ['Back to school', 'alice'],
      ['Holiday reels', 'khaby.lame'],
    ]);
    expect(res.data.campaigns[0].influencer).toMatchObject({ displayName: 'Khabane Lame', likeCount: 2_600_000_000 });
    expect(res.data.campaigns[0].influencer.stories.nodes).toHaveLength(2);
    // Three representations, two distinct users: two profiles and two story pages, in one round trip.
    expect(tiktok.sandbox.calls.map((c) => c.path.split('?')[0]).sort()).toEqual([
      '/v1/tiktok/users/alice',
      '/v1/tiktok/users/alice/stories',
      '/v1/tiktok/users/khaby.lame',
      '/v1/tiktok/users/khaby.lame/stories',
    ]);
  });

  it('resolves marketing campaigns on TikTok users (tiktok → marketing)', async () => {
    const res = await query(`{ user(username: "@Khaby.Lame") { displayName followerCount campaigns { name } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.user).toEqual({ displayName: 'Khabane Lame', followerCount: 160300000, campaigns: [{ name: 'Summer drop' }, { name: 'Holiday reels' }] });
  });

  it('goes back and forth: a campaign’s influencer’s campaigns', async () => {
    const res = await query(`{ campaigns { id influencer { isVerified campaigns { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns[1]).toEqual({ id: 'c2', influencer: { isVerified: expect.any(Boolean), campaigns: [{ id: 'c2' }] } });
  });

  it('passes our errors through the gateway with their codes', async () => {
    const res = await query(`{ user(username: "nobody") { displayName campaigns { name } } }`);
    expect(res.data.user).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
