/** Structured JSON logs (pino). Secrets are redacted by path and never put in messages. */
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Without a `destination`, lines go to stdout asynchronously (a SonicBoom that writes each line as soon
 * as the previous write is done): a synchronous write per operation was ~7% of the CPU of a cold
 * answer. pino flushes what is left synchronously when the process exits; `flushLogger` before a
 * deliberate exit says so where it happens.
 */
export function createLogger(destination?: DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['apiKey', '*.apiKey', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
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
