/**
 * The ceiling: a bare graphql-yoga server answering the throughput scenario's response from memory,
 * the same JSON as this server's (data and `extensions.upstream`), with no upstream, loaders or
 * plugins of its own. No yoga server can serve that response faster.
 * Env: PORT.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const user = { displayName: 'Khabane Lame', followerCount: 160300000 };
const upstream = { requests: 0, creditsUsed: 0, creditsRemaining: 999999, estimatedCredits: 0, cacheHits: 0, sharedCalls: 0, retries: 0, stale: [] };
const yoga = createYoga({
  schema: createSchema({
    typeDefs: `type User { displayName: String! followerCount: Float! } type Query { user(username: String!): User }`,
    resolvers: { Query: { user: () => user } },
  }),
  logging: false,
  graphiql: false,
  // The same HTTP layer as this server: Yoga's stream-counting body limiter off (this server bounds
  // bodies by their declared length). With it on, this ceiling drops to about 40% on Node 20.
  maxRequestBodySize: false,
  plugins: [{ onExecutionResult: ({ result, setResult }) => setResult({ ...result, extensions: { upstream } }) }],
});

createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'bare yoga ready' })));
