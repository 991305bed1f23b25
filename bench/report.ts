/** Markdown tables of the comparison, and the goals of the benchmark issue checked against them. */
import type { LoadRow, ScenarioRow } from './compare.js';
import { type AbuseResult, abuseGoals } from './abuse.js';
import { type ColdResult, coldRatio } from './cold.js';
import { type HotThroughput, median } from './throughput.js';
import { type ScaleOutResult, scaleOutGoals } from './scale-out.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');

export function comparisonTables(scenarios: ScenarioRow[], loads: LoadRow[]): string {
  const lines = [
    '| scenario | system | upstream calls | minimum | credits | time (ms) | time / latency | p50 / p99 per request (ms) | GraphQL errors | peak memory |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...scenarios.map(
      (r) =>
        `| ${r.scenario} | ${r.system} | ${r.calls} | ${r.minCalls} ${mark(r.calls === r.minCalls)} | ${r.credits} | ${r.ms.toFixed(0)} | ${r.latencyRatio.toFixed(2)} | ${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} | ${r.errors} | ${mb(r.peakMemory)} |`,
    ),
    '',
    '| run | system | requests | req/s | p50 (ms) | p99 (ms) | CPU per answer (µs) | upstream calls | credits | errors | peak memory |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...loads.map(
      (l) =>
        `| ${l.run} | ${l.system} | ${l.requests.toLocaleString('en')} | ${l.rps.toFixed(0)} | ${l.p50} | ${l.p99} | ${l.cpuMicros.toFixed(0)} | ${l.calls.toLocaleString('en')} | ${l.credits.toLocaleString('en')} | ${l.errors} | ${mb(l.peakMemory)} |`,
    ),
  ];
  return lines.join('\n');
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;

/** This server's throughput as a share of each other system's: alone round by round, and head to head on one core. */
export function pairedTable(hot: HotThroughput): string {
  return [
    "| this server against | rounds | this server's req/s per other's, alone (median) | middle half of the rounds | CPU per answer, other's per this server's (median) |",
    '|---|---:|---:|---:|---:|',
    ...hot.paired.map((p) => `| ${p.against} | ${p.ratios.length} | ${percent(p.median)} | ${percent(p.q1)} – ${percent(p.q3)} | ${percent(p.cpuMedian)} |`),
  ].join('\n');
}

export function headToHeadTable(hot: HotThroughput): string {
  return [
    "| this server against | rounds | this server's answers per other's (median) | middle half of the rounds | errors | CPU per answer, other's per this server's (median) | this server's share of the core | systems' core busy | load generator's core busy |",
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...hot.headToHead.map(
      (h) =>
        `| ${h.against} | ${h.ratios.length} | ${percent(h.median)} | ${percent(h.q1)} – ${percent(h.q3)} | ${h.errors} | ${percent(h.cpuMedian)} | ${percent(h.oursShare)} | ${percent(h.systemsBusy)} | ${percent(h.harnessBusy)} |`,
    ),
  ].join('\n');
}

export interface Goal {
  goal: string;
  met: boolean;
  detail: string;
}

export function goals(
  ownRows: { calls: number; minCalls: number; latencyRatio: number; scenario: string }[],
  scenarios: ScenarioRow[],
  hot: HotThroughput,
): Goal[] {
  const paired = (system: string) => hot.paired.find((p) => p.against === system);
  const alone = (system: string) => hot.solo.find((r) => r.system === system);
  const versusText = (system: string) => {
    const p = paired(system);
    const h = hot.headToHead.find((x) => x.against === system);
    if (!p) return 'not measured';
    return (
      `${percent(p.median)} (median of ${p.ratios.length} rounds alone, middle half ${percent(p.q1)} – ${percent(p.q3)}; ` +
      `${alone('ours')!.rps.toFixed(0)} vs ${alone(system)!.rps.toFixed(0)} req/s; CPU per answer ${alone('ours')!.cpuMicros.toFixed(0)} vs ${alone(system)!.cpuMicros.toFixed(0)} µs)` +
      (h ? `; head to head on one shared core: ${percent(h.median)}` : '')
    );
  };
  const critical = ownRows.find((r) => r.scenario.startsWith('one user'))!;
  const versus = [...new Set(scenarios.map((s) => s.scenario))].flatMap((name) => {
    const ours = scenarios.find((s) => s.scenario === name && s.system === 'ours');
    const meshBest = scenarios.filter((s) => s.scenario === name && s.system !== 'ours').sort((a, b) => a.credits - b.credits)[0];
    return ours && meshBest ? [{ name, ours: ours.credits, mesh: meshBest.credits }] : [];
  });
  const equal = versus.filter((v) => v.ours === v.mesh).map((v) => v.name);
  return [
    {
      goal: 'upstream calls equal to the minimum in every scenario',
      met: ownRows.every((r) => r.calls === r.minCalls),
      detail: ownRows.map((r) => `${r.calls}/${r.minCalls}`).join(', '),
    },
    {
      goal: 'critical path of the user-with-stories scenario at most 1.3 upstream round trips',
      met: critical.latencyRatio <= 1.3,
      detail: `${critical.latencyRatio.toFixed(2)} round trips`,
    },
    { goal: 'hot-cache throughput at least 90% of the bare yoga ceiling', met: (paired('bare-yoga')?.median ?? 0) >= 0.9, detail: versusText('bare-yoga') },
    {
      goal: 'hot-cache throughput above the generated gateway with its response cache',
      met: (paired('mesh+response-cache')?.median ?? 0) > 1,
      detail: versusText('mesh+response-cache'),
    },
    {
      goal: 'fewer credits than the generated gateway wherever it can do better',
      met: versus.every((v) => v.ours <= v.mesh),
      detail: `${versus.map((v) => `${v.ours} vs ${v.mesh}`).join(', ')}${equal.length ? `; equal in: ${equal.join('; ')} (the minimum, which the gateway also reaches)` : ''}`,
    },
  ];
}

/** The abuse section (bench/abuse.ts): its goals, then each figure with how it was measured. */
export function abuseSection(r: AbuseResult): string {
  const ms = (value: number) => value.toFixed(1);
  const { budget, stalls, late } = r;
  return [
    '## Abuse',
    '',
    `What one hostile client can make this server, and the operator, spend: in-process against the sandbox, with the default configuration unless said (${r.seconds.toFixed(0)} s; ` +
      `the machine's load average was ${r.load[0].toFixed(1)} at the start and ${r.load[1].toFixed(1)} at the end, on ${r.cores} cores: wall times and stalls grow with it, CPU times do not).`,
    '',
    ...abuseGoals(r).map((g) => `- ${mark(g.met)} ${g.goal}: ${g.detail}`),
    '',
    '### Credits one anonymous client can spend',
    '',
    `**The minute is simulated**: the budgets read a clock the benchmark moves half a second between bursts, and nothing waits for it. ` +
      `Every half second of ${budget.simulatedSeconds} simulated seconds, one client (no key, one address, a made-up bearer token on every request) sent each of these, whatever it was answered: ${budget.shapes.join('; ')}. ` +
      `${budget.attempts.toLocaleString('en')} operations, ${budget.refused.toLocaleString('en')} refused (429 \`RATE_LIMITED\`, or \`QUERY_TOO_EXPENSIVE\`). ` +
      `Credits the sandbox billed: ${budget.firstMinute} in the first minute, ${budget.worstMinute} in the worst 60 s of the run; the budget is ${budget.budget} (\`CLIENT_CREDITS_PER_MINUTE\`).`,
    '',
    '### Analysis of the worst documents',
    '',
    `Dry runs (\`X-Dry-Run: true\`: parse, validation, shape limits and the credit estimate; nothing executed) through \`yoga.fetch\`, ${r.analysis[0]?.runs ?? 0} runs of each document, every run made unique by a comment so that Yoga's parse and validation caches do not answer it. Documents refused by a shape limit count too: how fast they are refused is what matters.`,
    '',
    '| document | answered | runs | CPU p99 (ms) | CPU max (ms) | wall p99 (ms) | wall max (ms) |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...r.analysis.map(
      (a) => `| ${a.name} | ${a.outcome} | ${a.runs} | ${ms(a.cpuP99Ms)} ${mark(a.cpuP99Ms < 50)} | ${ms(a.cpuMaxMs)} | ${ms(a.p99Ms)} | ${ms(a.maxMs)} |`,
    ),
    '',
    '### Event loop',
    '',
    "The event loop's longest delay (`perf_hooks.monitorEventLoopDelay`, resolution 2 ms) while each of these ran, in the benchmark's own process:",
    '',
    '| while | longest stall (ms) | what ran |',
    '|---|---:|---|',
    `| the dry runs above | ${ms(stalls.analysisMs)} ${mark(stalls.analysisMs < 100)} | every document, every run |`,
    `| the largest answer under \`MAX_RESPONSE_BYTES\` (${(stalls.maxResponseBytes / 2 ** 20).toFixed(0)} MiB) | ${ms(stalls.largestAnswerMs)} ${mark(stalls.largestAnswerMs < 100)} | ${(stalls.largestAnswerBytes / 1e6).toFixed(1)} MB from cached data (\`users\` with one user ${stalls.largestAnswerNames} times, 100 stories each), built and sent in ${stalls.largestAnswerBuildMs.toFixed(0)} ms |`,
    `| an answer over it | ${ms(stalls.refusedAnswerMs)} ${mark(stalls.refusedAnswerMs < 100)} | ${stalls.refusedAttack}: ${stalls.refusedCode} in ${stalls.refusedMs.toFixed(0)} ms |`,
    '',
    '### Upstream calls after their operations answered',
    '',
    `${late.operations} concurrent operations against a sandbox answering in ${late.latencyMs} ms, with \`UPSTREAM_MAX_CONCURRENCY\` ${late.maxConcurrency} and \`OPERATION_TIMEOUT_MS\` ${late.operationTimeoutMs}: each asks for a profile of its own and one shared with other operations, a third also for stories pages, a seventh also for a profile answering 503 (retried while someone waits). ` +
      `Answers: ${Object.entries(late.codes)
        .map(([code, n]) => `${n} ${code === 'none' ? 'without error' : code}`)
        .join(', ')}. ` +
      `${late.calls} calls reached the sandbox; ${late.late} ${mark(late.late === 0)} of them after every operation asking for their resource had answered (watched ${late.watchedMs.toFixed(0)} ms after the last answer, until nothing ran or waited upstream, plus one latency).`,
    '',
    '### CPU of the abuse checks on the hot path',
    '',
    'CPU per answer of this process (`process.cpuUsage`), in-process `yoga.fetch` loops against two apps, with the default budgets and with `CLIENT_CREDITS_PER_MINUTE=0`, in alternating rounds (after a GC each). ' +
      "Both apps live in the benchmark's process, with the harness's own work per request, so the absolute figures are above a server's own (the hot-cache throughput run measures those); the ratio compares like with like:",
    '',
    '| path | requests per round | rounds | CPU per answer, budgets on (µs) | budgets off (µs) | on / off (median of the rounds) | middle half |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.hot.map(
      (h) =>
        `| ${h.path} | ${h.requests.toLocaleString('en')} | ${h.rounds} | ${h.onMicros.toFixed(0)} | ${h.offMicros.toFixed(0)} | ${h.ratio.toFixed(3)} | ${h.ratioQ1.toFixed(3)} – ${h.ratioQ3.toFixed(3)} |`,
    ),
    '',
  ].join('\n');
}

/** The scale-out section (bench/scale-out.ts): replicas over one Redis against independent replicas. */
export function scaleOutSection(r: ScaleOutResult): string {
  const ms = (value: number) => value.toFixed(3);
  const { hit } = r;
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const listed = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([operation, n]) => `${n} \`${operation}\``)
      .join(', ') || 'none';
  const shared = r.systems.filter((s) => s.shared);
  return [
    '## Scale-out',
    '',
    `One mixed workload (${r.systems[0]?.requests} requests about ${r.users} users and a few crowds: profiles, a profile with its stories, two pages of videos walked by cursor, ` +
      `6 concurrent cold requests for one user every 40 visits; half the visits about 8 popular users; ${r.concurrency} visits at once), sent round-robin to each system's processes. ` +
      `Every process is the compiled server on the systems' core, warmed by ${r.warmUp} requests about other users (their calls not counted); each system calls a sandbox of its own (${r.latencyMs} ms per call); the replicas that share use one real \`redis-server\` on loopback with the default \`REDIS_TIMEOUT_MS\`. ` +
      `${r.rounds} round${r.rounds > 1 ? 's' : ''}, each running every system once from cold processes${r.rounds > 1 ? ' (every other round in reverse order)' : ''}: calls, wall time and CPU per round; latency per request, at the load generator, over all rounds; CPU is the system's processes' own during the workload (\`/proc/<pid>/stat\`). ` +
      `${r.seconds.toFixed(0)} s in all; the machine's load average was ${r.load[0].toFixed(1)} at the start and ${r.load[1].toFixed(1)} at the end, on ${r.cores} cores: latencies grow with it, call counts do not.`,
    '',
    ...scaleOutGoals(r).map((g) => `- ${mark(g.met)} ${g.goal}: ${g.detail}`),
    '',
    '| system | processes | requests | upstream calls | distinct | p50 (ms) | p99 (ms) | wall (ms) | CPU (ms) | GraphQL errors | Redis errors / skipped |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.systems.map(
      (s) =>
        `| ${s.name} | ${s.replicas} | ${s.requests} | ${s.calls.join(', ')} | ${s.distinctCalls.join(', ')} | ${s.p50Ms.toFixed(1)} | ${s.p99Ms.toFixed(1)} | ${s.wallMs.map((ms) => ms.toFixed(0)).join(', ')} | ${s.cpuMs.map((ms) => ms.toFixed(0)).join(', ')} | ${s.errors} | ${s.shared ? `${total(s.redisErrors)} / ${total(s.redisSkipped)}` : '–'} |`,
    ),
    '',
    ...shared.map(
      (s) =>
        `Redis steps of "${s.name}" during the workload that failed or passed \`REDIS_TIMEOUT_MS\` (the replica then went on without Redis for that step): ${listed(s.redisErrors)}; skipped while the guard's breaker was open: ${listed(s.redisSkipped)}.`,
    ),
    '',
    '### The Redis round trip on a hit',
    '',
    `Two apps in the benchmark's process over that Redis (\`createApp\` with \`createSharing\`), \`client.call('tiktokGetUser')\` timed with \`performance.now()\`, one lookup at a time. ` +
      `App A fetched ${hit.lookups.toLocaleString('en')} profiles; answering them again from its LRU, it sent ${hit.localHitCommands} ${mark(hit.localHitCommands === 0)} Redis commands (Redis' \`total_commands_processed\`, less the benchmark's own INFO). ` +
      `Then, profile by profile, a local hit on A and a hit on B, which finds A's answer in Redis (${hit.commandsPerRedisHit.toFixed(2)} commands per hit, ${hit.redisHitCalls} upstream calls):`,
    '',
    '| hit | lookups | mean (ms) | p50 (ms) | p99 (ms) |',
    '|---|---:|---:|---:|---:|',
    `| local LRU (A) | ${hit.lookups.toLocaleString('en')} | ${ms(hit.local.meanMs)} | ${ms(hit.local.p50Ms)} | ${ms(hit.local.p99Ms)} |`,
    `| Redis (B) | ${hit.lookups.toLocaleString('en')} | ${ms(hit.redis.meanMs)} | ${ms(hit.redis.p50Ms)} | ${ms(hit.redis.p99Ms)} |`,
    `| added by Redis | | ${ms(hit.redis.meanMs - hit.local.meanMs)} | ${ms(hit.redis.p50Ms - hit.local.p50Ms)} | ${ms(hit.redis.p99Ms - hit.local.p99Ms)} |`,
    `| for comparison: a bare GET on B's connection | ${hit.lookups.toLocaleString('en')} | ${ms(hit.bareGet.meanMs)} | ${ms(hit.bareGet.p50Ms)} | ${ms(hit.bareGet.p99Ms)} |`,
    '',
  ].join('\n');
}

/** CPU per cold answer against the raw `node:http` floor (bench/cold.ts), with the goals of issue 17. */
export function coldGoals(r: ColdResult): { goal: string; met: boolean; detail: string }[] {
  const ours = r.memory.find((m) => m.system === 'ours');
  const goals = [
    { shape: 'new documents' as const, max: 2.5 },
    { shape: 'reused document with variables' as const, max: 2 },
  ].map(({ shape, max }) => {
    const ratio = coldRatio(r, shape);
    const yoga = coldRatio(r, shape, 'minimal-yoga');
    return {
      goal: `CPU per cold answer at most ${max}× the floor's on ${shape}`,
      met: ratio <= max,
      detail: `${ratio.toFixed(2)}× (a minimal Yoga server: ${yoga.toFixed(2)}×; this server ${(ratio / yoga).toFixed(2)}× the minimal Yoga's)`,
    };
  });
  if (ours) goals.push({ goal: 'resident memory after the cold load at most 150 MiB', met: ours.rss <= 150 * 2 ** 20, detail: mb(ours.rss) });
  if (r.hot)
    goals.push({
      goal: "hot-cache CPU per answer within 1.3× bare Yoga's",
      met: r.hot.cpuRatio <= 1.3,
      detail: `${r.hot.cpuRatio.toFixed(2)}× (${r.hot.oursCpuMicros.toFixed(0)} vs ${r.hot.bareCpuMicros.toFixed(0)} µs; answers per second ${(r.hot.rpsRatio * 100).toFixed(0)}% of bare Yoga's; medians of ${r.hot.rounds} rounds alone)`,
    });
  const { graphiql, startMs } = r.serving;
  const start = median(startMs);
  goals.push(
    {
      goal: 'GraphiQL at most 5 ms of CPU per GET',
      met: graphiql.cpuPerGetMs <= 5,
      detail: `${graphiql.cpuPerGetMs.toFixed(2)} ms per GET of the whole page (${(graphiql.gzipBytes / 1e6).toFixed(1)} MB gzipped), ${graphiql.cpuPerReloadMs.toFixed(2)} ms per reload with its ETag (304), over ${graphiql.gets} GETs each after the first (which loads the renderer and renders and gzips the page: ${graphiql.firstCpuMs.toFixed(0)} ms)`,
    },
    {
      goal: 'no memory growth over 20 GETs of GraphiQL',
      met: graphiql.rssGrowthBytes <= 2 ** 20,
      detail: `${(graphiql.rssGrowthBytes / 2 ** 20).toFixed(1)} MiB resident after 20 GETs of the whole page less before`,
    },
    {
      goal: 'start under 2 s to the first answer with the code built',
      met: start < 2_000,
      detail: `${start.toFixed(0)} ms at the median of ${startMs.length} starts (${startMs.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
    },
  );
  return goals;
}

export function coldSection(r: ColdResult): string {
  return [
    '## CPU per cold answer, against the floor',
    '',
    `This server, the floor (a raw \`node:http\` server calling the sandbox with a keep-alive \`node:http\` agent: bench/systems/floor.ts) ` +
      "and a minimal Yoga server making the same call in its resolver (Yoga's defaults, a two-field schema: bench/systems/minimal-yoga.ts) on the systems' core, " +
      `${r.latencyMs} ms per upstream call, every username new (one upstream call per answer), ${r.connections} connections, ${r.rounds} alternating rounds of ${r.seconds} s per shape and system, summed. ` +
      'CPU is the process\'s own (`/proc/<pid>/stat`). "New documents": the username a literal, so a new document every request; "reused document with variables": one document, the username a variable.',
    '',
    ...coldGoals(r).map((g) => `- ${mark(g.met)} ${g.goal}: ${g.detail}`),
    '',
    '| system | shape | answers | answers/s | CPU per answer (µs) | × floor | p50 / p99 (ms) | upstream calls per answer | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.system} | ${row.shape} | ${row.requests.toLocaleString('en')} | ${row.rps.toFixed(0)} | ${row.cpuMicros.toFixed(0)} | ${(row.cpuMicros / (r.rows.find((f) => f.system === 'floor' && f.shape === row.shape)?.cpuMicros ?? NaN)).toFixed(2)} | ${row.p50} / ${row.p99} | ${row.callsPerAnswer.toFixed(2)} | ${row.errors} |`,
    ),
    '',
    `Memory after the cold load: ${r.memory.map((m) => `${m.system} ${mb(m.rss)} resident (peak ${mb(m.peak)})`).join('; ')}.`,
    '',
    ...(r.centres.length > 0
      ? [
          "Where this server's CPU goes on new documents (a separate run under `--cpu-prof`; self time of each sample, native frames counted for their JavaScript caller):",
          '',
          '| cost centre | share of busy CPU |',
          '|---|---:|',
          ...r.centres.map((c) => `| ${c.centre} | ${(c.share * 100).toFixed(1)}% |`),
          '',
        ]
      : []),
  ].join('\n');
}
