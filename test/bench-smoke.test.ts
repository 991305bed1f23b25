/** Runs the benchmark harness in smoke mode (seconds) so that it cannot rot. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('npm run bench -- --smoke hits every minimum', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', '--smoke'], {
    timeout: 240_000,
  });
  const own = stdout.split('## This server')[1]!.split('## Side by side')[0]!;
  const rows = own.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| scenario'));
  expect(rows).toHaveLength(6);
  for (const row of rows) expect(row, row).not.toContain('✗');
  const side = stdout.split('## Side by side')[1]!;
  for (const system of ['ours', 'mesh', 'bare-yoga']) expect(side).toContain(`| hot-cache throughput | ${system} |`);
  expect(side).toMatch(/\| the same user query 10 times in a row \| ours \| 1 \| 1 ✓ \| 1 \|/);
  // Against the ceiling, alone round by round, then head to head on one core: ratios, and no errors.
  expect(side).toMatch(/\| bare-yoga \| 1 \| \d+% \| \d+% – \d+% \| \d+% \|/);
  expect(side).toMatch(/\| bare-yoga \| 2 \| \d+% \| \d+% – \d+% \| 0 \| \d+% \| \d+% \| \d+% \| \d+% \|/);
  expect(stdout).toMatch(/hot-cache throughput at least 90% of the bare yoga ceiling: \d+% \(median of 1 rounds alone/);
  expect(stdout).toMatch(/The generated gateway's answer for the sample profile's likes: .*Int cannot represent/);
  expect(stdout).toMatch(/distinct users through the profile cache: .* ✓/);
  expect(stdout).toMatch(/through the real server process: 0 HTTP errors ✓, 0 unexpected GraphQL errors ✓/);
}, 260_000);
