/**
 * This server in-process against the sandbox: for each scenario, its upstream calls and the round trips
 * on its critical path, next to the minimum, on a cold server per run.
 */
import type { Sandbox } from '../src/sandbox/handler.js';
import { poster } from './processes.js';
import { roundTripProbe } from './round-trips.js';
import { type Scenario, type Verdict, outcomeOf } from './scenarios.js';
import { type Running, startGraph, startSandbox } from './servers.js';
import { median } from './throughput.js';

export interface Row {
  scenario: string;
  calls: number;
  minCalls: number;
  ms: number;
  /** Sequential upstream round trips, counted: calls that had to wait for another call's answer. */
  roundTrips: number;
  /** Wall time divided by the injected latency: round trips as the user waits them. */
  latencyRatio: number;
  minRoundTrips?: number;
  /** Where the scenario checks its data: the first wrong verdict of any run, else a right one. */
  verdict?: Verdict;
}

export interface OwnOptions {
  latencyMs: number;
  /** Cold runs per scenario: the row takes the median time and the most calls and round trips of any. */
  coldRuns: number;
  /** The scenarios to run, given the sandbox they will run against (some read it for their ids). */
  scenarios: (upstream: Running & { sandbox: Sandbox }) => Promise<Scenario[]>;
}

export async function measureOwn(options: OwnOptions): Promise<Row[]> {
  const upstream = await startSandbox(options.latencyMs);
  const rows: Row[] = [];
  try {
    for (const scenario of await options.scenarios(upstream)) {
      // A first run on a throwaway server warms the sandbox's data and the JIT; the measured runs then
      // meet an upstream that costs its injected latency, and a server whose caches are cold.
      const runs: { calls: number; ms: number; roundTrips: number; verdict?: Verdict }[] = [];
      for (let run = 0; run <= options.coldRuns; run++) {
        const probe = roundTripProbe();
        const graph = await startGraph(upstream.url, probe.wrap(fetch));
        const post = poster(`${graph.url}/graphql`);
        for (let i = 0; i < 20; i++) await post('{ __typename }');
        upstream.sandbox.calls.length = 0;
        probe.reset();
        const started = performance.now();
        const { verdict } = outcomeOf(await scenario.ours(post));
        const ms = performance.now() - started;
        await graph.close();
        if (run > 0) runs.push({ calls: upstream.sandbox.calls.length, ms, roundTrips: probe.roundTrips(), verdict });
      }
      const ms = median(runs.map((r) => r.ms));
      const { name, minCalls, minRoundTrips } = scenario;
      const verdicts = runs.flatMap((r) => (r.verdict ? [r.verdict] : []));
      rows.push({
        scenario: name,
        calls: Math.max(...runs.map((r) => r.calls)),
        minCalls,
        ms,
        roundTrips: Math.max(...runs.map((r) => r.roundTrips)),
        latencyRatio: ms / options.latencyMs,
        minRoundTrips,
        verdict: verdicts.find((v) => !v.correct) ?? verdicts[0],
      });
    }
  } finally {
    await upstream.close();
  }
  return rows;
}

export const withinRoundTrips = (r: Row) => r.minRoundTrips === undefined || r.roundTrips <= r.minRoundTrips;
