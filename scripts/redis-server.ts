/**
 * A real `redis-server` (Debian's package; `.ci/run` installs it) on a free loopback port, for the
 * tests and the benchmark of replicas sharing through Redis, and for `npm run cluster`. Without the
 * binary, starting one fails loudly with what to install: those tests never pass silently.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>/0` */
  url: string;
  /** Runs a redis-cli command against it (or the commands of `input`, one a line) and returns its output. */
  cli(...args: (string | { input: string })[]): string;
  /** SIGKILLs it (a crash): every connection drops. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: it keeps its connections but answers nothing (a frozen Redis). */
  freeze(): void;
  thaw(): void;
}

const BINARY = 'redis-server';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) =>
      reject(new Error(`Cannot start ${BINARY} (${error.message}): install Debian's redis-server (apt-get install -y redis-server); .ci/run does.`)),
    );
    child.once('exit', (code) => reject(new Error(`${BINARY} exited (${code}) before accepting connections`)));
    // Ready once it answers PING.
    const started = Date.now();
    const poll = () => {
      const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
      if (ping.stdout?.trim() === 'PONG') return resolve(child);
      if (Date.now() - started > 10_000) return reject(new Error(`${BINARY} did not answer PING within 10 s`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

const running = new Set<ChildProcess>();

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  running.add(child);
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    cli: (...args) => {
      const input = args.find((a) => typeof a === 'object')?.input;
      const words = args.filter((a): a is string => typeof a === 'string');
      return spawnSync('redis-cli', ['-p', String(port), ...words], { encoding: 'utf8', input }).stdout;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await once(child, 'exit');
      running.delete(child);
    },
    async restart() {
      await server.kill();
      child = await launch(port);
      running.add(child);
    },
    freeze: () => void child.kill('SIGSTOP'),
    thaw: () => void child.kill('SIGCONT'),
  };
  return server;
}

/** Stops every Redis this module started (for an `afterAll`). */
export async function stopAllRedis(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }),
  );
  running.clear();
}
