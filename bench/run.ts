/**
 * `npm run bench`: upstream calls and round trips of each credits scenario against the sandbox with
 * injected latency, measured next to the minimum, and cache memory under many distinct users.
 * `--smoke` runs a seconds-long version (the test suite uses it so the harness cannot rot).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadRun } from './load.js';
import { memoryRun } from './memory.js';
import { roundTripProbe } from './round-trips.js';
import { scenarios } from './scenarios.js';
import { startGraph, startSandbox } from './servers.js';

const smoke = process.argv.includes('--smoke');
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? (smoke ? 10 : 50));
const repeat = smoke ? 10 : 100;
const memoryUsers = smoke ? 2_000 : 100_000;

interface Row {
  scenario: string;
  calls: number;
  minCalls: number;
  ms: number;
  /** Sequential upstream round trips, counted: calls that had to wait for another call's answer. */
  roundTrips: number;
  /** Wall time divided by the injected latency: round trips as the user waits them. */
  latencyRatio: number;
  minRoundTrips?: number;
}

async function measure(): Promise<Row[]> {
  const upstream = await startSandbox(latencyMs);
  const rows: Row[] = [];
  try {
    for (const scenario of scenarios(repeat)) {
      // A first run on a throwaway server warms the sandbox's data and the JIT; the measured run then
      // meets an upstream that costs its injected latency, and a server whose caches are cold.
      for (const measured of [false, true]) {
        const probe = roundTripProbe();
        const graph = await startGraph(upstream.url, probe.wrap(fetch));
        const post = async (query: string, variables?: Record<string, unknown>) => {
          const response = await fetch(`${graph.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables }),
          });
          return response.json();
        };
        for (let i = 0; i < 20; i++) await post('{ __typename }');
        upstream.sandbox.calls.length = 0;
        probe.reset();
        const started = performance.now();
        await scenario.ours(post);
        const ms = performance.now() - started;
        await graph.close();
        if (!measured) continue;
        rows.push({
          scenario: scenario.name,
          calls: upstream.sandbox.calls.length,
          minCalls: scenario.minCalls,
          ms,
          roundTrips: probe.roundTrips(),
          latencyRatio: ms / latencyMs,
          minRoundTrips: scenario.minRoundTrips,
        });
      }
    }
  } finally {
    await upstream.close();
  }
  return rows;
}

const withinRoundTrips = (r: Row) => r.minRoundTrips === undefined || r.roundTrips <= r.minRoundTrips;

function table(rows: Row[]): string {
  const lines = [
    '| scenario | upstream calls | minimum | round trips (counted) | minimum | time (ms) | time / latency |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.calls} | ${r.minCalls}${r.calls === r.minCalls ? ' ✓' : ' ✗'} | ${r.roundTrips} | ${r.minRoundTrips === undefined ? '–' : `${r.minRoundTrips}${withinRoundTrips(r) ? ' ✓' : ' ✗'}`} | ${r.ms.toFixed(0)} | ${r.latencyRatio.toFixed(2)} |`,
    ),
  ];
  return lines.join('\n');
}

const rows = await measure();
// Smoke mode fills a small cache so that the bound is exercised in seconds.
const memory = await memoryRun(memoryUsers, smoke ? 1024 * 1024 : undefined);
const load = await loadRun(smoke ? 3 : 180, latencyMs);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const heapGrowth = load.heapLastThird / load.heapMiddleThird - 1;
const heapFlat = heapGrowth < 0.25;
const timeline = load.heapSamples.filter((_, i) => i % 30 === 0).map(mb).join(', ');
const report = [
  `# Benchmark: spend each credit once, and hold under load`,
  '',
  `Sandbox upstream over loopback HTTP with ${latencyMs} ms injected latency per call; a cold server per scenario.`,
  `Node ${process.version}, ${(await import('node:os')).cpus().length} cores${smoke ? ' (smoke mode)' : ''}.`,
  '',
  table(rows),
  '',
  `Load: ${load.requests.toLocaleString('en')} operations in ${load.seconds} s (${load.requestsPerSecond.toFixed(0)}/s, 20 connections) of mixed traffic — ` +
    `70% profiles of 2,000 users, 15% user with stories, 10% lists of 5, 5% upstream faults (503, 502, malformed body, 404) — ` +
    `through the real server process: ${load.httpErrors} HTTP errors${load.httpErrors === 0 ? ' ✓' : ' ✗'}, ` +
    `${load.unexpectedErrors} unexpected GraphQL errors${load.unexpectedErrors === 0 ? ' ✓' : ' ✗'} ` +
    `(${load.expectedFaults.toLocaleString('en')} expected fault errors); heap ${mb(load.heapMiddleThird)} in the middle third, ` +
    `${mb(load.heapLastThird)} in the last (${(heapGrowth * 100).toFixed(0)}%${heapFlat ? ' ✓' : ' ✗'}); every 30 s: ${timeline}.`,
  '',
  `Cache memory: ${memory.users.toLocaleString('en')} distinct users through the profile cache: ${mb(memory.cacheBytes)} held, bound ${mb(memory.boundBytes)}${memory.cacheBytes <= memory.boundBytes ? ' ✓' : ' ✗'}; ` +
    `heap ${mb(memory.heapAtHalf)} after ${(memory.users / 2).toLocaleString('en')} users, ${mb(memory.heapAtEnd)} after all (growth ${mb(memory.heapAtEnd - memory.heapAtHalf)} once the cache is full).`,
  '',
].join('\n');

console.log(report);
if (!smoke) {
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/latest.md', report);
}
// Calls, counted round trips and memory are exact and fail the run; times are reported.
const failed =
  rows.some((r) => r.calls !== r.minCalls || !withinRoundTrips(r)) ||
  memory.cacheBytes > memory.boundBytes ||
  load.httpErrors > 0 ||
  load.unexpectedErrors > 0;
process.exitCode = failed ? 1 : 0;
