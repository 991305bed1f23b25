/** Systems under comparison, each in its own process on a loopback port, with its peak memory. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { freePort } from '../scripts/redis-server.js';

export { freePort };

/**
 * CPU pinning (Linux `taskset`, two cores or more): every system under test runs on core 0, and the
 * harness (load generator, sandbox) on core 1, so that they never take each other's CPU. Without
 * taskset the processes float, and the report says so.
 */
export const pinning: { systemCpu: string; harnessCpu: string } | undefined =
  availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0 ? { systemCpu: '0', harnessCpu: '1' } : undefined;

/** Moves this process (all its threads) to the harness core. */
export function pinHarness(): void {
  if (pinning) spawnSync('taskset', ['-a', '-c', '-p', pinning.harnessCpu, String(process.pid)], { stdio: 'ignore' });
}

/** 'ours-before': this server built from other sources, for an A/B in one run (`BENCH_BASELINE`, bench/cold.ts). */
export type SystemKind = 'ours' | 'mesh' | 'mesh+response-cache' | 'bare-yoga' | 'floor' | 'minimal-yoga' | 'ours-before';

export interface RunningSystem {
  kind: SystemKind;
  url: string;
  /** Peak resident memory so far (VmHWM), in bytes. */
  peakMemory(): number;
  /** Resident memory now (VmRSS), in bytes. */
  residentMemory(): number;
  /** CPU time the process has used so far (user + system), in seconds. */
  cpuSeconds(): number;
  /** Kills the process (SIGKILL unless told: SIGTERM lets this server write its CPU profile). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Where the systems' upstream is: the sandbox's URL, and Mesh's supergraph composed for it. */
export interface Upstream {
  url: string;
  /** Composed once per run (the Mesh gateways compose it themselves otherwise). */
  supergraphFile?: string;
}

/**
 * Compiles this server with `npm run build`, as `npm start` does, so that the benchmark measures what
 * production runs rather than the TypeScript loader. Throws with the compiler's output on failure.
 */
export function buildServer(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}${build.error ?? ''}`);
}

/** Node's arguments and environment for a system; this server runs from its build (`buildServer`). */
function command(kind: SystemKind, upstream: Upstream): { args: string[]; env: Record<string, string> } {
  // One load generator is one client: its credit budget would measure the budget, not the server.
  if (kind === 'ours' || kind === 'ours-before') {
    return {
      // This server with npm start's V8 settings (scripts/server-flags.mjs); a baseline build as it ran before them.
      args: kind === 'ours' ? ['--import', './scripts/server-flags.mjs', 'dist/server.js'] : [`${process.env.BENCH_BASELINE}/server.js`],
      env: { KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: 'knbn_bench', LOG_LEVEL: 'warn', CLIENT_CREDITS_PER_MINUTE: '0' },
    };
  }
  if (kind === 'bare-yoga') return { args: ['--import', 'tsx', 'bench/systems/bare-yoga.ts'], env: {} };
  if (kind === 'floor' || kind === 'minimal-yoga')
    return { args: ['--import', 'tsx', `bench/systems/${kind}.ts`], env: { UPSTREAM: upstream.url, KEY: 'knbn_bench' } };
  const env: Record<string, string> = { UPSTREAM: upstream.url, RESPONSE_CACHE: String(kind === 'mesh+response-cache') };
  if (upstream.supergraphFile) env.SUPERGRAPH = upstream.supergraphFile;
  return { args: ['--import', 'tsx', 'bench/systems/mesh-gateway.ts'], env };
}

export interface StartOptions {
  /** Before the system's own arguments (say, `--cpu-prof`). */
  nodeOptions?: string[];
  /** Added to (or overriding) the system's environment. */
  env?: Record<string, string>;
  /** Its stdout to a pipe this process reads and drops (as a log collector would), rather than /dev/null. */
  drainStdout?: boolean;
}

export async function startSystem(kind: SystemKind, upstream: Upstream, options: StartOptions = {}): Promise<RunningSystem> {
  const port = await freePort();
  const { args: nodeArgs, env: systemEnv } = command(kind, upstream);
  const env = { ...systemEnv, ...options.env };
  const argv = [process.execPath, ...(options.nodeOptions ?? []), ...nodeArgs];
  const [file, ...args] = pinning ? ['taskset', '-c', pinning.systemCpu, ...argv] : argv; // taskset execs: same pid
  const child: ChildProcess = spawn(file!, args, {
    env: { PATH: process.env.PATH, PORT: String(port), ...env },
    stdio: ['ignore', options.drainStdout ? 'pipe' : 'ignore', 'inherit'],
  });
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}/graphql`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  for (let i = 0; i < 300; i++) {
    // A system that dies on start (say, dist/ rebuilt under it) fails the run rather than hanging it in stop().
    if (exited()) throw new Error(`${kind} exited (${child.exitCode ?? child.signalCode}) before answering`);
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    kind,
    url,
    peakMemory: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    residentMemory: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    cpuSeconds: () => {
      // utime and stime: fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the parenthesised name), in clock ticks.
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (exited()) return;
      const exit = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exit;
    },
  };
}

/** Posts GraphQL to `url`; `latencies`, when given, collects each request's duration in ms. */
export function poster(url: string, latencies?: number[]) {
  return async (query: string, variables?: Record<string, unknown>) => {
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    latencies?.push(performance.now() - started);
    return body;
  };
}
