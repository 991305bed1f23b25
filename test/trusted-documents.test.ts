/** Trusted-documents mode: the manifest's operations run by id, anything else is refused. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

const MANIFEST = fileURLToPath(new URL('./operations/generated/persisted-documents.json', import.meta.url));
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
const idOf = (operation: string) => Object.entries(manifest).find(([, doc]) => doc.includes(`query ${operation}(`))![0];

async function post(server: ReturnType<typeof setup>, body: unknown) {
  const res = await server.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

describe('trusted-documents mode', () => {
  const trusted = () => setup({ config: { trustedDocumentsPath: MANIFEST } });

  it('runs every example operation by its documentId', async () => {
    const server = trusted();
    const profile = await post(server, { documentId: idOf('UserProfile'), variables: { username: 'khaby.lame' } });
    expect(profile.body.data.user.likeCount).toBe(2_600_000_000);
    const stories = await post(server, { documentId: idOf('UserStories'), variables: { username: 'khaby.lame' } });
    expect(stories.body.data.user.stories.edges).toHaveLength(4);
    const compare = await post(server, { documentId: idOf('CompareUsers'), variables: { usernames: ['alice'] } });
    expect(compare.body.data.users).toEqual([expect.objectContaining({ username: 'alice' })]);
  });

  it('accepts the Apollo persisted-query extension too', async () => {
    const res = await post(trusted(), { extensions: { persistedQuery: { version: 1, sha256Hash: idOf('UserProfile') } }, variables: { username: 'alice' } });
    expect(res.body.data.user.username).toBe('alice');
  });

  it('refuses an ad-hoc operation, and an unknown id, without any upstream call', async () => {
    const server = trusted();
    const adHoc = await post(server, { query: '{ user(username: "alice") { username } }' });
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.errors![0]).toMatchObject({ extensions: { code: 'TRUSTED_DOCUMENTS_ONLY' } });
    expect(adHoc.body.errors![0].message).toMatch(/trusted documents only/);
    const unknown = await post(server, { documentId: 'f'.repeat(40) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors![0]).toMatchObject({ extensions: { code: 'TRUSTED_DOCUMENT_NOT_FOUND' } });
    expect(server.calls()).toBe(0);
  });

  it('is off by default: ad-hoc operations run', async () => {
    const res = await post(setup(), { query: '{ user(username: "alice") { username } }' });
    expect(res.body.data.user.username).toBe('alice');
  });
});
