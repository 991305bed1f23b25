/** GraphiQL's page (megabytes of inlined assets) is rendered once, not on every GET. */
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
