/** The credit budget: estimates never below what execution spends, refusals before any call, dry runs. */
import { describe, expect, it } from 'vitest';
import { testConfig } from '../src/config.js';
import { UpstreamLedger } from '../src/ledger.js';
import { codes, setup } from './helpers.js';

/** Ids and cursors the corpus needs, taken from a first server. */
async function fixtures() {
  const { gql } = setup();
  const res = await gql(`{ user(username: "khaby.lame") { id stories(first: 50) { edges { cursor node { id audio { id audioId } } } } } }`);
  const edges = res.data!.user.stories.edges;
  return {
    userId: res.data!.user.id as string,
    storyIds: edges.slice(0, 3).map((e: any) => e.node.id) as string[],
    deepStoryId: edges[45].node.id as string,
    audioId: edges.find((e: any) => e.node.audio).node.audio.audioId as string,
    audioNodeId: edges.find((e: any) => e.node.audio).node.audio.id as string,
    cursor: edges[30].cursor as string,
  };
}

const CORPUS: [string, string, (f: Awaited<ReturnType<typeof fixtures>>) => Record<string, unknown>][] = [
  ['profile', `{ user(username: "alice") { displayName followerCount } }`, () => ({})],
  ['id only', `{ user(username: "alice") { id username } }`, () => ({})],
  ['stories only', `{ user(username: "alice") { stories(first: 5) { nodes { caption } } } }`, () => ({})],
  ['profile and stories', `{ user(username: "alice") { bio stories { totalCount nodes { storyId } } } }`, () => ({})],
  ['first 100', `{ user(username: "khaby.lame") { stories(first: 100) { nodes { storyId } } } }`, () => ({})],
  [
    'after a deep cursor',
    `query ($c: String) { user(username: "khaby.lame") { stories(first: 40, after: $c) { nodes { storyId } } } }`,
    (f) => ({ c: f.cursor }),
  ],
  ['authors embedded', `{ user(username: "bob") { stories(first: 8) { nodes { author { username isVerified url } } } } }`, () => ({})],
  ['authors full', `{ user(username: "bob") { stories(first: 8) { nodes { author { followerCount bio } } } } }`, () => ({})],
  ['audio embedded', `{ user(username: "bob") { stories(first: 8) { nodes { audio { title duration audioId } } } } }`, () => ({})],
  ['audio full', `{ user(username: "bob") { stories(first: 8) { nodes { audio { album videoCount } } } } }`, () => ({})],
  ['artists', `{ user(username: "bob") { stories(first: 6) { nodes { audio { authors { username displayName followerCount } } } } } }`, () => ({})],
  [
    'artists stories',
    `{ user(username: "carol") { stories(first: 2) { nodes { audio { authors { stories(first: 2) { nodes { storyId } } } } } } } }`,
    () => ({}),
  ],
  ['author stories', `{ user(username: "carol") { stories(first: 3) { nodes { author { stories(first: 3) { nodes { storyId } } } } } } }`, () => ({})],
  ['users', `{ users(usernames: ["a_1", "b_2", "A_1", "@b_2", "c_3", "nobody"]) { username stories(first: 1) { totalCount } } }`, () => ({})],
  ['users invalid', `{ users(usernames: ["ok_user", "bad name"]) { displayName } }`, () => ({})],
  [
    'aliases and fragments',
    `{ a: user(username: "dan") { ...P } b: user(username: "DAN") { ...P stories { nodes { id } } } } fragment P on User { displayName likeCount }`,
    () => ({}),
  ],
  ['skip', `query ($s: Boolean!) { user(username: "erin") { displayName stories @skip(if: $s) { totalCount } } }`, () => ({ s: true })],
  ['include', `query ($s: Boolean!) { user(username: "erin") { username stories @include(if: $s) { totalCount } } }`, () => ({ s: true })],
  ['node user', `query ($id: ID!) { node(id: $id) { ... on User { displayName stories(first: 2) { nodes { id } } } } }`, (f) => ({ id: f.userId })],
  ['node story', `query ($id: ID!) { node(id: $id) { ... on Story { caption author { displayName } audio { title } } } }`, (f) => ({ id: f.storyIds[0] })],
  ['node deep story', `query ($id: ID!) { node(id: $id) { id } }`, (f) => ({ id: f.deepStoryId })],
  [
    'nodes',
    `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Story { author { followerCount } } ... on Audio { title authors { username } } } }`,
    (f) => ({ ids: [...f.storyIds, f.audioNodeId, f.userId] }),
  ],
  ['audio root', `query ($a: String!) { audio(audioId: $a) { title album authors { displayName likeCount } } }`, (f) => ({ a: f.audioId })],
  [
    'entities',
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { displayName stories(first: 1) { totalCount } } ... on Audio { title } } }`,
    (f) => ({
      r: [
        { __typename: 'User', username: 'fed_a' },
        { __typename: 'User', username: 'FED_A' },
        { __typename: 'Audio', audioId: f.audioId },
      ],
    }),
  ],
  ['missing and failing users', `{ users(usernames: ["nobody", "status_502", "bad_json"]) { displayName stories { totalCount } } }`, () => ({})],
  ['invalid arguments', `{ user(username: "alice") { displayName stories(first: 500) { totalCount } } }`, () => ({})],
  ['introspection', `{ __schema { queryType { name } } _service { sdl } }`, () => ({})],
];

describe('the estimate is never below the calls an operation makes', () => {
  it.each(CORPUS.map(([name, query, vars]) => ({ name, query, vars })))('$name', async ({ query, vars }) => {
    const f = await fixtures();
    const { gql, calls } = setup({ config: { limits: { ...testConfig().limits, maxCreditsPerOperation: 10_000 } } });
    const res = await gql(query, vars(f));
    expect(codes(res)).not.toContain('QUERY_TOO_EXPENSIVE');
    const { estimatedCredits, retries, creditsUsed } = res.extensions!.upstream;
    // Retries of refunded failures repeat a call rather than make a new one, and cost nothing.
    expect(calls() - retries).toBeLessThanOrEqual(estimatedCredits);
    expect(creditsUsed).toBeLessThanOrEqual(estimatedCredits);
  });

  it('is exact where the data cannot change it', async () => {
    const { gql } = setup();
    const estimate = async (query: string) => (await gql(query)).extensions!.upstream.estimatedCredits;
    expect(await estimate(`{ user(username: "alice") { displayName } }`)).toBe(1);
    expect(await estimate(`{ user(username: "alice") { displayName stories(first: 4) { nodes { author { displayName } audio { title } } } } }`)).toBe(2);
    expect(await estimate(`{ user(username: "alice") { stories(first: 36) { nodes { id } } } }`)).toBe(2);
    expect(await estimate(`{ users(usernames: ["a", "b", "@A", "c", "B"]) { displayName } }`)).toBe(3);
  });
});

describe('over the budget', () => {
  it.each([
    [
      'many users with pages',
      `{ users(usernames: [${Array.from({ length: 30 }, (_, i) => `"u${i}"`).join(', ')}]) { displayName stories(first: 100) { totalCount } } }`,
    ],
    ['nested profiles', `{ user(username: "a") { stories(first: 100) { nodes { audio { authors { followerCount } } } } } }`],
    [
      'aliases',
      `{ ${Array.from({ length: 26 }, (_, i) => `u${i}: user(username: "user_${i}") { displayName stories(first: 100) { totalCount } }`).join(' ')} }`,
    ],
  ])('refuses %s with QUERY_TOO_EXPENSIVE before any call', async (_, query) => {
    const { gql, calls } = setup();
    const res = await gql(query);
    expect(codes(res)).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(res.errors![0]!.extensions).toMatchObject({ estimatedCredits: expect.any(Number), limit: 100 });
    expect(res.errors![0]!.extensions!.estimatedCredits).toBeGreaterThan(100);
    expect(res.errors![0]!.message).toMatch(/could cost up to \d+ KonbiniAPI credits; the limit is 100/);
    expect(res.data ?? null).toBeNull();
    expect(calls()).toBe(0);
  });

  it('honours a configured budget', async () => {
    const { gql, calls } = setup({ config: { limits: { ...testConfig().limits, maxCreditsPerOperation: 2 } } });
    expect(codes(await gql(`{ users(usernames: ["a", "b", "c"]) { displayName } }`))).toEqual(['QUERY_TOO_EXPENSIVE']);
    expect(codes(await gql(`{ users(usernames: ["a", "b"]) { displayName } }`))).toEqual([]);
    expect(calls()).toBe(2);
  });
});

describe('dry run', () => {
  it('returns the estimate and calls nothing', async () => {
    const { gql, calls } = setup();
    const res = await gql(`{ user(username: "alice") { displayName stories(first: 50) { totalCount } } }`, {}, { 'x-dry-run': 'true' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toBeUndefined();
    expect(res.extensions!.upstream).toMatchObject({ dryRun: true, estimatedCredits: 3, limit: 100, requests: 0 });
    expect(calls()).toBe(0);
  });
});

describe('the ledger’s backstop', () => {
  it('refuses new calls past the estimate', () => {
    const ledger = new UpstreamLedger();
    ledger.estimatedCredits = 2;
    expect([ledger.mayCall(), ledger.mayCall(), ledger.mayCall()]).toEqual([true, true, false]);
  });

  it('turns a refused call into QUERY_TOO_EXPENSIVE on the field', async () => {
    const { app, sandbox } = setup();
    const ledger = new UpstreamLedger();
    ledger.estimatedCredits = 0;
    await expect(app.client.call('tiktokGetUser', { username: 'alice' }, { observer: ledger })).rejects.toMatchObject({ failure: 'budget_exceeded' });
    expect(sandbox.calls).toHaveLength(0);
  });
});
