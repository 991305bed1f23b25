/** Markdown tables of the comparison, and the goals of the benchmark issue checked against them. */
import type { LoadRow, ScenarioRow } from './compare.js';
import type { HotThroughput } from './throughput.js';

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
    '| this server against | rounds | this server\'s req/s per other\'s, alone (median) | middle half of the rounds | CPU per answer, other\'s per this server\'s (median) |',
    '|---|---:|---:|---:|---:|',
    ...hot.paired.map((p) => `| ${p.against} | ${p.ratios.length} | ${percent(p.median)} | ${percent(p.q1)} – ${percent(p.q3)} | ${percent(p.cpuMedian)} |`),
  ].join('\n');
}

export function headToHeadTable(hot: HotThroughput): string {
  return [
    '| this server against | rounds | this server\'s answers per other\'s (median) | middle half of the rounds | errors | CPU per answer, other\'s per this server\'s (median) | this server\'s share of the core | systems\' core busy | load generator\'s core busy |',
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
    { goal: 'upstream calls equal to the minimum in every scenario', met: ownRows.every((r) => r.calls === r.minCalls), detail: ownRows.map((r) => `${r.calls}/${r.minCalls}`).join(', ') },
    { goal: 'critical path of the user-with-stories scenario at most 1.3 upstream round trips', met: critical.latencyRatio <= 1.3, detail: `${critical.latencyRatio.toFixed(2)} round trips` },
    { goal: 'hot-cache throughput at least 90% of the bare yoga ceiling', met: (paired('bare-yoga')?.median ?? 0) >= 0.9, detail: versusText('bare-yoga') },
    { goal: 'hot-cache throughput above the generated gateway with its response cache', met: (paired('mesh+response-cache')?.median ?? 0) > 1, detail: versusText('mesh+response-cache') },
    {
      goal: 'fewer credits than the generated gateway wherever it can do better',
      met: versus.every((v) => v.ours <= v.mesh),
      detail: `${versus.map((v) => `${v.ours} vs ${v.mesh}`).join(', ')}${equal.length ? `; equal in: ${equal.join('; ')} (the minimum, which the gateway also reaches)` : ''}`,
    },
  ];
}
