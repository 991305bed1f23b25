/**
 * The floor of a cold answer: a raw `node:http` server that reads the GraphQL request's JSON, takes the
 * username (from the variables, or the literal in the document), makes the one upstream call with a
 * keep-alive `node:http` agent, reads the JSON body and answers `{ data: { user } }`. No GraphQL, no
 * validation, no caching: what any server doing this job over HTTP spends at least.
 * Env: PORT, UPSTREAM (the sandbox's URL), KEY.
 */
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:4010');
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = { accept: 'application/json', authorization: `Bearer ${process.env.KEY ?? 'knbn_bench'}` };

function getUser(username: string): Promise<{ name?: string; followerCount?: number } | null> {
  return new Promise((resolve, reject) => {
    const req = request({ host: upstream.hostname, port: upstream.port, path: `/v1/tiktok/users/${encodeURIComponent(username)}`, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')).data ?? null) : null);
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

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
