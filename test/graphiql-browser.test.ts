/**
 * GraphiQL in a real browser (Debian's Chromium, driven by playwright-core): it loads with no network
 * but this server, runs the default query, shows the result, and logs no console error.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setup } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = new URL('../artifacts/graphiql.png', import.meta.url);

let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (as .ci/run does) or set CHROMIUM_PATH.`);
  }
  server = createServer(setup().app.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

it('opens GraphiQL offline, runs the default query and shows the result', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    problems.push(`request off this server: ${url.href}`);
    return route.abort();
  });

  await page.goto(`${origin}/graphql`);
  await expect.poll(() => page.locator('.graphiql-execute-button').count(), { timeout: 30_000 }).toBe(1);
  expect(await page.title()).toBe('TikTok graph');
  await page.locator('.graphiql-execute-button').click();
  // The result editor renders with non-breaking spaces, and only its visible lines.
  const resultText = async () => ((await page.locator('.result-window').textContent()) ?? '').replace(/\s+/g, ' ');
  await expect.poll(resultText, { timeout: 30_000 }).toContain('"displayName": "Khabane Lame"');
  expect(await resultText()).toContain('"likeCount": 2600000000');

  mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT.pathname });
  expect(problems).toEqual([]);
}, 90_000);
