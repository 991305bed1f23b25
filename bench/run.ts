/**
 * `npm run bench`: offline, loopback only, bounded in time. Against the sandbox with injected latency
 * (BENCH_LATENCY_MS, 50 ms by default) it measures
 *  1. this server's upstream calls and round trips in every credits scenario and in the full graph's
 *     (bench/graph-scenarios.ts: lists, comments, hashtags, search), next to the minimum;
 *  2. the same scenarios, a hot-cache throughput run and a cold mixed run, side by side with a gateway
 *     generated from the OpenAPI file by GraphQL Mesh (with and without its response cache) and a
 *     bare Yoga ceiling, each in its own process; the full graph's answers checked against the sandbox's;
 *  3. a load run of mixed traffic with upstream faults, and the cache's memory under many users;
 *  4. abuse (bench/abuse.ts): what one hostile client can make the server and the operator spend;
 *  5. scale-out (bench/scale-out.ts): 3 replicas over one Redis against 3 independent ones and one
 *     process, and the cost of the Redis round trip on a cache hit (not in the smoke run);
 *  6. the cold path (bench/cold.ts): CPU per cold answer, new documents and one document with
 *     variables, against a raw `node:http` floor; memory after it; hot cache against bare Yoga;
 *     where the CPU goes (`--cold-only` runs and prints only this, in about three minutes);
 *  7. live subscriptions (bench/live.ts): polling credits per hour for 1, 100 and 10,000 subscribers of
 *     the same 10 users, delivery latency after a publication, and heap per open subscription.
 * It writes bench/results/latest.md and latest.svg and prints the tables. `--smoke` runs a
 * seconds-long version (the test suite uses it so that the harness cannot rot); `--abuse-only` runs
 * and prints only the abuse section (with `--smoke`, its short version), and writes nothing;
 * `--graph-only` runs and prints only the full graph's section (this server and the generated gateway
 * without its response cache; about two minutes), and writes nothing; `--scale-out-only` likewise
 * for the scale-out section (about a minute), and `--live-only` for the live section (under a minute). `--help` lists these.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { abuseGoals, abuseRun } from './abuse.js';
import { chart } from './chart.js';
import { type ColdOptions, coldRun } from './cold.js';
import { liveGoals, liveRun, liveSection } from './live.js';
import { compare } from './compare.js';
import { loadRun } from './load.js';
import { memoryRun } from './memory.js';
import { graphFixtures } from './graph-fixtures.js';
import { graphGoal, graphMet, graphSection } from './graph-report.js';
import { graphScenarios } from './graph-scenarios.js';
import { type OwnOptions, measureOwn, withinRoundTrips } from './own.js';
import { buildServer, pinHarness, pinning } from './processes.js';
import { abuseSection, coldGoals, coldSection, comparisonTables, goals, headToHeadTable, pairedTable, scaleOutSection } from './report.js';
import { scaleOutGoals, scaleOutRun } from './scale-out.js';
import { scenarios } from './scenarios.js';

const smoke = process.argv.includes('--smoke');
const abuseOnly = process.argv.includes('--abuse-only');
const graphOnly = process.argv.includes('--graph-only');
const scaleOutOnly = process.argv.includes('--scale-out-only');
const liveOnly = process.argv.includes('--live-only');
const coldOnly = process.argv.includes('--cold-only');
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);
const repeat = smoke ? 10 : 100;

/** Cold runs per scenario: the report takes the median time and the most calls and round trips of any. */
const COLD_RUNS = smoke ? 1 : 3;
const own = (list: OwnOptions['scenarios']) => measureOwn({ latencyMs, coldRuns: COLD_RUNS, scenarios: list });
const creditScenarios: OwnOptions['scenarios'] = async () => scenarios(repeat);
const fullGraph: OwnOptions['scenarios'] = async (upstream) => graphScenarios(await graphFixtures(upstream));

if (process.argv.includes('--help')) {
  console.log(
    'npm run bench [-- --smoke] [-- --abuse-only | --graph-only | --scale-out-only | --live-only | --cold-only]   (BENCH_LATENCY_MS: injected upstream latency, 50 by default)',
  );
  process.exit(0);
}

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

if (liveOnly) {
  const live = await liveRun(smoke);
  console.log(liveSection(live));
  process.exit(liveGoals(live).some((g) => g.exact && !g.met) ? 1 : 0);
}

if (abuseOnly) {
  const abuse = await abuseRun(smoke);
  console.log(abuseSection(abuse));
  // Nothing else runs: exit here with the abuse section's exact goals.
  process.exit(abuseGoals(abuse).some((g) => g.exact && !g.met) ? 1 : 0);
}

buildServer();
pinHarness();
if (graphOnly) {
  const comparison = await compare({ latencyMs, seconds: 1, repeat, systems: ['ours', 'mesh'], graphOnly: true, graphCount: smoke ? 1 : undefined });
  const graphOwn = await own(fullGraph);
  console.log(graphSection(graphOwn, comparison.graph, COLD_RUNS));
  process.exit(graphMet(graphOwn, comparison.graph) ? 0 : 1);
}
/** The cold path against the floor: 20 ms upstream latency unless BENCH_LATENCY_MS says otherwise. */
const coldOptions: ColdOptions = smoke
  ? { latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 20), seconds: 1, rounds: 1, graphiqlGets: 20, starts: 1 }
  : { latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 20), seconds: 4, rounds: 4, hotRounds: 8, profileSeconds: 6, graphiqlGets: 200, starts: 5 };
if (coldOnly) {
  const cold = await coldRun(coldOptions);
  console.log(coldSection(cold));
  process.exit(cold.rows.some((r) => r.system === 'ours' && r.errors > 0) ? 1 : 0);
}
if (scaleOutOnly) {
  const scaleOut = await scaleOutRun(smoke);
  console.log(scaleOutSection(scaleOut));
  process.exit(scaleOutGoals(scaleOut).some((g) => g.exact && !g.met) ? 1 : 0);
}
// The systems in their own processes first. The in-process scenarios below share this process with
// the sandbox and the load generator, whose code is warm by then. Measured first, on a cold harness,
// the user-with-stories scenario took 1.29 to 1.44 round trips in three runs; measured after, 1.20.
const comparison = await compare(
  smoke
    ? { latencyMs, seconds: 1, repeat, scenarioCount: 1, graphCount: 1, rounds: 1, pairRounds: 2, systems: ['ours', 'mesh', 'bare-yoga'] }
    : { latencyMs, seconds: 6, repeat, rounds: 24, roundSeconds: 1, pairRounds: 8, pairSeconds: 2 },
);
const cold = await coldRun(coldOptions);
const ownRows = await own(creditScenarios);
const graphOwn = await own(fullGraph);
const load = await loadRun(smoke ? 2 : 120, latencyMs);
// Smoke mode fills a small cache so that the bound is exercised in seconds.
const memory = await memoryRun(smoke ? 1_000 : 100_000, smoke ? 512 * 1024 : undefined);
const abuse = await abuseRun(smoke);
// Seven server processes to start: too slow for the smoke run (`--scale-out-only --smoke` runs it short).
const scaleOut = smoke ? undefined : await scaleOutRun(false);
const live = await liveRun(smoke);
const heapGrowth = load.heapLastThird / load.heapMiddleThird - 1;
const checks = [...goals(ownRows, comparison.scenarios, comparison.hot), graphGoal(graphOwn, comparison.graph), ...coldGoals(cold)];

const report = [
  '# Benchmark',
  '',
  `Sandbox upstream over loopback HTTP with ${latencyMs} ms injected latency per call. Node ${process.version}, ` +
    `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB${smoke ? ' (smoke mode: short runs, not results)' : ''}. ` +
    (pinning
      ? `Every system under test runs on core ${pinning.systemCpu}, the load generator and the sandbox on core ${pinning.harnessCpu} (taskset).`
      : 'Processes are not pinned to cores (no taskset, or a single core): throughput figures are rougher.'),
  '',
  '## Goals',
  '',
  ...checks.map((g) => `- ${mark(g.met)} ${g.goal}: ${g.detail}`),
  '',
  '## This server: upstream calls and round trips against the minimum',
  '',
  `A cold server per run, ${COLD_RUNS} run${COLD_RUNS > 1 ? 's' : ''} per scenario${COLD_RUNS > 1 ? ' (the median time; the most calls and round trips of any run)' : ''}. "Round trips (counted)" counts calls that had to wait for another call's answer; "time / latency" is the wall time in units of upstream latency.`,
  '',
  '| scenario | upstream calls | minimum | round trips (counted) | minimum | time (ms) | time / latency |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...ownRows.map(
    (r) =>
      `| ${r.scenario} | ${r.calls} | ${r.minCalls} ${mark(r.calls === r.minCalls)} | ${r.roundTrips} | ${r.minRoundTrips === undefined ? '–' : `${r.minRoundTrips} ${mark(withinRoundTrips(r))}`} | ${r.ms.toFixed(0)} | ${r.latencyRatio.toFixed(2)} |`,
  ),
  '',
  '## Side by side: this server, the generated Mesh gateway, and bare Yoga',
  '',
  'Each system in its own process against the same sandbox, started cold for every scenario. "mesh" is a Hive Gateway serving the supergraph GraphQL Mesh generates from the OpenAPI file, with request deduplication and the HTTP cache; "mesh+response-cache" adds its response cache. "bare-yoga" answers this server\'s hot-cache response from memory over the same HTTP layer: the ceiling of an executing Yoga server. ' +
    `Hot-cache throughput: each system by itself, the median of ${comparison.hot.rounds} alternating rounds, in two groups that each run with only their own systems alive (this server and bare Yoga; then this server and the gateways).`,
  '',
  comparisonTables(comparison.scenarios, comparison.loads),
  '',
  '### Hot-cache throughput, system against system',
  '',
  'Alone, round by round: in every round each system runs by itself for the same time, seconds after the other, and the ratio is taken within the round (on this shared machine, runs minutes apart differ by up to a third). ' +
    "CPU per answer is the process's own CPU time (the host's steal time is not in it). The goals are checked on these medians.",
  '',
  pairedTable(comparison.hot),
  '',
  'Head to head: this server and one other system loaded at the same time, both on the same core. Each gets half the core, and answers at the rate its CPU per answer allows while it shares caches and time slices with the other. ' +
    'The generated gateway without its response cache is left out: it waits on the upstream, not on its CPU. ' +
    "The ratio is the systems' only when their core is busy (near 100%); well under that, the load generator set both systems' pace.",
  '',
  headToHeadTable(comparison.hot),
  '',
  `The generated gateway's answer for the sample profile's likes: \`${comparison.meshLikeCount}\``,
  '',
  `Its answer for a user's only page of stories (\`cursor\` and \`nextCursor\` are null there, as the spec allows): \`${comparison.meshOnlyPage}\``,
  '',
  graphSection(graphOwn, comparison.graph, COLD_RUNS),
  '',
  coldSection(cold),
  '## Load and memory',
  '',
  `Load: ${load.requests.toLocaleString('en')} operations in ${load.seconds} s (${load.requestsPerSecond.toFixed(0)}/s, 20 connections) of mixed traffic ` +
    `(70% profiles of 2,000 users, 15% user with stories, 10% lists of 5, 5% upstream faults: 503, 502, malformed body, 404) through the real server process: ` +
    `${load.httpErrors} HTTP errors ${mark(load.httpErrors === 0)}, ${load.unexpectedErrors} unexpected GraphQL errors ${mark(load.unexpectedErrors === 0)} ` +
    `(${load.expectedFaults.toLocaleString('en')} expected fault errors); heap ${mb(load.heapMiddleThird)} in the middle third, ${mb(load.heapLastThird)} in the last ` +
    `(${(heapGrowth * 100).toFixed(0)}% ${mark(heapGrowth < 0.25)}).`,
  '',
  `Cache memory: ${memory.users.toLocaleString('en')} distinct users through the profile cache: ${mb(memory.cacheBytes)} held, bound ${mb(memory.boundBytes)} ${mark(memory.cacheBytes <= memory.boundBytes)}; ` +
    `heap ${mb(memory.heapAtHalf)} after half of them, ${mb(memory.heapAtEnd)} after all (growth ${mb(memory.heapAtEnd - memory.heapAtHalf)} once the cache is full).`,
  '',
  abuseSection(abuse),
  ...(scaleOut ? [scaleOutSection(scaleOut)] : []),
  liveSection(live),
].join('\n');

console.log(report);
if (!smoke) {
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/latest.md', report);
  await writeFile('bench/results/latest.svg', chart(comparison.scenarios, comparison.loads));
}
// Exact figures fail the run; timings are reported (the smoke run only checks that the harness works).
const failed =
  ownRows.some((r) => r.calls !== r.minCalls || !withinRoundTrips(r)) ||
  !graphMet(graphOwn, comparison.graph) ||
  comparison.scenarios.some((r) => r.system === 'ours' && (r.calls !== r.minCalls || r.errors > 0)) ||
  cold.rows.some((r) => r.system === 'ours' && r.errors > 0) ||
  memory.cacheBytes > memory.boundBytes ||
  load.httpErrors > 0 ||
  load.unexpectedErrors > 0 ||
  abuseGoals(abuse).some((g) => g.exact && !g.met) ||
  (scaleOut !== undefined && scaleOutGoals(scaleOut).some((g) => g.exact && !g.met)) ||
  liveGoals(live).some((g) => g.exact && !g.met);
process.exitCode = failed ? 1 : 0;
