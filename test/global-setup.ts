/**
 * Around the whole suite: clear the transcripts, and afterwards fail the run if the configured API key
 * appears in any response or log line that any test produced.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { TEST_API_KEY, TRANSCRIPT_DIR } from './helpers.js';

export function setup() {
  rmSync(TRANSCRIPT_DIR, { recursive: true, force: true });
}

/** vitest reports an error thrown here but would still exit 0: set the exit code too. */
function fail(message: string): never {
  process.exitCode = 1;
  throw new Error(message);
}

export function teardown() {
  const files = existsSync(TRANSCRIPT_DIR) ? readdirSync(TRANSCRIPT_DIR) : [];
  let lines = 0;
  for (const file of files) {
    const text = readFileSync(new URL(file, TRANSCRIPT_DIR), 'utf8');
    lines += text.split('\n').length;
    if (text.includes(TEST_API_KEY)) fail(`The API key appears in ${file}: a response or log line leaks it.`);
  }
  console.log(`secrets audit: ${lines} response and log lines in ${files.length} files, no API key`);
}
