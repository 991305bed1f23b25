/**
 * Driving a system with autocannon, and the hot-cache throughput run: every system alone, in
 * alternating rounds, compared round by round (runs seconds apart share the machine's mood; runs
 * minutes apart on this shared machine differ by a third), with the CPU each spent per answer (which
 * the host's steal time does not inflate). Then this server head to head with each CPU-bound system,
 * both loaded at once on one shared core: a second view, reported as measured.
 */
import autocannon from 'autocannon';
import type { RunningSystem, SystemKind } from './processes.js';

export interface Driven {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Non-200 answers, answers with GraphQL errors, socket errors and timeouts. */
  errors: number;
  /** CPU time the system spent during the run (user + system), in seconds, and per answer, in µs. */
  cpuSeconds: number;
  cpuMicros: number;
}

/**
 * `connections` clients posting `body` (or a new `body()` for every request) to the system for
 * `seconds`. The load generator's own work per answer is kept small: it shares one core between two
 * systems head to head.
 */
export async function drive(system: RunningSystem, body: string | (() => string), seconds: number, connections: number): Promise<Driven> {
  let errors = 0;
  const cpuBefore = system.cpuSeconds();
  const result = await autocannon({
    url: system.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(typeof body === 'string' ? { body } : { setupRequest: (request) => ({ ...request, body: body() }) }),
        onResponse: (status, responseBody) => {
          if (status !== 200 || responseBody.includes('"errors":')) errors += 1;
        },
      },
    ],
  });
  const cpuSeconds = system.cpuSeconds() - cpuBefore;
  return {
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.non2xx + result.errors + result.timeouts,
    cpuSeconds,
    cpuMicros: result.requests.total > 0 ? (cpuSeconds * 1e6) / result.requests.total : NaN,
  };
}

export interface SoloRun extends Driven {
  system: SystemKind;
  /** Upstream calls the system made during the run. */
  calls: number;
  credits: number;
}

/** Ratios, one per round, with their median and the range of the middle half of the rounds. */
export interface Spread {
  ratios: number[];
  median: number;
  /** First and third quartiles. */
  q1: number;
  q3: number;
}

/** This server's answers divided by the other's, per round, both loaded at once on one core. */
export interface HeadToHead extends Spread {
  against: SystemKind;
  /** Errors of both systems over all rounds. */
  errors: number;
  /** The other's CPU per answer divided by this server's, median over the rounds. */
  cpuMedian: number;
  /** This server's share of the CPU the two used. */
  oursShare: number;
  /** Share of their shared core the two systems used (near 1: the ratio is their CPU's, as meant). */
  systemsBusy: number;
  /** Share of its core the load generator used (near 1: it may have held the systems back). */
  harnessBusy: number;
}

/** This server's answers per second alone divided by another system's alone, per round (the two runs of a round are seconds apart). */
export interface PairedRatio extends Spread {
  against: SystemKind;
  /** The other's CPU per answer divided by this server's, median over the rounds. */
  cpuMedian: number;
}

export interface HotThroughput {
  /** Per system, its median round alone. */
  solo: SoloRun[];
  /** This server against every other system, alone, round by round. */
  paired: PairedRatio[];
  headToHead: HeadToHead[];
  rounds: number;
  pairRounds: number;
}

export interface HotOptions {
  /** The request body of the same query, in each system's schema. */
  body: (kind: SystemKind) => string;
  rounds: number;
  seconds: number;
  pairRounds: number;
  pairSeconds: number;
  connections: number;
  /** Time for a system's last upstream calls to land after its run (a few upstream latencies). */
  settleMs: number;
  /** Upstream calls and credits so far, from the sandbox. */
  usage: () => { calls: number; credits: number };
}

/** The `q`-quantile (0-1) of `values`, interpolated between the two nearest; NaN for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = sorted[Math.floor(at)]!;
  return below + (sorted[Math.ceil(at)]! - below) * (at - Math.floor(at));
}

export const median = (values: number[]) => quantile(values, 0.5);
const spread = (ratios: number[]): Spread => ({ ratios, median: median(ratios), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) });

/** `systems` are running with their caches filled; `systems[0]` is this server. */
export async function hotThroughput(systems: RunningSystem[], options: HotOptions): Promise<HotThroughput> {
  const { connections } = options;
  const runs = new Map<SystemKind, SoloRun[]>();
  for (const system of systems) await drive(system, options.body(system.kind), 2, connections); // warm up
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 ? [...systems].reverse() : systems;
    for (const system of order) {
      const before = options.usage();
      const driven = await drive(system, options.body(system.kind), options.seconds, connections);
      await new Promise((resolve) => setTimeout(resolve, options.settleMs)); // its last upstream calls land
      const after = options.usage();
      const run = { system: system.kind, ...driven, calls: after.calls - before.calls, credits: after.credits - before.credits };
      runs.set(system.kind, [...(runs.get(system.kind) ?? []), run]);
    }
  }
  const solo = [...runs.values()].map((list) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor((list.length - 1) / 2)]!);
  const ownRuns = runs.get(systems[0]!.kind)!;
  const paired = systems.slice(1).map(({ kind }): PairedRatio => {
    const ratios = runs.get(kind)!.map((run, round) => ownRuns[round]!.rps / run.rps);
    const cpuRatios = runs.get(kind)!.map((run, round) => run.cpuMicros / ownRuns[round]!.cpuMicros);
    return { against: kind, ...spread(ratios), cpuMedian: median(cpuRatios) };
  });

  // Head to head: only against systems bound by their CPU (a gateway waiting on the upstream is not).
  const [ours, ...others] = systems;
  const headToHead: HeadToHead[] = [];
  for (const other of others.filter((s) => s.kind !== 'mesh')) {
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    let oursCpu = 0;
    let otherCpu = 0;
    let errors = 0;
    const started = { wall: performance.now(), harness: process.cpuUsage() };
    for (let round = 0; round < options.pairRounds; round++) {
      const run = (system: RunningSystem) => drive(system, options.body(system.kind), options.pairSeconds, connections);
      // Whichever starts first has a slight edge: alternate.
      const [a, b] = round % 2 ? (await Promise.all([run(other), run(ours!)])).reverse() : await Promise.all([run(ours!), run(other)]);
      oursCpu += a!.cpuSeconds;
      otherCpu += b!.cpuSeconds;
      ratios.push(a!.requests / b!.requests);
      cpuRatios.push(b!.cpuMicros / a!.cpuMicros);
      errors += a!.errors + b!.errors;
    }
    const wall = (performance.now() - started.wall) / 1000;
    const harness = process.cpuUsage(started.harness);
    headToHead.push({
      against: other.kind,
      ...spread(ratios),
      errors,
      cpuMedian: median(cpuRatios),
      oursShare: oursCpu / (oursCpu + otherCpu),
      systemsBusy: (oursCpu + otherCpu) / wall,
      harnessBusy: (harness.user + harness.system) / 1e6 / wall,
    });
  }
  return { solo, paired, headToHead, rounds: options.rounds, pairRounds: options.pairRounds };
}
