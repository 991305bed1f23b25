/** A dependency-free SVG chart of the comparison: upstream calls per scenario, and hot-cache throughput. */
import type { LoadRow, ScenarioRow } from './compare.js';

const COLORS: Record<string, string> = { ours: '#2f7d32', mesh: '#c62828', 'mesh+response-cache': '#ef8a62', 'bare-yoga': '#607d8b' };
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/`/g, '');

function bars(title: string, groups: { label: string; values: { system: string; value: number }[] }[], unit: string, y0: number) {
  const width = 900;
  const left = 330;
  const barHeight = 12;
  const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v.value)));
  const parts = [`<text x="10" y="${y0}" font-size="15" font-weight="bold">${escapeXml(title)}</text>`];
  let y = y0 + 14;
  for (const group of groups) {
    parts.push(`<text x="10" y="${y + barHeight}" font-size="11">${escapeXml(group.label.slice(0, 52))}</text>`);
    for (const { system, value } of group.values) {
      const w = Math.max(1, ((width - left - 90) * value) / max);
      parts.push(
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLORS[system] ?? '#999'}"/>`,
        `<text x="${left + w + 4}" y="${y + barHeight - 2}" font-size="10">${value.toFixed(value < 10 ? 0 : 0)} ${unit}</text>`,
      );
      y += barHeight + 2;
    }
    y += 8;
  }
  return { svg: parts.join('\n'), height: y };
}

export function chart(scenarios: ScenarioRow[], loads: LoadRow[]): string {
  const names = [...new Set(scenarios.map((s) => s.scenario))];
  const calls = bars(
    'Upstream calls (credits) per scenario — fewer is better',
    names.map((label) => ({ label, values: scenarios.filter((s) => s.scenario === label).map((s) => ({ system: s.system, value: s.calls })) })),
    'calls',
    24,
  );
  const hot = loads.filter((l) => l.run === 'hot-cache throughput');
  const throughput = bars(
    'Hot-cache throughput — requests per second',
    [{ label: 'same query, 20 connections', values: hot.map((l) => ({ system: l.system, value: l.rps })) }],
    'req/s',
    calls.height + 30,
  );
  const legend = Object.entries(COLORS)
    .map(
      ([system, color], i) =>
        `<rect x="${10 + i * 200}" y="${throughput.height + 10}" width="12" height="12" fill="${color}"/><text x="${28 + i * 200}" y="${throughput.height + 20}" font-size="12">${system}</text>`,
    )
    .join('\n');
  const height = throughput.height + 40;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${calls.svg}
${throughput.svg}
${legend}
</svg>
`;
}
