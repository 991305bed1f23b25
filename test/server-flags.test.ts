/** The server's V8 settings (scripts/server-flags.mjs), as `npm start` and the benchmark apply them. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The churn of test/fixtures/heap-churn.mjs with the settings preloaded, as the benchmark runs the server. */
const churn = () => {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', './scripts/server-flags.mjs', 'test/fixtures/heap-churn.mjs'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { peakBytes: number; liveBytes: number };
};

describe('server V8 settings', () => {
  it('keep the old generation within 60% over what it holds while cache entries churn', () => {
    const { peakBytes, liveBytes } = churn();
    // 60% growth between full GCs, plus what is allocated while one marks (about 30 MiB here). V8's own
    // factor goes up to 4× (200 MiB for these 46 MiB on a 24 GiB machine).
    expect(peakBytes).toBeLessThanOrEqual(liveBytes * 1.6 + 48 * 1024 * 1024);
  });

  it('are what npm start sets first, before the server is loaded', () => {
    const start = readFileSync('scripts/start.mjs', 'utf8');
    expect(start.indexOf("import './server-flags.mjs'")).toBeGreaterThan(-1);
    expect(start.indexOf("import './server-flags.mjs'")).toBeLessThan(start.indexOf('dist/server.js'));
  });
});
