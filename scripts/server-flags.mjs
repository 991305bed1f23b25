/**
 * V8 settings of the server process, set when this module is imported: first thing by `npm start`
 * (scripts/start.mjs), and preloaded (`node --import ./scripts/server-flags.mjs dist/server.js`) by the
 * benchmark (bench/processes.ts), so that what is measured is what runs.
 *
 * The old generation may grow by 60% of what survived the last full GC before the next one. V8's own
 * factor goes up to 4× on a machine with much memory: under cold load (every request a new user and
 * document, so each one leaves cache entries behind that live a while and then die) the heap held about
 * three times its live data in garbage, 437 MiB resident for 100 MiB in use. The flag is read at every
 * GC, so setting it from here holds from the first. 30% held 20 MiB less after the benchmark's cold
 * load, but its more frequent full collections doubled the answers' p99 latency there (120-150 ms
 * against 45-90 ms); at 60% the p99 and the CPU per answer are those of V8's default. The young generation keeps its size: halving it
 * (`--max-semi-space-size`) saved its 16 MiB but cost a fifth to a half more CPU per cold answer, as
 * requests that wait on the upstream were promoted to the old generation before they ended.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=60');
