/** `npm run generate`: rewrites every generated file (see generated-files.ts). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { codegenArtifacts, sourceArtifacts } from './generated-files.js';

async function write(files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    console.log(`wrote ${path}`);
  }
}

// The schema first: the typed operations are generated from the printed file.
await write(await sourceArtifacts());
await write(await codegenArtifacts());
