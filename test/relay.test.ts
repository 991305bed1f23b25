/**
 * Relay is the strictest client: its compiler checks a small app's fragments — a `@connection` over
 * `User.stories` and `@refetchable` fragments on `User` — against schema/schema.graphql.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);

it('relay-compiler compiles the app against the printed schema', async () => {
  const app = mkdtempSync(join(tmpdir(), 'relay-app-'));
  cpSync(fileURLToPath(new URL('./relay/src', import.meta.url)), join(app, 'src'), { recursive: true });
  mkdirSync(join(app, '__generated__'));
  writeFileSync(
    join(app, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: fileURLToPath(new URL('../schema/schema.graphql', import.meta.url)),
      language: 'typescript',
      artifactDirectory: './__generated__',
      customScalarTypes: { SafeInt: 'number', DateTime: 'string', URL: 'string' },
    }),
  );
  const compiler = join(dirname(require.resolve('relay-compiler/package.json')), 'cli.js');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [compiler], { cwd: app });
  expect(stderr).not.toMatch(/error/i);
  expect(stdout).toMatch(/Compil/);
  const artifacts = readdirSync(join(app, '__generated__')).sort();
  expect(artifacts).toEqual(
    expect.arrayContaining([
      'UserProfileRefetchQuery.graphql.ts',
      'UserProfile_user.graphql.ts',
      'UserStoriesPaginationQuery.graphql.ts',
      'UserStoriesQuery.graphql.ts',
      'UserStories_user.graphql.ts',
    ]),
  );
  expect(existsSync(join(app, '__generated__', 'UserStoriesPaginationQuery.graphql.ts'))).toBe(true);
}, 60_000);
