/**
 * What every client test talks to: the real server process (test/server-process.ts) over loopback HTTP,
 * in front of the sandbox KonbiniAPI served over HTTP too, its clock fixed so that the active stories
 * cannot shift under a pagination walk (a new story appears every ~15 minutes for a busy user).
 */
import { sandboxStories } from '../../src/sandbox/data.js';
import { personaFor } from '../../src/sandbox/personas.js';
import { SANDBOX_NOW } from '../helpers.js';
import { type ServerProcess, serveSandbox, startServer } from '../server-process.js';

/** Not TEST_API_KEY: these servers log to their own pipe, not to the audited transcripts. */
const API_KEY = 'knbn_clients_test';

/** 100 active stories at SANDBOX_NOW: three upstream pages (35 + 35 + 30), and as many as `first` allows. */
export const BUSY_USER = 'khaby.lame';

export interface RealServer {
  server: ServerProcess;
  /** Paths (with query) of the upstream calls the sandbox answered, in order. */
  calls(): string[];
  /** Forgets the calls so far. */
  resetCalls(): void;
  close(): Promise<void>;
}

/** Starts the sandbox and the server process in front of it. */
export async function startRealServer(env: Record<string, string> = {}): Promise<RealServer> {
  const upstream = await serveSandbox(0);
  upstream.sandbox.now = () => SANDBOX_NOW;
  const server = await startServer({ KONBINI_BASE_URL: upstream.url, KONBINI_API_KEY: API_KEY, ...env });
  return {
    server,
    calls: () => upstream.sandbox.calls.map((c) => c.path),
    resetCalls: () => {
      upstream.sandbox.calls.length = 0;
    },
    close: async () => {
      await server.kill();
      await upstream.close();
    },
  };
}

/** The story ids (TikTok's) the sandbox holds for a user, newest first: what any walk must reproduce. */
export const sandboxStoryIds = (username: string) => sandboxStories(username, personaFor(username), SANDBOX_NOW).map((s) => s.entityId);

/** The whole list in one request, without any client: `[global id, storyId]` of every story, in order. */
export async function fullStoryList(server: ServerProcess, username: string): Promise<{ id: string; storyId: string }[]> {
  const res = await server.query('query ($u: String!) { user(username: $u) { stories(first: 100) { nodes { id storyId } pageInfo { hasNextPage } } } }', {
    u: username,
  });
  if (res.errors) throw new Error(`the full list failed: ${JSON.stringify(res.errors)}`);
  if (res.data.user.stories.pageInfo.hasNextPage) throw new Error(`${username} has more than 100 stories: pick another user`);
  return res.data.user.stories.nodes;
}

/** The upstream story-page calls among `paths`, by their `cursor` parameter (`first` for the first page). */
export const storyPageCalls = (paths: string[], username: string) =>
  paths.filter((p) => p.startsWith(`/v1/tiktok/users/${username}/stories`)).map((p) => new URL(p, 'http://x').searchParams.get('cursor') ?? 'first');
