/**
 * `npm start`: compiles src/ into dist/ only when a source (or the compiler settings, or the installed
 * packages) changed since the last build, then runs the compiled server in this very process, so that
 * it receives SIGTERM itself. A restarted container with an up-to-date dist/ answers at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/.built`;
const mtime = (path) => statSync(path).mtimeMs;
const sources = () => [
  ...readdirSync(`${root}src`, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath ?? entry.path}/${entry.name}`),
  `${root}tsconfig.json`,
  `${root}tsconfig.build.json`,
  `${root}package-lock.json`,
];

const built = existsSync(stamp) ? mtime(stamp) : 0;
if (sources().some((path) => mtime(path) > built)) {
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
await import('../dist/server.js');
