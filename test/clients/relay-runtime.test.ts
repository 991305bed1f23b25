/**
 * relay-runtime (a Relay Environment, its normalised store and its ConnectionHandler) against the real
 * server process over HTTP. The artifacts are not hand-written: relay-compiler compiles the documents
 * below against schema/schema.graphql into CommonJS in a temporary folder, and the test requires them,
 * so they are exactly what a Relay app would run: a `@connection` walked with its `@refetchable`
 * pagination query (`node(id:)` with `after`), and `node(id:)` refetches of a user and a story.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type ConcreteRequest,
  Environment,
  type GraphQLResponse,
  Network,
  type ReaderFragment,
  RecordSource,
  type Snapshot,
  Store,
  commitLocalUpdate,
  createOperationDescriptor,
  fetchQuery,
  getSelector,
} from 'relay-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '../../src/schema/global-ids.js';
import { BUSY_USER, type RealServer, fullStoryList, sandboxStoryIds, startRealServer, storyPageCalls } from './real-server.js';

const require = createRequire(import.meta.url);

/** What the app's components would declare; `graphql` tags are all relay-compiler reads. */
const DOCUMENTS = `
graphql\`
  fragment ClientsStories_user on User
  @refetchable(queryName: "ClientsStoriesPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 15 }, after: { type: "String" }) {
    stories(first: $first, after: $after) @connection(key: "ClientsStories_stories") {
      totalCount
      edges { node { id storyId ...ClientsStory_story } }
    }
  }
\`;
graphql\`
  fragment ClientsStory_story on Story @refetchable(queryName: "ClientsStoryRefetchQuery") {
    id storyId caption likeCount author { id username }
  }
\`;
graphql\`
  fragment ClientsProfile_user on User @refetchable(queryName: "ClientsProfileRefetchQuery") {
    id username displayName followerCount
  }
\`;
graphql\`
  query ClientsUserQuery($username: String!) {
    user(username: $username) { id ...ClientsStories_user ...ClientsProfile_user }
  }
\`;
`;

interface Artifacts {
  ClientsUserQuery: ConcreteRequest;
  ClientsStoriesPaginationQuery: ConcreteRequest;
  ClientsProfileRefetchQuery: ConcreteRequest;
  ClientsStoryRefetchQuery: ConcreteRequest;
  ClientsStories_user: ReaderFragment;
  ClientsProfile_user: ReaderFragment;
  ClientsStory_story: ReaderFragment;
}

interface StoriesFragment {
  stories: {
    totalCount: number | null;
    edges: { cursor: string; node: { id: string; storyId: string } & Record<string, unknown> }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

let app: string;
let artifacts: Artifacts;
let real: RealServer;
let environment: Environment;
const requests: { name: string; variables: Record<string, unknown> }[] = [];

/** Compiles DOCUMENTS with relay-compiler into CommonJS artifacts, and loads them. */
async function compile(): Promise<Artifacts> {
  app = mkdtempSync(join(tmpdir(), 'relay-runtime-'));
  mkdirSync(join(app, 'src'));
  mkdirSync(join(app, '__generated__'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  writeFileSync(join(app, 'src', 'app.js'), DOCUMENTS);
  writeFileSync(
    join(app, 'relay.config.json'),
    JSON.stringify({
      src: './src',
      schema: fileURLToPath(new URL('../../schema/schema.graphql', import.meta.url)),
      language: 'javascript',
      eagerEsModules: false,
      artifactDirectory: './__generated__',
      customScalarTypes: { SafeInt: 'number', DateTime: 'string', URL: 'string' },
    }),
  );
  const compiler = join(dirname(require.resolve('relay-compiler/package.json')), 'cli.js');
  await promisify(execFile)(process.execPath, [compiler], { cwd: app });
  const load = (name: string) => require(join(app, '__generated__', `${name}.graphql.js`));
  return Object.fromEntries(
    [
      'ClientsUserQuery',
      'ClientsStoriesPaginationQuery',
      'ClientsProfileRefetchQuery',
      'ClientsStoryRefetchQuery',
      'ClientsStories_user',
      'ClientsProfile_user',
      'ClientsStory_story',
    ].map((name) => [name, load(name)]),
  ) as unknown as Artifacts;
}

beforeAll(async () => {
  [artifacts, real] = await Promise.all([compile(), startRealServer()]);
  const network = Network.create(async (params, variables) => {
    requests.push({ name: params.name, variables });
    const res = await fetch(real.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: params.text, variables }),
    });
    const body = (await res.json()) as GraphQLResponse & { errors?: unknown[] };
    // Every operation here should succeed: say why when one does not, rather than read nulls later.
    if (body.errors) throw new Error(`${params.name} failed: ${JSON.stringify(body.errors)}`);
    return body;
  });
  environment = new Environment({ network, store: new Store(new RecordSource()) });
}, 60_000);

afterAll(async () => {
  await real?.close();
  if (app) rmSync(app, { recursive: true, force: true });
});

/** The user's global id, as the first query hands it out. */
let userId: string;
let query: ReturnType<typeof createOperationDescriptor>;

/** Reads a fragment from the store for the fragment reference `ref`, as `useFragment` would. */
function readFragment<T>(fragment: ReaderFragment, ref: unknown): { snapshot: Snapshot; data: T } {
  const snapshot = environment.lookup(getSelector(fragment, ref) as Parameters<Environment['lookup']>[0]);
  return { snapshot, data: snapshot.data as T };
}

const userRef = () => (environment.lookup(query.fragment).data as { user: unknown }).user;

describe('relay-runtime', () => {
  it('walks the connection with its pagination query; the ConnectionHandler merges the whole list, in order', async () => {
    real.resetCalls();
    query = createOperationDescriptor(artifacts.ClientsUserQuery, { username: BUSY_USER });
    // Retained, as a mounted query would be, so that no garbage collection drops it between pages.
    environment.retain(query);
    await fetchQuery(environment, artifacts.ClientsUserQuery, { username: BUSY_USER }).toPromise();
    userId = (userRef() as { __id: string }).__id;
    expect(userId).toBe(encodeGlobalID('User', BUSY_USER));
    let { data } = readFragment<StoriesFragment>(artifacts.ClientsStories_user, userRef());
    const sizes = [data.stories.edges.length];
    while (data.stories.pageInfo.hasNextPage && sizes.length < 20) {
      // What usePaginationFragment's loadNext does: the refetch query, by the user's id, after the end cursor.
      await fetchQuery(environment, artifacts.ClientsStoriesPaginationQuery, { id: userId, first: 15, after: data.stories.pageInfo.endCursor }).toPromise();
      ({ data } = readFragment<StoriesFragment>(artifacts.ClientsStories_user, userRef()));
      sizes.push(data.stories.edges.length);
    }
    expect(sizes).toEqual([15, 30, 45, 60, 75, 90, 100]);
    const whole = await fullStoryList(real.server, BUSY_USER);
    expect(data.stories.edges.map((e) => e.node.id)).toEqual(whole.map((n) => n.id));
    expect(new Set(data.stories.edges.map((e) => e.node.id)).size).toBe(100);
    expect(data.stories.edges.map((e) => e.node.storyId)).toEqual(sandboxStoryIds(BUSY_USER));
    expect(data.stories.totalCount).toBe(100);
    expect(requests.map((r) => r.name)).toEqual(['ClientsUserQuery', ...Array(6).fill('ClientsStoriesPaginationQuery')]);
    // The fewest upstream calls: the profile once, each upstream page (35 stories) once.
    expect(real.calls().filter((p) => p === `/v1/tiktok/users/${BUSY_USER}`)).toHaveLength(1);
    expect(new Set(storyPageCalls(real.calls(), BUSY_USER)).size).toBe(3);
    expect(real.calls()).toHaveLength(4);
  });

  it('normalises the user under its global id: one record, the root field and every author pointing at it', () => {
    const source = environment.getStore().getSource();
    const users = source.getRecordIDs().filter((id) => source.get(id)?.__typename === 'User');
    expect(users).toEqual([userId]);
    expect(source.get(userId)).toMatchObject({ __id: userId, id: userId, username: BUSY_USER, displayName: 'Khabane Lame' });
    const stories = source.getRecordIDs().filter((id) => source.get(id)?.__typename === 'Story');
    expect(stories).toHaveLength(100);
    for (const id of stories) expect((source.get(id) as { author: { __ref: string } }).author).toEqual({ __ref: userId });
  });

  it('refetches the user with node(id:) into the same record, and its subscribers hear of it', async () => {
    // A stale local value, as if the profile had changed since.
    commitLocalUpdate(environment, (store) => {
      store.get(userId)!.setValue('stale name', 'displayName');
    });
    const profile = readFragment<{ id: string; displayName: string | null; followerCount: number }>(artifacts.ClientsProfile_user, userRef());
    expect(profile.data).toMatchObject({ id: userId, displayName: 'stale name' });
    const seen: unknown[] = [];
    const subscription = environment.subscribe(profile.snapshot, (next) => seen.push(next.data));
    real.resetCalls();
    await fetchQuery(environment, artifacts.ClientsProfileRefetchQuery, { id: userId }).toPromise();
    subscription.dispose();
    expect(requests.at(-1)).toEqual({ name: 'ClientsProfileRefetchQuery', variables: { id: userId } });
    expect(seen).toEqual([{ id: userId, username: BUSY_USER, displayName: 'Khabane Lame', followerCount: 160_300_000 }]);
    expect(readFragment<{ displayName: string }>(artifacts.ClientsProfile_user, userRef()).data.displayName).toBe('Khabane Lame');
    // Still one User record; the profile came from the server's cache, not from KonbiniAPI.
    const source = environment.getStore().getSource();
    expect(source.getRecordIDs().filter((id) => source.get(id)?.__typename === 'User')).toEqual([userId]);
    expect(real.calls()).toEqual([]);
  });

  it('refetches a story from the middle of the list with node(id:) into its record', async () => {
    const { data } = readFragment<StoriesFragment>(artifacts.ClientsStories_user, userRef());
    const edge = data.stories.edges[60]!;
    const before = readFragment<{ id: string; likeCount: number; caption: string | null }>(artifacts.ClientsStory_story, edge.node);
    commitLocalUpdate(environment, (store) => {
      store.get(edge.node.id)!.setValue(-1, 'likeCount');
    });
    real.resetCalls();
    await fetchQuery(environment, artifacts.ClientsStoryRefetchQuery, { id: edge.node.id }).toPromise();
    const after = readFragment<{ id: string; storyId: string; likeCount: number; author: { id: string } }>(artifacts.ClientsStory_story, edge.node);
    expect(after.data).toMatchObject({ id: edge.node.id, storyId: edge.node.storyId, likeCount: before.data.likeCount, author: { id: userId } });
    expect(after.data.likeCount).toBeGreaterThan(0);
    // The story's page (the second upstream page) is still in the server's cache.
    expect(real.calls()).toEqual([]);
  });
});
