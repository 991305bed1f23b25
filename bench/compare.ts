/**
 * This server side by side with the generated Mesh gateway (with and without its response cache) and
 * a bare Yoga ceiling, each in its own process against the same sandbox, in one run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { type RunningSystem, type SystemKind, type Upstream, percentile, poster, startSystem } from './processes.js';
import { composeFromOpenAPI } from './systems/mesh-gateway.js';
import { scenarios } from './scenarios.js';
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
}

export interface LoadRow {
  run: 'hot-cache throughput' | 'cold mixed';
  system: SystemKind;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  calls: number;
  credits: number;
  errors: number;
  peakMemory: number;
}


/** The throughput query, in each system's schema: the same response shape. */
const HOT_QUERY: Record<SystemKind, string> = {
  ours: '{ user(username: "khaby.lame") { displayName followerCount } }',
  'bare-yoga': '{ user(username: "khaby.lame") { displayName followerCount } }',
  mesh: '{ tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { name followerCount } } } }',
  'mesh+response-cache': '{ tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { name followerCount } } } }',
};

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
  /** Duration of each load run. */
  seconds: number;
  repeat: number;
  /** How many of the credit scenarios to run (all by default). */
  scenarioCount?: number;
  /** Throughput runs per system, alternating systems, keeping the best (the machine is shared and noisy). */
  rounds?: number;
  /** The systems besides this server (all four by default; the smoke run takes fewer). */
  systems?: SystemKind[];
  connections?: number;
}

export interface Comparison {
  scenarios: ScenarioRow[];
  loads: LoadRow[];
  /** What the generated gateway answers for the sample profile's 2.6 billion likes. */
  meshLikeCount: string;
  /** What it answers for a user's only page of stories (the spec's `cursor` and `nextCursor` are null there). */
  meshOnlyPage: string;
}

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
  let meshLikeCount = '';
  let meshOnlyPage = '';
  try {
    [meshLikeCount, meshOnlyPage] = await withSystem('mesh', upstream, async (system) => {
      const post = poster(system.url);
      return [
        JSON.stringify(await post('{ tiktokGetUser(username: "khaby.lame") { ... on tiktokGetUser_200_response { data { likeCount } } } }')),
        JSON.stringify(
          await post('{ tiktokGetUserStories(username: "few_stories") { ... on tiktokGetUserStories_200_response { data { totalItems cursor nextCursor orderedItems { entityId } } } } }'),
        ),
      ];
    });
    for (const scenario of scenarios(options.repeat).slice(0, options.scenarioCount)) {
      const variants: [SystemKind, typeof scenario.ours | undefined][] = [['ours', scenario.ours], ...meshKinds.map((k): [SystemKind, typeof scenario.mesh] => [k, scenario.mesh])];
      for (const [kind, run] of variants) {
        if (!run) continue;
        scenarioRows.push(
          await withSystem(kind, upstream, async (system) => {
            sandbox.calls.length = 0;
            const latencies: number[] = [];
            const started = performance.now();
            const errors = await run(poster(system.url, latencies));
            const ms = performance.now() - started;
            return {
              scenario: scenario.name,
              system: kind,
              minCalls: scenario.minCalls,
              ms,
              latencyRatio: ms / options.latencyMs,
              errors,
              p50: percentile(latencies, 50),
              p99: percentile(latencies, 99),
              peakMemory: system.peakMemory(),
              ...usage(),
            };
          }),
        );
      }
    }

    const measure = async (run: LoadRow['run'], kind: SystemKind, system: RunningSystem, body: () => string): Promise<LoadRow> => {
      sandbox.calls.length = 0;
      let errors = 0;
      const result = await autocannon({
        url: system.url,
        connections,
        duration: options.seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: body() }),
            onResponse: (status, responseBody) => {
              if (status !== 200 || (JSON.parse(responseBody) as { errors?: unknown[] }).errors) errors += 1;
            },
          },
        ],
      });
      return {
        run,
        system: kind,
        requests: result.requests.total,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: errors + result.non2xx + result.errors + result.timeouts,
        peakMemory: system.peakMemory(),
        ...usage(),
      };
    };
    const best = new Map<SystemKind, LoadRow>();
    for (let round = 0; round < (options.rounds ?? 1); round++) {
      const order = [...systems];
      for (const kind of round % 2 ? order.reverse() : order) {
        const body = JSON.stringify({ query: HOT_QUERY[kind] });
        const row = await withSystem(kind, upstream, async (system) => {
          await poster(system.url)(HOT_QUERY[kind]); // fill the caches
          await autocannon({ url: system.url, connections, duration: 2, method: 'POST', headers: { 'content-type': 'application/json' }, body }); // warm up
          return measure('hot-cache throughput', kind, system, () => body);
        });
        if (!best.has(kind) || row.rps > best.get(kind)!.rps) best.set(kind, row);
      }
    }
    loads.push(...best.values());
    let user = 0;
    for (const kind of systems.filter((k) => k !== 'bare-yoga')) {
      loads.push(
        await withSystem(kind, upstream, (system) =>
          // Mostly new users, some seen a moment ago: each system sees the same shape of traffic.
          measure('cold mixed', kind, system, () => JSON.stringify({ query: coldQuery(kind, `cold_${Math.random() < 0.8 ? user++ : Math.floor(user * Math.random())}`) })),
        ),
      );
    }
  } finally {
    await sandboxServer.close();
  }
  return { scenarios: scenarioRows, loads, meshLikeCount, meshOnlyPage };
}
