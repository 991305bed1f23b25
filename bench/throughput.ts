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
}

/**
 * `connections` clients posting `body` (or a new `body()` for every request) to the system for
 * `seconds`. The load generator's own work per answer is kept small: it shares one core between two
 * systems head to head.
 */
export async function drive(system: RunningSystem, body: string | (() => string), seconds: number, connections: number): Promise<Driven> {
  let errors = 0;
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
  return {
    requests: result.requests.total,
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: errors + result.non2xx + result.errors + result.timeouts,
  };
}

export interface SoloRun extends Driven {
  system: SystemKind;
  /** CPU time the system spent per answer, in µs. */
  cpuMicros: number;
  /** Upstream calls the system made during the run. */
  calls: number;
  credits: number;
}

export interface HeadToHead {
  against: SystemKind;
  /** This server's answers divided by the other's, per round. */
  ratios: number[];
  median: number;
  min: number;
  max: number;
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

/** This server alone against another system alone, round by round (the two runs of a round are seconds apart). */
export interface PairedRatio {
  against: SystemKind;
  /** This server's answers per second divided by the other's, per round. */
  ratios: number[];
  median: number;
  min: number;
  max: number;
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `systems` are running with their caches filled; `systems[0]` is this server. */
export async function hotThroughput(systems: RunningSystem[], options: HotOptions): Promise<HotThroughput> {
  const { connections } = options;
  const runs = new Map<SystemKind, SoloRun[]>();
  for (const system of systems) await drive(system, options.body(system.kind), 2, connections); // warm up
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 ? [...systems].reverse() : systems;
    for (const system of order) {
      const before = { ...options.usage(), cpu: system.cpuSeconds() };
      const driven = await drive(system, options.body(system.kind), options.seconds, connections);
      await new Promise((resolve) => setTimeout(resolve, options.settleMs)); // its last upstream calls land
      const after = options.usage();
      const cpuMicros = driven.requests > 0 ? ((system.cpuSeconds() - before.cpu) * 1e6) / driven.requests : NaN;
      const run = { system: system.kind, ...driven, cpuMicros, calls: after.calls - before.calls, credits: after.credits - before.credits };
      runs.set(system.kind, [...(runs.get(system.kind) ?? []), run]);
    }
  }
  const solo = [...runs.values()].map((list) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor((list.length - 1) / 2)]!);
  const ownRuns = runs.get(systems[0]!.kind)!;
  const paired = systems.slice(1).map(({ kind }): PairedRatio => {
    const ratios = runs.get(kind)!.map((run, round) => ownRuns[round]!.rps / run.rps);
    const cpuRatios = runs.get(kind)!.map((run, round) => run.cpuMicros / ownRuns[round]!.cpuMicros);
    return { against: kind, ratios, median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), cpuMedian: median(cpuRatios) };
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
    const started = { wall: performance.now(), systems: ours!.cpuSeconds() + other.cpuSeconds(), harness: process.cpuUsage() };
    for (let round = 0; round < options.pairRounds; round++) {
      const run = (system: RunningSystem) => drive(system, options.body(system.kind), options.pairSeconds, connections);
      const cpu = [ours!.cpuSeconds(), other.cpuSeconds()];
      // Whichever starts first has a slight edge: alternate.
      const [a, b] = round % 2 ? (await Promise.all([run(other), run(ours!)])).reverse() : await Promise.all([run(ours!), run(other)]);
      const used = [ours!.cpuSeconds() - cpu[0]!, other.cpuSeconds() - cpu[1]!];
      oursCpu += used[0]!;
      otherCpu += used[1]!;
      ratios.push(a!.requests / b!.requests);
      cpuRatios.push(used[1]! / b!.requests / (used[0]! / a!.requests));
      errors += a!.errors + b!.errors;
    }
    const wall = (performance.now() - started.wall) / 1000;
    const harness = process.cpuUsage(started.harness);
    headToHead.push({
      against: other.kind,
      ratios,
      median: median(ratios),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
      errors,
      cpuMedian: median(cpuRatios),
      oursShare: oursCpu / (oursCpu + otherCpu),
      systemsBusy: (ours!.cpuSeconds() + other.cpuSeconds() - started.systems) / wall,
      harnessBusy: (harness.user + harness.system) / 1e6 / wall,
    });
  }
  return { solo, paired, headToHead, rounds: options.rounds, pairRounds: options.pairRounds };
}
