/** Log lines reach stdout gathered into few writes, and none is lost when the process ends. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LOG_BATCH_BYTES, LOG_BATCH_MS } from '../src/logger.js';

describe('the logger', () => {
  it('gathers operation lines into writes of about LOG_BATCH_BYTES and writes every one by the exit', () => {
    const lines = 300;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/log-lines.ts'], {
      env: { PATH: process.env.PATH, LINES: String(lines) },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const logged = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number });
    expect(logged.map((entry) => entry.line)).toEqual([...Array(lines).keys()]);
    const { writes, elapsedMs } = JSON.parse(run.stderr.trim().split('\n').at(-1)!) as { writes: number; elapsedMs: number };
    // One write per line is what an unbatched destination makes when lines come a millisecond apart;
    // batched, a write per LOG_BATCH_BYTES, plus one per LOG_BATCH_MS for what waits, plus the exit's.
    const bytes = Buffer.byteLength(run.stdout);
    expect(writes).toBeLessThanOrEqual(Math.ceil(bytes / LOG_BATCH_BYTES) + Math.ceil(elapsedMs / LOG_BATCH_MS) + 2);
    expect(writes).toBeLessThan(lines / 5);
    expect(writes).toBeGreaterThan(0);
  });
});
