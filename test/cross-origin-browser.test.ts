/**
 * A real app on another origin, in a real browser (Debian's Chromium, driven by playwright-core): a
 * page served from one loopback port runs urql (bundled here with esbuild: no CDN, no network)
 * against the API on another port. A GET (urql's default for short queries) and a POST carrying the
 * GraphQL-over-HTTP spec's `GraphQL-Require-Preflight` header answer data; a cross-origin GET without
 * it is refused (403 CSRF_REFUSED); with `CORS_ORIGINS` naming other origins the browser gets nothing.
 */
import { existsSync } from 'node:fs';
import { type RequestListener, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { setup } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const QUERY = '{ user(username: "alice") { username } }';

const servers: Server[] = [];
let browser: Browser;
let page: Page;
let api: string;
let closedApi: string;
const requests: string[] = [];

async function listen(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (as .ci/run does) or set CHROMIUM_PATH.`);
  }
  const bundle = await build({
    stdin: {
      contents: "import { Client, fetchExchange } from '@urql/core'; window.urql = { Client, fetchExchange };",
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  api = `${await listen(setup().app.yoga as unknown as RequestListener)}/graphql`;
  const limits = { ...loadConfig({}).limits, corsOrigins: ['https://app.example', 'https://admin.example'] };
  closedApi = `${await listen(setup({ config: { limits } }).app.yoga as unknown as RequestListener)}/graphql`;
  const site = await listen((req, res) => {
    if (req.url === '/urql.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><script src="/urql.js"></script>');
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).port}`));
  await page.goto(site);
  await page.waitForFunction(() => 'urql' in window);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) server.close();
});

/** Runs QUERY with urql from the page; `preferGetMethod` as urql's default ('within-url-limit') or POST. */
function urql(url: string, preferGetMethod: 'within-url-limit' | false, headers: Record<string, string>) {
  return page.evaluate(
    async ({ url, query, preferGetMethod, headers }) => {
      const { Client, fetchExchange } = (window as any).urql;
      const client = new Client({ url, exchanges: [fetchExchange], preferGetMethod, fetchOptions: { headers } });
      const result = await client.query(query, {}).toPromise();
      return { data: result.data ?? null, error: result.error ? String(result.error.message) : null };
    },
    { url, query: QUERY, preferGetMethod, headers },
  );
}

describe('a page on another origin', () => {
  it('runs a GET with urql’s defaults and the GraphQL-Require-Preflight header', async () => {
    requests.length = 0;
    const result = await urql(api, 'within-url-limit', { 'GraphQL-Require-Preflight': '1' });
    expect(result).toEqual({ data: { user: { username: 'alice' } }, error: null });
    const port = new URL(api).port;
    expect(requests).toContain(`GET ${port}`);
    expect(requests).not.toContain(`POST ${port}`);
  });

  it('runs a POST with urql’s defaults and the header', async () => {
    requests.length = 0;
    const result = await urql(api, false, { 'GraphQL-Require-Preflight': '1' });
    expect(result).toEqual({ data: { user: { username: 'alice' } }, error: null });
    expect(requests).toContain(`POST ${new URL(api).port}`);
  });

  it('is refused a GET without the header (403 CSRF_REFUSED), which it can read since CORS allows any origin', async () => {
    const answer = await page.evaluate(async (url) => {
      const res = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
      return { status: res.status, body: await res.json() };
    }, api);
    expect(answer.status).toBe(403);
    expect(answer.body.errors[0].extensions.code).toBe('CSRF_REFUSED');
  });

  it('gets nothing from a server whose CORS_ORIGINS does not name it', async () => {
    const result = await urql(closedApi, false, { 'GraphQL-Require-Preflight': '1' });
    expect(result.data).toBeNull();
    expect(result.error).toMatch(/fetch/i);
  });
});

describe('CORS_ORIGINS', () => {
  it('defaults to any origin, lists exact origins, and refuses what is not an origin', () => {
    expect(loadConfig({}).limits.corsOrigins).toEqual(['*']);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example:8443' }).limits.corsOrigins).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
  });
});
