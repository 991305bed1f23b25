/** A second subgraph, written for the test: marketing campaigns run with TikTok influencers. */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

export const MARKETING_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Campaign @key(fields: "id") {
    id: ID!
    name: String!
    "The TikTok account promoting the campaign (resolved by the TikTok subgraph)."
    influencer: User!
  }

  type User @key(fields: "username") {
    username: String!
    "Campaigns this user promotes."
    campaigns: [Campaign!]!
  }

  type Query {
    campaigns: [Campaign!]!
  }
`;

export const CAMPAIGNS = [
  { id: 'c1', name: 'Summer drop', influencer: 'khaby.lame' },
  { id: 'c2', name: 'Back to school', influencer: 'alice' },
  { id: 'c3', name: 'Holiday reels', influencer: 'khaby.lame' },
];

const toCampaign = (c: (typeof CAMPAIGNS)[number]) => ({ id: c.id, name: c.name, influencer: { __typename: 'User', username: c.influencer } });

export function createMarketingSubgraph() {
  const schema = buildSubgraphSchema({
    typeDefs: parse(MARKETING_SDL),
    resolvers: {
      Query: { campaigns: () => CAMPAIGNS.map(toCampaign) },
      User: {
        __resolveReference: (user: { username: string }) => user,
        campaigns: (user: { username: string }) => CAMPAIGNS.filter((c) => c.influencer === user.username).map(toCampaign),
      },
    } as never,
  });
  return createYoga({ schema, graphiql: false, logging: false });
}
