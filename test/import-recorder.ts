/**
 * The server as a process with a module hook that records every module it resolves
 * (test/fixtures/import-recorder.mjs): what a feature loads, and when.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RecordedServer {
  port: number;
  /** The URLs of the modules resolved so far. */
  modules(): string[];
  stop(): Promise<void>;
}

/** Starts `src/server.ts` with `env` and resolves once it listens. */
export async function startRecorded(env: Record<string, string>): Promise<RecordedServer> {
  const log = join(mkdtempSync(join(tmpdir(), 'imports-')), 'log');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--import', './test/fixtures/import-recorder.mjs', 'src/server.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', IMPORT_LOG: log, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const { port: listening } = JSON.parse(line) as { port?: unknown };
      if (typeof listening === 'number') resolve(listening);
    });
  });
  return {
    port,
    modules: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
