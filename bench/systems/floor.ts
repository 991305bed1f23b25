/**
 * The floor of a cold answer: a raw `node:http` server that reads the GraphQL request's JSON, takes the
 * username (from the variables, or the literal in the document), makes the one upstream call with a
 * keep-alive `node:http` agent, reads the JSON body and answers `{ data: { user } }`. No GraphQL, no
 * validation, no caching: what any server doing this job over HTTP spends at least.
 * Env: PORT, UPSTREAM (the sandbox's URL), KEY.
 */
import { createServer } from 'node:http';
import { getUser } from './upstream-user.js';

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    let body: string;
    try {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: { username?: string } };
      const username = variables?.username ?? /username:\s*"([^"]*)"/.exec(query)?.[1];
      const user = username === undefined ? null : await getUser(username);
      body = JSON.stringify({ data: { user: user && { displayName: user.name, followerCount: user.followerCount } } });
    } catch {
      body = JSON.stringify({ data: null, errors: [{ message: 'failed' }] });
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'floor ready' })));
