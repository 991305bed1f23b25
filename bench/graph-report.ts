/** The full graph's section of the report: this server against the minimum, then beside the generated gateway. */
import type { ScenarioRow } from './compare.js';
import { type Row, withinRoundTrips } from './own.js';
import type { Goal } from './report.js';
import type { Verdict } from './scenarios.js';

const mark = (ok: boolean) => (ok ? '✓' : '✗');
const answer = (verdict?: Verdict) => (!verdict ? '–' : verdict.correct ? '✓ right' : `✗ ${verdict.why.replace(/\|/g, '\\|').replace(/\n/g, ' ')}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** Whether this server met every exact figure of the full graph: calls, round trips, right answers, no errors. */
export function graphMet(own: Row[], side: ScenarioRow[]): boolean {
  const ours = side.filter((r) => r.system === 'ours');
  return (
    own.every((r) => r.calls === r.minCalls && withinRoundTrips(r) && r.verdict?.correct !== false) &&
    ours.every((r) => r.calls === r.minCalls && r.errors === 0 && r.verdict?.correct !== false)
  );
}

export function graphGoal(own: Row[], side: ScenarioRow[]): Goal {
  const right = (rows: { verdict?: Verdict }[]) => `${rows.filter((r) => r.verdict?.correct).length} of ${rows.length}`;
  const mesh = side.filter((r) => r.system === 'mesh');
  return {
    goal: 'full graph: upstream calls and round trips at the minimum, answers matching the sandbox',
    met: graphMet(own, side),
    detail:
      `calls ${own.map((r) => `${r.calls}/${r.minCalls}`).join(', ')}; round trips ${own.map((r) => `${r.roundTrips}/${r.minRoundTrips ?? '–'}`).join(', ')}; ` +
      `right ${right(own)}` +
      (mesh.length ? `; the generated gateway: calls ${mesh.map((r) => `${r.calls}/${r.minCalls}`).join(', ')}, right ${right(mesh)}` : ''),
  };
}

export function graphSection(own: Row[], side: ScenarioRow[], coldRuns: number): string {
  return [
    '## The full graph: videos, comments, hashtags, search',
    '',
    "Every answer is checked against the sandbox's own REST answers, read before the scenario runs (bench/graph-fixtures.ts); ids are found by asking this server. " +
      '"answer" is ✓ when the data equals the sandbox\'s, else the first difference and the first GraphQL error.',
    '',
    `This server in-process, a cold server per run, ${coldRuns} run${coldRuns > 1 ? 's' : ''} per scenario (the median time; the most calls and round trips of any run):`,
    '',
    '| scenario | upstream calls | minimum | round trips (counted) | minimum | time (ms) | time / latency | answer |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...own.map(
      (r) =>
        `| ${r.scenario} | ${r.calls} | ${r.minCalls} ${mark(r.calls === r.minCalls)} | ${r.roundTrips} | ${r.minRoundTrips === undefined ? '–' : `${r.minRoundTrips} ${mark(withinRoundTrips(r))}`} | ${r.ms.toFixed(0)} | ${r.latencyRatio.toFixed(2)} | ${answer(r.verdict)} |`,
    ),
    '',
    'Side by side with the generated gateway, each system in its own process and started cold for every scenario; the gateway asked as a careful client would (for comments, two requests: the comments with their reply counts, then the replies of those that have some; for users, page after page by `nextCursor`):',
    '',
    '| scenario | system | upstream calls | minimum | credits | time (ms) | time / latency | GraphQL errors | peak memory | answer |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...side.map(
      (r) =>
        `| ${r.scenario} | ${r.system} | ${r.calls} | ${r.minCalls} ${mark(r.calls === r.minCalls)} | ${r.credits} | ${r.ms.toFixed(0)} | ${r.latencyRatio.toFixed(2)} | ${r.errors} | ${mb(r.peakMemory)} | ${answer(r.verdict)} |`,
    ),
  ].join('\n');
}
