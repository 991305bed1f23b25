/** The real entry point: `npm start`'s process, its first log line, its upstream choice and its stop. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../bench/servers.js';
import { PRODUCTION_UPSTREAM, SANDBOX_UPSTREAM, loadConfig } from '../src/config.js';
import { killServers, startServer } from './server-process.js';

const children: ChildProcess[] = [];
afterEach(async () => {
  children.splice(0).forEach((child) => child.kill('SIGKILL'));
  await killServers();
});

describe('npm start', () => {
  it('runs on the embedded sandbox without configuration, says so first, and stops cleanly on SIGTERM', async () => {
    const { child, lines, url, query } = await startServer({});
    expect(lines[0]!.msg).toMatch(/sandbox/i);
    const res = await query('{ user(username: "khaby.lame") { likeCount } }');
    expect(res.data.user.likeCount).toBe(2_600_000_000);
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('TikTok graph');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('calls the upstream named by KONBINI_BASE_URL, and never logs the key', async () => {
    const upstream = await startSandbox(0);
    try {
      const { lines, query } = await startServer({ KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: 'knbn_secret_123' });
      expect(lines[0]!.msg).toContain(upstream.url);
      const res = await query('{ user(username: "alice") { username } }');
      expect(res.data.user.username).toBe('alice');
      expect(upstream.sandbox.calls).toEqual([{ path: '/v1/tiktok/users/alice', status: 200, creditsUsed: 1 }]);
      expect(JSON.stringify(lines)).not.toContain('knbn_secret_123');
    } finally {
      await upstream.close();
    }
  });
});

describe('logs', () => {
  it('are written whole and in order, asynchronously, up to the last line before the exit', async () => {
    const { child, lines, query } = await startServer({});
    for (let i = 0; i < 40; i++) await query(`{ user(username: "log_${i}") { username } }`);
    child.kill('SIGTERM');
    // Every line was parsed as JSON as it came (a torn line would have thrown), and none is missing.
    await once(child, 'close');
    expect(child.exitCode).toBe(0);
    expect(lines.filter((l) => l.msg === 'operation').length).toBe(40);
    expect(lines.at(-1)!.msg).toBe('stopped');
  });
});

describe('SIGTERM', () => {
  it('finishes the operation in flight, then exits 0', async () => {
    const { child, url } = await startServer({});
    // slow_user takes 1.5 s upstream: the signal arrives while it is in flight.
    const inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ user(username: "slow_user") { username } }' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    expect((await (await inFlight).json()).data.user.username).toBe('slow_user');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});

describe('graceful stop', () => {
  it('closes a keep-alive connection as soon as its last answer is sent, and exits without waiting for the grace period', async () => {
    const { child, port } = await startServer({ SHUTDOWN_GRACE_MS: '30000' });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const body = JSON.stringify({ query: '{ user(username: "slow_user") { username } }' });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const signalled = Date.now();
    await once(socket, 'close');
    const closedAfter = Date.now() - signalled;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('"username":"slow_user"');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    // slow_user answers 1.5 s after its request; Node would otherwise keep the idle connection 5 s more.
    expect(closedAfter).toBeLessThan(3_500);
    expect(Date.now() - signalled).toBeLessThan(4_500);
  });
});

describe('npm run sandbox', () => {
  it('serves the sandbox on its own port, billing like KonbiniAPI', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
      env: { PATH: process.env.PATH, SANDBOX_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let port = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      port = JSON.parse(line).port;
      break;
    }
    const res = await fetch(`http://127.0.0.1:${port}/v1/tiktok/users/khaby.lame`, { headers: { authorization: 'Bearer knbn_local' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-credits-used')).toBe('1');
    expect((await res.json()).data.likeCount).toBe(2_600_000_000);
    expect((await fetch(`http://127.0.0.1:${port}/v1/tiktok/users/alice`)).status).toBe(401);
  });
});

describe('slow clients', () => {
  it('closes a connection whose headers do not arrive in time', async () => {
    const { port } = await startServer({ HEADERS_TIMEOUT_MS: '300' });
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\n'); // ...and never the rest
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    await once(socket, 'close');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('request bodies over real HTTP', () => {
  /** Writes `raw` on a fresh connection and resolves with everything the server answers until it closes. */
  async function exchange(port: number, raw: string): Promise<string> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.end(raw);
    await once(socket, 'close');
    return answer;
  }

  it('are bounded by their declared length: chunked is refused, too long is refused unread, and no body runs past its length', async () => {
    const { port } = await startServer({ MAX_BODY_BYTES: '1024' });
    const head = (extra: string) => `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n${extra}\r\n`;
    const chunked = await exchange(port, `${head('Transfer-Encoding: chunked\r\n')}a\r\n{"query":"\r\n0\r\n\r\n`);
    expect(chunked).toMatch(/^HTTP\/1\.1 411/);
    expect(chunked).toContain('LENGTH_REQUIRED');
    expect(await exchange(port, head('Content-Length: 5000\r\n'))).toMatch(/^HTTP\/1\.1 413/);
    // 20 declared, 2,000 sent: nothing past the declared length is read as this body, and the operation never runs.
    const body = JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(2_000) });
    const overlong = await exchange(port, `${head('Content-Length: 20\r\n')}${body}`);
    expect(overlong).toMatch(/^HTTP\/1\.1 400/);
    expect(overlong).not.toContain('"__typename"');
  });
});

describe('configuration', () => {
  it('chooses the sandbox, the real API, or another upstream', () => {
    expect(loadConfig({})).toMatchObject({ mode: 'sandbox', upstreamBaseUrl: SANDBOX_UPSTREAM });
    expect(loadConfig({ KONBINI_API_KEY: 'knbn_x' })).toMatchObject({ mode: 'upstream', upstreamBaseUrl: PRODUCTION_UPSTREAM, apiKey: 'knbn_x' });
    expect(loadConfig({ KONBINI_BASE_URL: 'http://localhost:4010/' })).toMatchObject({
      mode: 'upstream',
      upstreamBaseUrl: 'http://localhost:4010',
      apiKey: undefined,
    });
  });

  it('refuses invalid settings with a message naming the variable, without echoing a key', () => {
    expect(() => loadConfig({ KONBINI_API_KEY: 'sk_live_abc' })).toThrow(/KONBINI_API_KEY must start with "knbn_"/);
    expect(() => loadConfig({ KONBINI_API_KEY: 'sk_live_abc' })).not.toThrow(/sk_live_abc/);
    expect(() => loadConfig({ UPSTREAM_TIMEOUT_MS: 'soon' })).toThrow(/UPSTREAM_TIMEOUT_MS/);
    expect(loadConfig({ CACHE_PROFILE_TTL_MS: '5000' }).cache.profileTtlMs).toBe(5000);
  });
});
