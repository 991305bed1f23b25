/**
 * Compiles src/ into dist/ only when a source (or the compiler settings, or the installed packages)
 * changed since the last build. Used by `npm start` and `npm run cluster`.
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

/** Builds when needed; exits the process when the build fails. */
export function buildIfChanged() {
  const built = existsSync(stamp) ? mtime(stamp) : 0;
  if (!sources().some((path) => mtime(path) > built)) return;
  const tsc = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
