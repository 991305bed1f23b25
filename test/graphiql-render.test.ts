/** GraphiQL's page (megabytes of inlined assets) is rendered and compressed once, and revalidated by ETag. */
import { expect, it, vi } from 'vitest';

const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('@graphql-yoga/render-graphiql', async (original) => {
  const module = await original<typeof import('@graphql-yoga/render-graphiql')>();
  return {
    ...module,
    renderGraphiQL: (...args: Parameters<typeof module.renderGraphiQL>) => {
      renders.count++;
      return module.renderGraphiQL(...args);
    },
  };
});

it('renders the page once for any number of GETs', async () => {
  const { setup } = await import('./helpers.js');
  const { app } = setup();
  const pages = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const response = await app.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    pages.add(await response.text());
  }
  expect(pages.size).toBe(1);
  expect([...pages][0]).toContain('renderGraphiQLWithOurFetcher');
  expect(renders.count).toBe(1);
});

it('sends the same bytes gzipped to browsers that accept gzip, and 304 to a reload with the ETag', async () => {
  const { gunzipSync } = await import('node:zlib');
  const { setup } = await import('./helpers.js');
  const { app } = setup();
  const plain = await app.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
  const html = await plain.text();
  const etag = plain.headers.get('etag');
  expect(etag).toMatch(/^"[\w-]+"$/);
  expect(plain.headers.get('content-type')).toBe('text/html; charset=utf-8');
  const zipped = await app.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html', 'accept-encoding': 'gzip, br' } });
  expect(zipped.headers.get('content-encoding')).toBe('gzip');
  const compressed = Buffer.from(await zipped.arrayBuffer());
  expect(compressed.byteLength).toBeLessThan(html.length / 3);
  expect(gunzipSync(compressed).toString()).toBe(html);
  const reload = await app.yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html', 'if-none-match': etag! } });
  expect(reload.status).toBe(304);
  expect(await reload.text()).toBe('');
});
