/**
 * GraphiQL's renderer (a 9 MB bundle) is loaded by the first GET of the page, not at startup: a
 * process that never serves the page never holds it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type RecordedServer, startRecorded } from './import-recorder.js';

const servers: RecordedServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.stop())));

const renderer = (urls: string[]) => urls.filter((url) => url.includes('/node_modules/@graphql-yoga/render-graphiql/'));

describe('GraphiQL', () => {
  it('is loaded on the first GET of the page, and only then', async () => {
    const server = await startRecorded({});
    servers.push(server);
    const url = `http://127.0.0.1:${server.port}/graphql`;
    const query = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(await query.json()).toMatchObject({ data: { __typename: 'Query' } });
    expect(server.modules().some((module) => module.includes('/src/app.ts'))).toBe(true);
    expect(renderer(server.modules())).toEqual([]);

    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('renderGraphiQLWithOurFetcher');
    expect(renderer(server.modules()).length).toBeGreaterThan(0);
  }, 60_000);
});
