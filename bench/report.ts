/** Markdown tables of the comparison, and the goals of the benchmark issue checked against them. */
import type { LoadRow, ScenarioRow } from './compare.js';

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
    '| run | system | requests | req/s | p50 (ms) | p99 (ms) | upstream calls | credits | errors | peak memory |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...loads.map(
      (l) =>
        `| ${l.run} | ${l.system} | ${l.requests.toLocaleString('en')} | ${l.rps.toFixed(0)} | ${l.p50} | ${l.p99} | ${l.calls.toLocaleString('en')} | ${l.credits.toLocaleString('en')} | ${l.errors} | ${mb(l.peakMemory)} |`,
    ),
  ];
  return lines.join('\n');
}

export interface Goal {
  goal: string;
  met: boolean;
  detail: string;
}

export function goals(ownRows: { calls: number; minCalls: number; latencyRatio: number; scenario: string }[], scenarios: ScenarioRow[], loads: LoadRow[]): Goal[] {
  const hot = (system: string) => loads.find((l) => l.run === 'hot-cache throughput' && l.system === system)?.rps ?? NaN;
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
    { goal: 'hot-cache throughput at least 90% of the bare yoga ceiling', met: hot('ours') >= 0.9 * hot('bare-yoga'), detail: `${((hot('ours') / hot('bare-yoga')) * 100).toFixed(0)}% (${hot('ours').toFixed(0)} vs ${hot('bare-yoga').toFixed(0)} req/s)` },
    { goal: 'hot-cache throughput above the generated gateway with its response cache', met: hot('ours') > hot('mesh+response-cache'), detail: `${hot('ours').toFixed(0)} vs ${hot('mesh+response-cache').toFixed(0)} req/s (${((hot('mesh+response-cache') / hot('bare-yoga')) * 100).toFixed(0)}% of bare yoga)` },
    {
      goal: 'fewer credits than the generated gateway wherever it can do better',
      met: versus.every((v) => v.ours <= v.mesh),
      detail: `${versus.map((v) => `${v.ours} vs ${v.mesh}`).join(', ')}${equal.length ? `; equal in: ${equal.join('; ')} (the minimum, which the gateway also reaches)` : ''}`,
    },
  ];
}
