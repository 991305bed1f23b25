/**
 * The live section of the benchmark (issue 16): what subscriptions cost and how fast they deliver.
 * In-process, one app per audience size in front of the sandbox (BENCH_LATENCY_MS per call), with
 * 1, 100 and 10,000 subscribers of the same 10 users (each subscription names all 10), executed
 * through Yoga's envelop as the WebSocket endpoint executes them (no socket: the transport is not
 * measured). For each size:
 *  1. polls counted over a few intervals once the baseline is taken, extrapolated to credits per hour,
 *     at the bench's interval and at the default LIVE_POLL_INTERVAL_MS (the goal: independent of the
 *     number of subscribers);
 *  2. the delay between publishing a story and its arrival at the last subscriber (goal: at most one
 *     interval plus one upstream round trip, plus the time to deliver it to everyone);
 *  3. the heap each open subscription holds (after a forced GC; `npm run bench` runs with --expose-gc).
 */
import { createApp } from '../src/app.js';
import { DEFAULT_CACHE, loadConfig, testConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createSandbox } from '../src/sandbox/handler.js';
import { median } from './throughput.js';

const DEFAULT_INTERVAL_MS = loadConfig({}).live.pollIntervalMs;
const HOUR_MS = 3_600_000;
const USERS = Array.from({ length: 10 }, (_, i) => `live_bench_${i}`);
const QUERY = 'subscription Bench($usernames: [String!]!) { storyPublished(usernames: $usernames) { storyId author { username } } }';

export interface LiveRow {
  subscribers: number;
  /** Polls counted, over how many intervals, once the baseline was taken. */
  polls: number;
  intervals: number;
  /** Credits per hour at the bench's interval, and extrapolated to the default interval. */
  creditsPerHour: number;
  creditsPerHourDefault: number;
  /** Publication to arrival at the last subscriber, per publication. */
  latenciesMs: number[];
  /** Heap per open subscription. */
  bytesPerSubscription: number | null;
  /** Time to open all the subscriptions. */
  openMs: number;
}

export interface LiveResult {
  intervalMs: number;
  latencyMs: number;
  rows: LiveRow[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function until(condition: () => boolean, boundMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > boundMs) throw new Error('live bench: gave up waiting');
    await sleep(5);
  }
}

async function measure(subscribers: number, intervalMs: number, latencyMs: number, intervals: number, publications: number): Promise<LiveRow> {
  const sandbox = createSandbox({ latencyMs });
  const frozen = Date.parse('2026-12-01T12:00:00Z');
  sandbox.now = () => frozen;
  const base = testConfig();
  const config = { ...base, cache: DEFAULT_CACHE, live: { ...base.live, pollIntervalMs: intervalMs, maxSubscriptionsPerClient: 0 } };
  const app = createApp(config, { fetch: sandbox.fetch, logger: createLogger(undefined, 'warn') });
  const polls = () => sandbox.calls.filter((c) => c.path.includes('/stories')).length;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const opened = performance.now();
  const received: number[] = new Array(subscribers).fill(0);
  const iterators: AsyncIterator<unknown>[] = [];
  for (let i = 0; i < subscribers; i++) {
    const { parse, subscribe, contextFactory, schema } = app.yoga.getEnveloped({ params: { query: QUERY } });
    const result = await subscribe({ schema, document: parse(QUERY), variableValues: { usernames: USERS }, contextValue: await contextFactory() });
    if (!(Symbol.asyncIterator in (result as object))) throw new Error(`live bench: the subscription was refused: ${JSON.stringify(result)}`);
    const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    iterators.push(iterator);
    void (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) received[i]! += 1;
    })();
  }
  const openMs = performance.now() - opened;
  // The baseline: every user polled once.
  await until(() => polls() >= USERS.length, 30_000);
  gc();
  const heapOpen = process.memoryUsage().heapUsed;
  const from = polls();
  const started = performance.now();
  await sleep(intervals * intervalMs);
  const elapsed = performance.now() - started;
  const counted = polls() - from;
  const creditsPerHour = (counted / elapsed) * HOUR_MS;

  const latenciesMs: number[] = [];
  for (let p = 0; p < publications; p++) {
    // Publish at an arbitrary moment of the interval.
    await sleep(Math.floor(intervalMs * ((p * 0.37) % 1)));
    const expected = p + 1;
    const published = performance.now();
    sandbox.publishStory(USERS[p % USERS.length]!);
    await until(() => received.every((n) => n >= expected), 30_000);
    latenciesMs.push(performance.now() - published);
  }
  for (const iterator of iterators) await iterator.return?.();
  await app.close();
  return {
    subscribers,
    polls: counted,
    intervals: elapsed / intervalMs,
    creditsPerHour,
    creditsPerHourDefault: (counted / (elapsed / intervalMs)) * (HOUR_MS / DEFAULT_INTERVAL_MS),
    latenciesMs,
    // With one subscriber the app's own warm-up would be counted as the subscription's.
    bytesPerSubscription: (globalThis as { gc?: unknown }).gc && subscribers >= 100 ? (heapOpen - heapBefore) / subscribers : null,
    openMs,
  };
}

/** Runs the live measurements (`smoke`: fewer subscribers and intervals, to check the harness). */
export async function liveRun(smoke: boolean): Promise<LiveResult> {
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);
  const intervalMs = smoke ? 300 : 1_000;
  const sizes = smoke ? [1, 100] : [1, 100, 10_000];
  const rows: LiveRow[] = [];
  for (const subscribers of sizes) rows.push(await measure(subscribers, intervalMs, latencyMs, smoke ? 3 : 6, smoke ? 2 : 4));
  return { intervalMs, latencyMs, rows };
}

export interface LiveGoal {
  goal: string;
  met: boolean;
  detail: string;
  /** Counted, not timed: a miss fails the run. */
  exact: boolean;
}

export function liveGoals(r: LiveResult): LiveGoal[] {
  const perInterval = r.rows.map((row) => row.polls / row.intervals);
  const spread = Math.max(...perInterval) / Math.min(...perInterval);
  const worst = Math.max(...r.rows.flatMap((row) => row.latenciesMs));
  const bound = r.intervalMs + r.latencyMs;
  return [
    {
      goal: 'polling credits independent of the number of subscribers',
      met: spread < 1.25 && perInterval.every((p) => p <= USERS.length * 1.25),
      detail: `${perInterval.map((p) => p.toFixed(1)).join(', ')} polls per interval for ${r.rows.map((row) => row.subscribers.toLocaleString('en')).join(', ')} subscribers of ${USERS.length} users`,
      exact: true,
    },
    {
      goal: 'delivery within one interval plus one upstream round trip',
      met: worst <= bound,
      detail: `worst ${worst.toFixed(0)} ms against ${bound} ms (${r.intervalMs} ms interval + ${r.latencyMs} ms per call), to the last of every audience`,
      exact: false,
    },
  ];
}

export function liveSection(r: LiveResult): string {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const kib = (bytes: number | null) => (bytes === null ? '–' : `${(bytes / 1024).toFixed(1)} KiB`);
  return [
    '## Live subscriptions',
    '',
    `In-process, one app per audience: every subscriber subscribes to \`storyPublished\` for the same ${USERS.length} users, executed through Yoga's envelop as the WebSocket endpoint does (no transport). ` +
      `The bench polls every ${r.intervalMs} ms against the sandbox (${r.latencyMs} ms per call); polls are counted over a few intervals after the baseline and extrapolated to an hour, ` +
      `at that interval and at the default LIVE_POLL_INTERVAL_MS (${DEFAULT_INTERVAL_MS / 1000} s). Latency: from publishing a story in the sandbox to its arrival at the last subscriber (median and worst of ${r.rows[0]?.latenciesMs.length} publications, at arbitrary moments of the interval).`,
    '',
    ...liveGoals(r).map((g) => `- ${mark(g.met)} ${g.goal}: ${g.detail}`),
    '',
    `| subscribers | polls counted | intervals | credits / hour (${r.intervalMs} ms) | credits / hour (${DEFAULT_INTERVAL_MS / 1000} s) | latency median (ms) | latency worst (ms) | heap / subscription | time to open all (ms) |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.subscribers.toLocaleString('en')} | ${row.polls} | ${row.intervals.toFixed(1)} | ${Math.round(row.creditsPerHour).toLocaleString('en')} | ${Math.round(row.creditsPerHourDefault).toLocaleString('en')} | ${median(row.latenciesMs).toFixed(0)} | ${Math.max(...row.latenciesMs).toFixed(0)} | ${kib(row.bytesPerSubscription)} | ${row.openMs.toFixed(0)} |`,
    ),
    '',
  ].join('\n');
}
