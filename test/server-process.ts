/**
 * The real server as a child process (`node --import tsx src/server.ts`, as `npm run dev` runs it), on
 * a free port, with the environment a test gives it. Its JSON log lines are read for as long as it runs
 * (a pipe nobody reads would block its writes once full) and kept in `lines`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { type Sandbox, createSandbox } from '../src/sandbox/handler.js';

export interface ServerProcess {
  child: ChildProcess;
  /** Every log line so far, parsed; the last one of the start is the one that names the port. */
  lines: Record<string, any>[];
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `<origin>/graphql` */
  url: string;
  /** POSTs a GraphQL operation to `/graphql` and resolves with the parsed body. */
  query(query: string, variables?: Record<string, unknown>): Promise<any>;
  /**
   * CPU time the process has used so far (user + system, from /proc/<pid>/stat, in 10 ms ticks), in
   * seconds: unlike answer times, not inflated when other processes take the cores.
   */
  cpuSeconds(): number;
  /** SIGKILLs the process (no-op when it has exited) and waits for its exit. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Starts `src/server.ts` with `env` (and `PORT=0`), and resolves once it listens. */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: Record<string, any>[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the server exited (${code}) before listening: ${JSON.stringify(lines)}`));
    child.once('exit', exited);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, any>;
      lines.push(parsed);
      if (typeof parsed.port === 'number') {
        child.off('exit', exited);
        resolve(parsed.port);
      }
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/graphql`;
  return {
    child,
    lines,
    port,
    origin,
    url,
    cpuSeconds: () => {
      // utime and stime: fields 14 and 15 of the line, 12 and 13 after the parenthesised name.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    query: async (query, variables) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json(),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** SIGKILLs every server this module started that still runs (for an `afterEach` or `afterAll`). */
export async function killServers(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    }),
  );
}

/**
 * The sandbox KonbiniAPI over loopback HTTP, like `startSandbox` in bench/servers.ts, except that a
 * body that breaks off resets the connection, as a real upstream's would. (`startSandbox` serves the
 * sandbox through @whatwg-node/server, which logs the stream's error, leaves the connection open, and
 * lets the error escape as an unhandled rejection: the server then sees a stalled body, not a cut-off one.)
 * `sandbox.fetch` is looked up on every request, so a test may wrap it.
 */
export async function serveSandbox(latencyMs = 0): Promise<{ url: string; sandbox: Sandbox; close(): Promise<void> }> {
  const sandbox = createSandbox({ latencyMs });
  const server = createServer(async (req, res) => {
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    try {
      const headers = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value] as [string, string]] : []));
      const response = await sandbox.fetch(`http://${req.headers.host}${req.url}`, { method: req.method, headers, signal: gone.signal });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (response.body) for await (const chunk of response.body) res.write(chunk);
      res.end();
    } catch {
      res.destroy(); // ECONNRESET for the caller, whatever it had received so far
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sandbox,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
