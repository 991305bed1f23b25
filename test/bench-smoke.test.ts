/** Runs the benchmark harness in smoke mode (seconds) so that it cannot rot. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('npm run bench -- --smoke hits every minimum', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', '--smoke'], {
    timeout: 120_000,
  });
  const rows = stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| scenario'));
  expect(rows).toHaveLength(6);
  for (const row of rows) expect(row, row).not.toContain('✗');
  expect(stdout).toMatch(/distinct users through the profile cache: .* ✓/);
  expect(stdout).toMatch(/through the real server process: 0 HTTP errors ✓, 0 unexpected GraphQL errors ✓/);
}, 150_000);
