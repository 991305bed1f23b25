/**
 * The ceiling: a bare graphql-yoga server answering the throughput scenario's response shape from
 * memory (no upstream, no loaders, no plugins). No yoga server can serve that query faster.
 * Env: PORT.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const user = { displayName: 'Khabane Lame', followerCount: 160300000 };
const yoga = createYoga({
  schema: createSchema({
    typeDefs: `type User { displayName: String! followerCount: Float! } type Query { user(username: String!): User }`,
    resolvers: { Query: { user: () => user } },
  }),
  logging: false,
  graphiql: false,
});

createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'bare yoga ready' })));
