/** Structured JSON logs (pino). Secrets are redacted by path and never put in messages. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Bytes of log lines gathered before one write to stdout, and the longest a line waits to be written. */
export const LOG_BATCH_BYTES = 4_096;
export const LOG_BATCH_MS = 200;

/**
 * Without a `destination`, lines go to stdout asynchronously, gathered into writes of about
 * LOG_BATCH_BYTES (a SonicBoom with `minLength`), and written at least every LOG_BATCH_MS: a
 * synchronous write per operation was ~7% of the CPU of a cold answer, and an asynchronous one per
 * line still ~6% in write calls. pino writes what is left synchronously when the process exits
 * (`flushLogger` before a deliberate exit waits for a write under way); a SIGKILL loses at most the
 * lines of the last LOG_BATCH_MS.
 */
export function createLogger(destination?: DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['apiKey', '*.apiKey', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination ?? batchedStdout(),
  );
}

function batchedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES });
  const gathered = stream as unknown as { _len?: number; destroyed?: boolean };
  // Only when something waits: SonicBoom's flush of an empty buffer still makes a write call.
  setInterval(() => {
    if (!gathered.destroyed && gathered._len !== 0) stream.flush();
  }, LOG_BATCH_MS).unref();
  return stream;
}

/**
 * Calls `done` once the lines already logged are written (or after `capMs`, should stdout be stuck).
 * pino's own exit hook writes synchronously what is still queued, but not a write already under way
 * on libuv's thread pool, which `process.exit` would cut: so a deliberate exit waits for it here.
 */
export function flushLogger(logger: Logger, done: () => void, capMs = 1_000): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as
    | { _writing?: boolean; once?: (event: string, listener: () => void) => void }
    | undefined;
  if (!stream?._writing || typeof stream.once !== 'function') {
    done();
    return;
  }
  let called = false;
  const finish = () => {
    if (called) return;
    called = true;
    done();
  };
  stream.once('drain', finish);
  setTimeout(finish, capMs).unref();
}
