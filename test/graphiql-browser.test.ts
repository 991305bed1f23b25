/**
 * GraphiQL in a real browser (Debian's Chromium, driven by playwright-core), used the way people use
 * it, one step after another in one page: it loads with no network but this server, runs the default
 * query, then queries typed and pasted with real key presses (over the default query in the first
 * tab, in a new tab, over an example tab), then the example tabs as they are, and logs no console error.
 *
 * Edits are run at once (Ctrl+Enter or the run button right after the last key press, as people do):
 * GraphiQL learns the operation name from the text 100 ms after an edit, and a run before that used to
 * send the name of the query just replaced ("Cannot infer operation Profile"); src/graphiql.ts says
 * how GraphiQL now avoids it. The paste over an example tab and the example tabs failed every time
 * before that fix; the typed queries, when typing and running fitted in those 100 ms.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { App } from '../src/app.js';
import type { Sandbox } from '../src/sandbox/handler.js';
import { setup } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = new URL('../artifacts/graphiql.png', import.meta.url);

let server: Server;
let app: App;
let sandbox: Sandbox;
/** Moves the upstream caches' clock (still in these tests). */
let advance: (ms: number) => void;
let browser: Browser;
let origin: string;
/** One GraphiQL for all the tests, in order, as one person would use it: loading it takes seconds. */
let page: Page;
const problems: string[] = [];
/** The operations GraphiQL posted, as "operationName status". */
const posted: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (as .ci/run does) or set CHROMIUM_PATH.`);
  }
  // Subscriptions poll every 200 ms here, so that the subscription tab's event comes at once.
  ({ app, sandbox, advance } = setup({ config: { live: { ...loadConfig({}).live, pollIntervalMs: 200 } } }));
  server = createServer(app.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.request().method() !== 'POST') return;
    const { operationName } = (response.request().postDataJSON() ?? {}) as { operationName?: string };
    posted.push(`${operationName ?? '(none)'} ${response.status()}`);
  });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    problems.push(`request off this server: ${url.href}`);
    return route.abort();
  });
  await page.goto(`${origin}/graphql`);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  server?.close();
});

afterEach(() => {
  expect(problems.splice(0)).toEqual([]);
});

/**
 * The query editor's text as drawn, once the frame after the last key press has been painted
 * (Monaco draws spaces as U+00A0 and positions its lines, which need not be in DOM order).
 */
function editorText(): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        requestAnimationFrame(() => {
          const lines = [...document.querySelectorAll<HTMLElement>('.graphiql-query-editor .view-line')];
          lines.sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top));
          resolve(lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'));
        }),
      ),
  );
}

/** Waits (a frame at a time, briefly: runs are meant to follow edits at once) for the editor to show `text`. */
async function expectEditorToShow(text: string): Promise<void> {
  await expect.poll(() => editorText(), { interval: 1, timeout: 2_000 }).toBe(text);
}

/** The result pane's text, whitespace folded (it also renders only its visible lines). */
async function resultText(): Promise<string> {
  return ((await page.locator('.result-window').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** Waits for an answer that contains `expected` or an error, then requires the first and no error. */
async function expectAnswer(expected: string): Promise<void> {
  const settled = async () => {
    const answer = await resultText();
    return answer.includes(expected) || answer.includes('"errors"');
  };
  await expect.poll(settled, { timeout: 15_000 }).toBe(true);
  const answer = await resultText();
  expect(answer).not.toContain('"errors"');
  expect(answer).toContain(expected);
}

/**
 * Focuses the query editor, selects all of its text with the keyboard and deletes it (typing `{`
 * over a selection would wrap the selection in braces, as code editors do).
 */
async function clearEditor(): Promise<void> {
  await page.locator('.graphiql-query-editor .monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
}

/**
 * Switches to the example tab named `title` from the keyboard (its button focused, Enter) and waits
 * for its query. A mouse click can miss on a freshly opened page: GraphiQL draws its draggable tabs
 * with a leftover offset while one has focus, so the tab moves away between press and release.
 */
async function openTab(title: string): Promise<void> {
  await page.locator('.graphiql-tab-button', { hasText: title }).press('Enter');
  await expect.poll(() => editorText()).toContain(`query ${title}`);
}

/**
 * Types `query` key by key. The editor closes brackets and quotes as they open and types over a
 * closing one it inserted, so typing the whole text, closers included, leaves exactly the text.
 */
async function typeQuery(query: string): Promise<void> {
  await page.keyboard.type(query);
  // The autocompletion list may be open; Escape closes it and leaves the text alone.
  await page.keyboard.press('Escape');
  await expectEditorToShow(query);
}

it('opens GraphiQL offline, runs the default query and shows the result', async () => {
  expect(await page.title()).toBe('TikTok graph');
  expect(await editorText()).toContain('query Profile {');
  await page.locator('.graphiql-execute-button').click();
  await expectAnswer('"displayName": "Khabane Lame"');
  expect(await resultText()).toContain('"likeCount": 2600000000');
  // The schema came too (documentation, completion, validation), through the same fetcher.
  expect(posted).toContain('IntrospectionQuery 200');
  expect(posted).toContain('Profile 200');

  mkdirSync(new URL('.', SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT.pathname });
});

it('runs a query typed over the default one in the first tab', async () => {
  await clearEditor();
  await typeQuery('{ user(username: "khaby.lame") { username followerCount } }');
  await page.keyboard.press('Control+Enter');
  await expectAnswer('"user": { "username": "khaby.lame", "followerCount": 160300000 }');
});

it('runs a query typed in a new tab', async () => {
  const tabs = await page.locator('.graphiql-tab').count();
  await page.locator('.graphiql-tab-add').click();
  await expect.poll(() => page.locator('.graphiql-tab').count()).toBe(tabs + 1);
  await expect.poll(() => editorText()).toBe('');
  await page.locator('.graphiql-query-editor .monaco-editor').click();
  await typeQuery('query Likes { user(username: "khaby.lame") { displayName likeCount } }');
  await page.locator('.graphiql-execute-button').click();
  await expectAnswer('"user": { "displayName": "Khabane Lame", "likeCount": 2600000000 }');
});

it('runs a query pasted over an example tab', async () => {
  await openTab('Compare');
  const pasted = '{ user(username: "alice") { username followerCount } }';
  await page.evaluate((text) => navigator.clipboard.writeText(text), pasted);
  await page.locator('.graphiql-query-editor .monaco-editor').click();
  await page.keyboard.press('Control+A');
  // The browser reads the clipboard and pastes after the key press has been handled.
  await page.keyboard.press('Control+V');
  await expectEditorToShow(pasted);
  await page.keyboard.press('Control+Enter');
  await expectAnswer('"user": { "username": "alice", "followerCount":');
});

it('runs the example tabs as they are: variables, and the dry run header', async () => {
  await openTab('Stories');
  await page.locator('.graphiql-execute-button').click();
  await expectAnswer('"stories": { "edges": [ { "cursor":');

  await openTab('Comments');
  await page.locator('.graphiql-execute-button').click();
  await expectAnswer('"comments": { "nodes": [ { "text":');

  await openTab('Expensive');
  await page.locator('.graphiql-execute-button').click();
  await expectAnswer('"dryRun": true');
});

it('runs the subscription tab over SSE and shows a story published while it listens', async () => {
  await page.locator('.graphiql-tab-button', { hasText: 'Published' }).press('Enter');
  await expect.poll(() => editorText()).toContain('subscription Published');
  // The caches' clock stands still in these tests: it moves here, so that each poll finds its copy too old.
  const ticking = setInterval(() => advance(1_000), 50);
  const polls = () => sandbox.calls.filter((c) => c.path.startsWith('/v1/tiktok/users/khaby.lame/stories')).length;
  const before = polls();
  await page.locator('.graphiql-execute-button').click();
  // The first poll is the baseline; a story published after it is the event.
  await expect.poll(polls, { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 2);
  // The page's stream is the one subscription watching the user (Playwright does not always report
  // the events of a streamed POST, so the server says it).
  expect(app.live.stats()).toMatchObject({ topics: 1, subscriptions: 1 });
  const story = sandbox.publishStory('khaby.lame');
  await expectAnswer(`"storyId": "${story.entityId}"`);
  // Running again stops it: the stream is cancelled and the user is no longer polled.
  await page.locator('.graphiql-execute-button').click();
  await expect.poll(() => app.live.stats().topics, { timeout: 15_000 }).toBe(0);
  clearInterval(ticking);
});
