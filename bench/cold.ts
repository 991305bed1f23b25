/**
 * CPU per cold answer against the floor (`--cold-only`, or a section of the full run): this server, a
 * raw `node:http` server with a keep-alive `node:http` client (bench/systems/floor.ts) and a minimal
 * Yoga server making the same call (bench/systems/minimal-yoga.ts) answer the same
 * profile query, each answer needing one upstream call (every username new), in two shapes: a new
 * document per request (the username a literal) and one document reused with variables. Rounds
 * alternate the systems; CPU is each process's own (`/proc/<pid>/stat`). Then this server's resident
 * memory after that load, a short hot-cache run against bare Yoga, and a CPU profile of this server on
 * new documents, its samples grouped into the main cost centres; then GraphiQL's page and the start
 * (bench/serving.ts).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOT_QUERY } from './compare.js';
import { type RunningSystem, type StartOptions, type SystemKind, type Upstream, poster, startSystem } from './processes.js';
import { startSandbox } from './servers.js';
import { type ServingResult, servingRun } from './serving.js';
import { drive, hotThroughput, median } from './throughput.js';

export type ColdShape = 'new documents' | 'reused document with variables';
const SHAPES: ColdShape[] = ['new documents', 'reused document with variables'];
const REUSED = 'query Profile($username: String!) { user(username: $username) { displayName followerCount } }';

/**
 * This server logs as deployed (the default level, a line per operation) to a pipe that is read, as a
 * log collector's would be; the rest of the benchmark runs it at `warn`.
 */
const AS_DEPLOYED: StartOptions = { env: { LOG_LEVEL: 'info' }, drainStdout: true };

export interface ColdRow {
  system: SystemKind;
  shape: ColdShape;
  requests: number;
  rps: number;
  cpuMicros: number;
  p50: number;
  p99: number;
  errors: number;
  /** Upstream calls per answer (1 when every answer is cold, as meant). */
  callsPerAnswer: number;
}

export interface ColdResult {
  latencyMs: number;
  rounds: number;
  seconds: number;
  connections: number;
  rows: ColdRow[];
  /** Resident memory (VmRSS) after the cold load, and the peak (VmHWM), per system. */
  memory: { system: SystemKind; rss: number; peak: number }[];
  /** Hot cache, alone and alternating: this server's CPU per answer and answers per second against bare Yoga's (medians of rounds). */
  hot?: { cpuRatio: number; rpsRatio: number; oursCpuMicros: number; bareCpuMicros: number; rounds: number };
  /** Shares of this server's busy CPU on new documents, from a separate profiled run. */
  centres: { centre: string; share: number }[];
  /** GraphiQL's page and the start to the first answer (bench/serving.ts). */
  serving: ServingResult;
}

export interface ColdOptions {
  latencyMs: number;
  seconds: number;
  rounds: number;
  connections?: number;
  hotRounds?: number;
  profileSeconds?: number;
  /** GETs of GraphiQL's page timed after the first, and starts timed. */
  graphiqlGets?: number;
  starts?: number;
}

/** The ratios the goals read: a system's CPU per cold answer (this server's by default) over the floor's, per shape. */
export function coldRatio(result: ColdResult, shape: ColdShape, system: SystemKind = 'ours'): number {
  const of = (kind: SystemKind) => result.rows.find((r) => r.system === kind && r.shape === shape)?.cpuMicros ?? NaN;
  return of(system) / of('floor');
}

export async function coldRun(options: ColdOptions): Promise<ColdResult> {
  const connections = options.connections ?? 20;
  const sandboxServer = await startSandbox(options.latencyMs);
  const { sandbox } = sandboxServer;
  const upstream: Upstream = { url: sandboxServer.url };
  let user = 0;
  // Every username new (never a persona): one upstream call per answer, nothing from a cache.
  const body = (kind: SystemKind, shape: ColdShape) => () => {
    const username = `cold_${kind.replace(/\W/g, '')}_${user++}`;
    return shape === 'new documents'
      ? JSON.stringify({ query: `{ user(username: "${username}") { displayName followerCount } }` })
      : JSON.stringify({ query: REUSED, variables: { username } });
  };
  const totals = new Map<string, { requests: number; cpuSeconds: number; seconds: number; errors: number; calls: number; p50: number[]; p99: number[] }>();
  const memory: ColdResult['memory'] = [];
  let hot: ColdResult['hot'];
  let centres: ColdResult['centres'] = [];
  let serving: ServingResult | undefined;
  try {
    // With BENCH_BASELINE (a directory holding another build's server.js), that build runs alongside: an A/B in one run.
    const kinds: SystemKind[] = ['ours', 'floor', 'minimal-yoga', ...(process.env.BENCH_BASELINE ? (['ours-before'] as const) : [])];
    const systems = await Promise.all(kinds.map((kind) => startSystem(kind, upstream, AS_DEPLOYED)));
    try {
      for (const system of systems) for (const shape of SHAPES) await drive(system, body(system.kind, shape), 2, connections); // warm up
      for (let round = 0; round < options.rounds; round++) {
        const order = round % 2 ? [...systems].reverse() : systems;
        for (const shape of SHAPES) {
          for (const system of order) {
            const before = sandbox.calls.length;
            const driven = await drive(system, body(system.kind, shape), options.seconds, connections);
            await new Promise((resolve) => setTimeout(resolve, 5 * options.latencyMs));
            const key = `${system.kind}|${shape}`;
            const total = totals.get(key) ?? { requests: 0, cpuSeconds: 0, seconds: 0, errors: 0, calls: 0, p50: [], p99: [] };
            total.requests += driven.requests;
            total.cpuSeconds += driven.cpuSeconds;
            total.seconds += options.seconds;
            total.errors += driven.errors;
            total.calls += sandbox.calls.length - before;
            total.p50.push(driven.p50);
            total.p99.push(driven.p99);
            totals.set(key, total);
            sandbox.calls.length = 0;
          }
        }
      }
      for (const system of systems) memory.push({ system: system.kind, rss: system.residentMemory(), peak: system.peakMemory() });
    } finally {
      await Promise.all(systems.map((system) => system.stop()));
    }
    if (options.hotRounds) hot = await hotRun(upstream, options.hotRounds, connections, () => ({ calls: sandbox.calls.length, credits: 0 }));
    if (options.profileSeconds) centres = await profile(upstream, body('ours', 'new documents'), options.profileSeconds, connections);
    serving = await servingRun(upstream, { gets: options.graphiqlGets, starts: options.starts });
  } finally {
    await sandboxServer.close();
  }
  const rows: ColdRow[] = [...totals].map(([key, t]) => {
    const [system, shape] = key.split('|') as [SystemKind, ColdShape];
    return {
      system,
      shape,
      requests: t.requests,
      rps: t.requests / t.seconds,
      cpuMicros: (t.cpuSeconds * 1e6) / t.requests,
      p50: median(t.p50),
      p99: median(t.p99),
      errors: t.errors,
      callsPerAnswer: t.calls / t.requests,
    };
  });
  return { latencyMs: options.latencyMs, rounds: options.rounds, seconds: options.seconds, connections, rows, memory, hot, centres, serving: serving! };
}

async function hotRun(upstream: Upstream, rounds: number, connections: number, usage: () => { calls: number; credits: number }): Promise<ColdResult['hot']> {
  const systems = await Promise.all((['ours', 'bare-yoga'] as const).map((kind) => startSystem(kind, upstream)));
  try {
    for (const system of systems) await poster(system.url)(HOT_QUERY[system.kind]);
    const result = await hotThroughput(systems, {
      body: (kind) => JSON.stringify({ query: HOT_QUERY[kind] }),
      rounds,
      seconds: 1,
      pairRounds: 0,
      pairSeconds: 1,
      connections,
      settleMs: 0,
      usage,
    });
    const paired = result.paired[0]!;
    const solo = (kind: SystemKind) => result.solo.find((s) => s.system === kind)!.cpuMicros;
    return { cpuRatio: 1 / paired.cpuMedian, rpsRatio: paired.median, oursCpuMicros: solo('ours'), bareCpuMicros: solo('bare-yoga'), rounds };
  } finally {
    await Promise.all(systems.map((system) => system.stop()));
  }
}

/**
 * Where the CPU goes: each sample goes to the innermost frame of its stack that names a cost centre
 * (url patterns, first match wins), skipping frames that serve several (graphql-js's visitor and
 * utilities serve both validation and execution; native frames, events, microtasks).
 */
const CENTRES: [string, RegExp][] = [
  ['graphql-js validate', /graphql\/validation\//],
  ['graphql-js parse', /graphql\/language\/(parser|lexer|source|blockString|characterClasses|printString)/],
  ['GraphQL Armor', /graphql-armor/],
  ['graphql-js execute', /graphql\/execution\/|@graphql-tools\/executor/],
  ['response cache', /response-cache/],
  ['logging (pino)', /\/pino\/|sonic-boom|fast-redact|quick-format|thread-stream/],
  ['upstream client: fetch (undici)', /undici/],
  ['timers and abort signals', /abort_controller|internal\/timers|DOMException|domexception/],
  ['Yoga, Envelop, whatwg-node', /graphql-yoga|@envelop\/|@whatwg-node|@graphql-yoga/],
  ['Node HTTP and sockets', /^node:(_http|net|stream|internal\/(http|stream|streams|net|webstreams|url|dns))/],
  ['caches, loaders, metrics (lru-cache, DataLoader, prom-client)', /lru-cache|dataloader|prom-client/],
  ['this server (dist/, Pothos)', /\/dist\/|@pothos/],
];
const SHARED = /graphql\/(language\/visitor|jsutils|utilities|type|error)|^node:(events|internal\/process|internal\/async_hooks)|promise-helpers/;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

async function profile(upstream: Upstream, body: () => string, seconds: number, connections: number): Promise<ColdResult['centres']> {
  const dir = mkdtempSync(join(tmpdir(), 'cold-prof-'));
  const system: RunningSystem = await startSystem('ours', upstream, { ...AS_DEPLOYED, nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  try {
    await drive(system, body, 2, connections);
    await drive(system, body, seconds, connections);
  } finally {
    // SIGTERM: the server exits by itself, and Node writes the profile on exit.
    await system.stop('SIGTERM');
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  return file ? costCentres(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, seconds) : [];
}

/** The shares of the busy samples of a V8 CPU profile's last `seconds`, per cost centre. */
export function costCentres({ nodes, samples, timeDeltas, endTime }: Profile, seconds: number): ColdResult['centres'] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = new Map<number, ProfileNode>();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, byId.get(node.id)!);
  const centreOf = new Map<number, string | undefined>();
  const classify = (node: ProfileNode): string | undefined => {
    if (centreOf.has(node.id)) return centreOf.get(node.id);
    const { url, functionName } = node.callFrame;
    let centre: string | undefined;
    if (functionName === '(garbage collector)') centre = 'GC';
    else if (functionName === '(idle)') centre = undefined;
    else if (url !== '' && !SHARED.test(url)) centre = CENTRES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other';
    if (centre === undefined && functionName !== '(idle)') {
      const up = parent.get(node.id);
      centre = up ? classify(up) : 'other';
    }
    centreOf.set(node.id, centre);
    return centre;
  };
  // Only the measured load: samples in its last `seconds` (the start, imports and warm-up excluded).
  const times: number[] = [];
  let at = endTime;
  for (let i = timeDeltas.length - 1; i >= 0; i--) {
    times[i] = at;
    at -= timeDeltas[i]!;
  }
  const hits = new Map<string, number>();
  let busy = 0;
  samples.forEach((id, i) => {
    if (times[i]! < endTime - seconds * 1e6) return;
    const centre = classify(byId.get(id)!);
    if (centre === undefined) return;
    hits.set(centre, (hits.get(centre) ?? 0) + 1);
    busy += 1;
  });
  return [...hits].map(([centre, n]) => ({ centre, share: n / busy })).sort((a, b) => b.share - a.share);
}
