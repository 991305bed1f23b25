/**
 * `npm run cluster`: N replicas of the compiled server sharing one Redis, behind a round-robin proxy
 * on PORT (default 4000), as a load balancer would run them. REPLICAS sets N (default 3). Redis is
 * REDIS_URL, or a `redis-server` started here on a free port. The upstream is KonbiniAPI when
 * KONBINI_API_KEY or KONBINI_BASE_URL is set, otherwise one sandbox process every replica calls (so
 * that its call log is the cluster's). Ctrl-C stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, createServer, request } from 'node:http';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
// @ts-expect-error: a plain ES module of the scripts, without types
import { buildIfChanged } from './build-if-changed.mjs';
import { freePort, startRedis, stopAllRedis } from './redis-server.js';

const replicas = Number(process.env.REPLICAS ?? 3);
const port = Number(process.env.PORT ?? 4000);
const children: ChildProcess[] = [];

/** Runs a compiled entry point and resolves with the port its first JSON log line with one names. */
function run(entry: string, env: Record<string, string | undefined>): Promise<number> {
  // The replicas with npm start's V8 settings (scripts/server-flags.mjs).
  const child = spawn(process.execPath, ['--import', './scripts/server-flags.mjs', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      try {
        const { port: listening } = JSON.parse(line) as { port?: unknown };
        if (typeof listening === 'number') resolve(listening);
      } catch {}
    });
  });
}

buildIfChanged();
const redisUrl = process.env.REDIS_URL ?? (await startRedis()).url;
const ownUpstream = !process.env.KONBINI_API_KEY && !process.env.KONBINI_BASE_URL;
const upstream = ownUpstream
  ? { KONBINI_BASE_URL: `http://127.0.0.1:${await run('dist/sandbox/main.js', { SANDBOX_PORT: String(await freePort()) })}`, KONBINI_API_KEY: 'knbn_sandbox' }
  : {};
const shared = { REDIS_URL: redisUrl, CURSOR_SECRET: process.env.CURSOR_SECRET ?? randomBytes(32).toString('hex'), ...upstream };
const ports = await Promise.all(Array.from({ length: replicas }, () => run('dist/server.js', { ...shared, PORT: '0' })));

let next = 0;
const pick = () => ports[next++ % ports.length]!;
const front = createServer((req, res) => {
  const forward = request({ host: '127.0.0.1', port: pick(), path: req.url, method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on('error', () => res.destroy());
  req.pipe(forward);
});
// WebSocket upgrades (subscriptions over graphql-ws) pass through as raw sockets.
front.on('upgrade', (req: IncomingMessage, socket, head) => {
  const upstreamSocket = connect(pick(), '127.0.0.1', () => {
    const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${value}`);
    upstreamSocket.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
    upstreamSocket.write(head);
    socket.pipe(upstreamSocket).pipe(socket);
  });
  upstreamSocket.on('error', () => socket.destroy());
  socket.on('error', () => upstreamSocket.destroy());
});
front.listen(port, () => {
  console.log(
    JSON.stringify({
      msg: `${replicas} replicas sharing Redis behind http://localhost:${port}/graphql (round robin)`,
      replicas: ports,
      redis: redisUrl.replace(/\/\/[^@]*@/, '//***@'),
      upstream: ownUpstream ? 'sandbox process' : 'KonbiniAPI',
    }),
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    front.close();
    for (const child of children) child.kill('SIGTERM');
    await stopAllRedis();
    process.exit(0);
  });
}
