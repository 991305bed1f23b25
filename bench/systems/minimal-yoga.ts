/**
 * The least a Yoga server spends on a cold answer: graphql-yoga with its defaults (parse and validation
 * cached by the document's text), a two-field schema, and the floor's upstream call (bench/systems/
 * upstream-user.ts) in the resolver. No loaders, caches, limits or logging. Against the floor it shows
 * what Yoga and graphql-js cost by themselves; this server's plugins and graph are the rest.
 * Env: PORT, UPSTREAM, KEY.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { getUser } from './upstream-user.js';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type User { displayName: String followerCount: Float } type Query { user(username: String!): User }',
    resolvers: {
      Query: {
        user: async (_: unknown, { username }: { username: string }) => {
          const user = await getUser(username);
          return user && { displayName: user.name, followerCount: user.followerCount };
        },
      },
    },
  }),
  logging: false,
  graphiql: false,
  // As this server and bare Yoga run it: Yoga's stream-counting body limiter off.
  maxRequestBodySize: false,
});

createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'minimal yoga ready' })));
