/**
 * What a user meets besides answers (issue 17): the CPU and memory of serving GraphiQL's page, and the
 * time from `node` to the first answer with an up-to-date build. Each on this server's compiled build,
 * started as `npm start` starts it (scripts/server-flags.mjs first), against the benchmark's sandbox.
 */
import { spawn } from 'node:child_process';
import { type Upstream, freePort, pinning, startSystem } from './processes.js';

export interface ServingResult {
  graphiql: {
    /** CPU and time of the first GET (loads the renderer, renders and gzips the page once). */
    firstCpuMs: number;
    /** CPU per GET after the first, over `gets` GETs (a script's: the whole page each time). */
    cpuPerGetMs: number;
    /** CPU per reload, over `gets` GETs with the page's ETag (a browser's: a 304). */
    cpuPerReloadMs: number;
    gets: number;
    /** Resident memory after 20 more GETs, less before them (the first GET done). */
    rssGrowthBytes: number;
    gzipBytes: number;
  };
  /** From spawning `node` to the first answer to `{ __typename }`, per start (polled every 10 ms). */
  startMs: number[];
}

const GET = { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } };

export async function servingRun(upstream: Upstream, { gets = 200, starts = 5 } = {}): Promise<ServingResult> {
  const system = await startSystem('ours', upstream);
  const page = system.url;
  let graphiql: ServingResult['graphiql'];
  try {
    const beforeFirst = system.cpuSeconds();
    const first = await fetch(page, GET);
    // fetch decompresses the body: the bytes sent are the header's.
    const gzipBytes = Number(first.headers.get('content-length'));
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    if (first.status !== 200 || first.headers.get('content-encoding') !== 'gzip') throw new Error(`GraphiQL answered ${first.status}, not gzipped`);
    const firstCpuMs = (system.cpuSeconds() - beforeFirst) * 1000;
    const rssBefore = system.residentMemory();
    for (let i = 0; i < 20; i++) await (await fetch(page, GET)).arrayBuffer();
    const rssGrowthBytes = system.residentMemory() - rssBefore;
    const before = system.cpuSeconds();
    for (let i = 0; i < gets; i++) await (await fetch(page, GET)).arrayBuffer();
    const cpuPerGetMs = ((system.cpuSeconds() - before) * 1000) / gets;
    const beforeReloads = system.cpuSeconds();
    for (let i = 0; i < gets; i++) {
      const reload = await fetch(page, { headers: { ...GET.headers, 'if-none-match': etag } });
      if (reload.status !== 304) throw new Error(`a reload with the ETag answered ${reload.status}`);
      await reload.arrayBuffer();
    }
    graphiql = { firstCpuMs, cpuPerGetMs, cpuPerReloadMs: ((system.cpuSeconds() - beforeReloads) * 1000) / gets, gets, rssGrowthBytes, gzipBytes };
  } finally {
    await system.stop();
  }
  const startMs: number[] = [];
  for (let i = 0; i < starts; i++) startMs.push(await startToFirstAnswer(upstream));
  return { graphiql, startMs };
}

/** Spawns the compiled server as `npm start` runs it and times it to its first answer. */
async function startToFirstAnswer(upstream: Upstream): Promise<number> {
  const port = await freePort();
  const argv = [process.execPath, '--import', './scripts/server-flags.mjs', 'dist/server.js'];
  const [file, ...args] = pinning ? ['taskset', '-c', pinning.systemCpu, ...argv] : argv;
  const started = performance.now();
  const child = spawn(file!, args, {
    env: { PATH: process.env.PATH, PORT: String(port), KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: 'knbn_bench', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (answered) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering`);
      if (performance.now() - started > 30_000) throw new Error('the server did not answer within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGKILL');
  }
}
