/**
 * This server side by side with the generated Mesh gateway (with and without its response cache) and
 * a bare Yoga ceiling, each in its own process against the same sandbox, in one run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSystem, type SystemKind, type Upstream, poster, startSystem } from './processes.js';
import { composeFromOpenAPI } from './systems/mesh-gateway.js';
import { graphFixtures } from './graph-fixtures.js';
import { graphScenarios } from './graph-scenarios.js';
import { type Scenario, type Verdict, outcomeOf, scenarios } from './scenarios.js';
import { type HotThroughput, type SoloRun, drive, hotThroughput, quantile } from './throughput.js';
import { startSandbox } from './servers.js';

export interface ScenarioRow {
  scenario: string;
  system: SystemKind;
  calls: number;
  minCalls: number;
  credits: number;
  ms: number;
  /** Wall time divided by the injected upstream latency. */
  latencyRatio: number;
  /** GraphQL errors in the answers (data the system got wrong or could not give). */
  errors: number;
  /** Median and 99th percentile of the scenario's requests, in ms. */
  p50: number;
  p99: number;
  peakMemory: number;
  /** Where the scenario checks its data against the sandbox's. */
  verdict?: Verdict;
}

/** A throughput run of one system: what it answered, spent and held. */
export interface LoadRow extends SoloRun {
  run: 'hot-cache throughput' | 'cold mixed';
  peakMemory: number;
}

/** The throughput query, in each system's schema: the same response shape. */
export const HOT_QUERY: Record<SystemKind, string> = {
  ours: '{ user(username: "khaby.lame") { displayName followerCount } }',
  floor: '{ user(username: "khaby.lame") { displayName followerCount } }',
  'minimal-yoga': '{ user(username: "khaby.lame") { displayName followerCount } }',
  'ours-before': '{ user(username: "khaby.lame") { displayName followerCount } }',
  'bare-yoga': '{ user(username: "khaby.lame") { displayName followerCount } }',
  mesh: '{ tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { name followerCount } } } }',
  'mesh+response-cache': '{ tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { name followerCount } } } }',
};

/** The hot-cache comparisons, each with only its own systems running; this server first in each. */
const HOT_GROUPS: SystemKind[][] = [
  ['ours', 'bare-yoga'],
  ['ours', 'mesh+response-cache', 'mesh'],
];

const coldQuery = (kind: SystemKind, username: string) =>
  kind === 'ours'
    ? `{ user(username: "${username}") { displayName followerCount } }`
    : `{ tiktokGetUser(username: "${username}") { ... on tiktokGetUser_200_response { data { name followerCount } } } }`;

async function withSystem<T>(kind: SystemKind, upstream: Upstream, work: (system: RunningSystem) => Promise<T>): Promise<T> {
  const system = await startSystem(kind, upstream);
  try {
    const post = poster(system.url);
    for (let i = 0; i < 10; i++) await post('{ __typename }');
    return await work(system);
  } finally {
    await system.stop();
  }
}

export interface CompareOptions {
  latencyMs: number;
  /** Duration of each cold load run. */
  seconds: number;
  repeat: number;
  /** How many of the credit scenarios to run (all by default). */
  scenarioCount?: number;
  /**
   * Hot-cache rounds of every system alone, alternating systems (the median is reported), and their
   * length in whole seconds. Many short rounds: the host's slow spells last seconds, so they spoil a
   * few rounds rather than a system's whole run.
   */
  rounds?: number;
  roundSeconds?: number;
  /** Head-to-head rounds against each CPU-bound system, and their length. */
  pairRounds?: number;
  pairSeconds?: number;
  /** The systems besides this server (all four by default; the smoke run takes fewer). */
  systems?: SystemKind[];
  connections?: number;
  /** How many of the full graph's scenarios to run (all by default). */
  graphCount?: number;
  /** Only the full graph's scenarios: no credit scenarios, no throughput (`--graph-only`). */
  graphOnly?: boolean;
}

export interface Comparison {
  scenarios: ScenarioRow[];
  loads: LoadRow[];
  hot: HotThroughput;
  /** What the generated gateway answers for the sample profile's 2.6 billion likes. */
  meshLikeCount: string;
  /** What it answers for a user's only page of stories (the spec's `cursor` and `nextCursor` are null there). */
  meshOnlyPage: string;
  /** The full graph's scenarios (bench/graph-scenarios.ts), each answer checked. */
  graph: ScenarioRow[];
}

const NO_THROUGHPUT: HotThroughput = { solo: [], paired: [], headToHead: [], rounds: 0, pairRounds: 0 };

export async function compare(options: CompareOptions): Promise<Comparison> {
  const connections = options.connections ?? 20;
  const systems = options.systems ?? ['ours', 'mesh', 'mesh+response-cache', 'bare-yoga'];
  const meshKinds = systems.filter((k) => k.startsWith('mesh'));
  const sandboxServer = await startSandbox(options.latencyMs);
  const sandbox = sandboxServer.sandbox;
  const supergraphFile = join(mkdtempSync(join(tmpdir(), 'mesh-')), 'supergraph.graphql');
  writeFileSync(supergraphFile, await composeFromOpenAPI(sandboxServer.url));
  const upstream: Upstream = { url: sandboxServer.url, supergraphFile };
  const usage = () => ({ calls: sandbox.calls.length, credits: sandbox.calls.reduce((sum, c) => sum + c.creditsUsed, 0) });
  const scenarioRows: ScenarioRow[] = [];
  const loads: LoadRow[] = [];
  let hot: HotThroughput | undefined;
  let meshLikeCount = '';
  let meshOnlyPage = '';
  const graph: ScenarioRow[] = [];
  try {
    if (!options.graphOnly)
      [meshLikeCount, meshOnlyPage] = await withSystem('mesh', upstream, async (system) => {
        const post = poster(system.url);
        return [
          JSON.stringify(await post('{ tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { likeCount } } } }')),
          JSON.stringify(
            await post(
              '{ tiktokGetUserStories(username: "few_stories") { ... on tiktokGetUserStories_200_response { data { totalItems cursor nextCursor orderedItems { entityId } } } } }',
            ),
          ),
        ];
      });
    const runAll = async (list: Scenario[]) => {
      const rows: ScenarioRow[] = [];
      for (const scenario of list) {
        const variants: [SystemKind, Scenario['ours'] | undefined][] = [
          ['ours', scenario.ours],
          ...meshKinds.map((k): [SystemKind, Scenario['mesh']] => [k, scenario.mesh]),
        ];
        for (const [kind, run] of variants) {
          if (!run) continue;
          rows.push(
            await withSystem(kind, upstream, async (system) => {
              sandbox.calls.length = 0;
              const latencies: number[] = [];
              const started = performance.now();
              const { errors, verdict } = outcomeOf(await run(poster(system.url, latencies)));
              const ms = performance.now() - started;
              return {
                scenario: scenario.name,
                system: kind,
                minCalls: scenario.minCalls,
                ms,
                latencyRatio: ms / options.latencyMs,
                errors,
                verdict,
                p50: quantile(latencies, 0.5),
                p99: quantile(latencies, 0.99),
                peakMemory: system.peakMemory(),
                ...usage(),
              };
            }),
          );
        }
      }
      return rows;
    };
    if (!options.graphOnly) scenarioRows.push(...(await runAll(scenarios(options.repeat).slice(0, options.scenarioCount))));
    graph.push(...(await runAll(graphScenarios(await graphFixtures(sandboxServer)).slice(0, options.graphCount))));
    if (options.graphOnly) return { scenarios: [], loads, hot: NO_THROUGHPUT, meshLikeCount, meshOnlyPage, graph };

    // Each comparison runs with only its own systems alive: this server and the ceiling first, then
    // this server and the gateways. Rounds run a group's systems in order, then in reverse. With all
    // four alive on the measured core (the gateways idle, using no CPU), this server's ratio to the
    // ceiling head to head was 66–72% in some runs and 102–107% in others, with the same code.
    const groups = HOT_GROUPS.map((group) => group.filter((kind) => systems.includes(kind))).filter((group) => group.length > 1);
    const rounds = options.rounds ?? 1;
    const pairRounds = options.pairRounds ?? 2;
    // A system's row alone (and its peak memory) comes from the first group it ran in: this server's,
    // from next to the ceiling.
    const solo = new Map<SystemKind, LoadRow>();
    const results: HotThroughput[] = [];
    for (const group of groups) {
      const hotSystems = await Promise.all(group.map((kind) => startSystem(kind, upstream)));
      try {
        for (const system of hotSystems) await poster(system.url)(HOT_QUERY[system.kind]); // fill the caches
        const result = await hotThroughput(hotSystems, {
          body: (kind) => JSON.stringify({ query: HOT_QUERY[kind] }),
          rounds,
          seconds: options.roundSeconds ?? options.seconds,
          pairRounds,
          pairSeconds: options.pairSeconds ?? options.seconds,
          connections,
          settleMs: 5 * options.latencyMs,
          usage,
        });
        for (const run of result.solo) {
          const peakMemory = hotSystems.find((system) => system.kind === run.system)!.peakMemory();
          if (!solo.has(run.system)) solo.set(run.system, { run: 'hot-cache throughput', ...run, peakMemory });
        }
        results.push(result);
      } finally {
        await Promise.all(hotSystems.map((system) => system.stop()));
      }
    }
    hot = {
      solo: [...solo.values()],
      paired: results.flatMap((r) => r.paired),
      headToHead: results.flatMap((r) => r.headToHead),
      rounds,
      pairRounds,
    };
    loads.push(...[...solo.values()].sort((a, b) => systems.indexOf(a.system) - systems.indexOf(b.system)));
    let user = 0;
    for (const kind of systems.filter((k) => k !== 'bare-yoga')) {
      loads.push(
        await withSystem(kind, upstream, async (system): Promise<LoadRow> => {
          sandbox.calls.length = 0;
          // Mostly new users, some seen a moment ago: each system sees the same shape of traffic.
          const body = () => JSON.stringify({ query: coldQuery(kind, `cold_${Math.random() < 0.8 ? user++ : Math.floor(user * Math.random())}`) });
          const driven = await drive(system, body, options.seconds, connections);
          return { run: 'cold mixed', system: kind, ...driven, peakMemory: system.peakMemory(), ...usage() };
        }),
      );
    }
  } finally {
    await sandboxServer.close();
  }
  return { scenarios: scenarioRows, loads, hot: hot!, meshLikeCount, meshOnlyPage, graph };
}
